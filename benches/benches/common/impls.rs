//! The implementations the signing benchmarks compare, shared by `benches/sign.rs` (criterion)
//! and `examples/ratio.rs` (interleaved ratios): ours, the floor (the bare HMAC-SHA1 of the
//! base string) and oauth1-request.
#![allow(dead_code)]

use std::num::NonZeroU64;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use oauth1_benches::Input;
use oauth1_core::encode::{form_decode, percent_encode};
use oauth1_core::{
    Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
};

pub(crate) fn signer(input: &Input) -> Signer<HmacSha1> {
    Signer::new(
        HmacSha1,
        &ClientCredentials::new(input.consumer.0, input.consumer.1),
        Some(&TokenCredentials::new(input.token.0, input.token.1)),
    )
    .unwrap()
}

pub(crate) fn oauth(input: &Input) -> OAuthParams<'_> {
    let p = OAuthParams::new(input.nonce, input.timestamp).version(input.version);
    match input.realm {
        Some(r) => p.realm(r),
        None => p,
    }
}

pub(crate) fn request(input: &Input) -> Request<'_> {
    Request::new(input.method, &input.url).with_body(Body::Form(input.body.as_bytes()))
}

/// One-shot, as the README signs: a new `Signer` per request (its key prepared and its header
/// template made), then `Signer::authorization` (the thread's spare scratch, a new header).
pub(crate) fn ours_one_shot(
    input: &Input,
    request: &Request<'_>,
    oauth: &OAuthParams<'_>,
) -> String {
    signer(input).authorization(request, oauth).unwrap()
}

/// From nothing: a new signer, a fresh `Scratch` and the header allocated per call.
pub(crate) fn ours_sign(input: &Input) -> String {
    let signer = signer(input);
    let mut scratch = Scratch::new();
    let signed = signer
        .sign(&mut scratch, &request(input), &oauth(input))
        .unwrap();
    signed.authorization()
}

/// The bare HMAC-SHA1 of the base string (computed once, outside the timed loop) and its base64.
pub(crate) fn floor(key: &[u8], base_string: &[u8], out: &mut String) {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(base_string);
    out.clear();
    base64::engine::general_purpose::STANDARD.encode_string(mac.finalize().into_bytes(), out);
}

/// oauth1-request's equivalent: its `Request` is the decoded query and form parameters (it
/// cannot read them from a URL or body, so it gets them decoded and sorted in advance, which
/// saves it work we do), the URI without query, a fixed nonce and timestamp.
pub(crate) struct TheirInput {
    uri: String,
    params: oauth1_request::ParameterList<String, String, Vec<(String, String)>>,
    token: oauth1_request::Token<String, String>,
}

pub(crate) fn their_input(input: &Input) -> TheirInput {
    let (uri, query) = input.url.split_once('?').unwrap_or((&input.url, ""));
    let mut params: Vec<(String, String)> = Vec::new();
    for (n, v) in form_decode(query.as_bytes())
        .unwrap()
        .into_iter()
        .chain(form_decode(input.body.as_bytes()).unwrap())
    {
        params.push((String::from_utf8(n).unwrap(), String::from_utf8(v).unwrap()));
    }
    TheirInput {
        uri: uri.to_owned(),
        params: oauth1_request::ParameterList::new(params),
        token: oauth1_request::Token::from_parts(
            input.consumer.0.to_owned(),
            input.consumer.1.to_owned(),
            input.token.0.to_owned(),
            input.token.1.to_owned(),
        ),
    }
}

pub(crate) fn theirs(input: &Input, t: &TheirInput) -> String {
    let mut builder =
        oauth1_request::Builder::new(t.token.client.as_ref(), oauth1_request::HMAC_SHA1);
    builder.token(t.token.token.as_ref());
    builder
        .nonce(input.nonce)
        .timestamp(NonZeroU64::new(input.timestamp))
        .version(input.version);
    builder.authorize(input.method, &t.uri, &t.params)
}

pub(crate) fn signature_in(header: &str) -> String {
    let start = header.find("oauth_signature=\"").unwrap() + "oauth_signature=\"".len();
    let end = start + header[start..].find('"').unwrap();
    oauth1_core::encode::percent_decode_str(&header[start..end]).unwrap()
}

/// The key the floor signs with: the encoded secrets joined by `&`.
pub(crate) fn floor_key(input: &Input) -> String {
    format!(
        "{}&{}",
        percent_encode(input.consumer.1),
        percent_encode(input.token.1)
    )
}

/// Our base string for `input` (what the floor signs).
pub(crate) fn base_string(input: &Input) -> String {
    let mut scratch = Scratch::new();
    signer(input)
        .sign(&mut scratch, &request(input), &oauth(input))
        .unwrap()
        .base_string()
        .to_owned()
}
