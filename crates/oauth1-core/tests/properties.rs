//! Property tests: encoding round trips, sign → verify round trips for every method and
//! placement, tamper detection, order independence, and agreement of the fast signer with the
//! step-by-step base string functions.
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "rsa")]

use oauth1_core::base_string::{normalize_parameters, signature_base_string};
use oauth1_core::encode::{form_decode, percent_decode, percent_encode_octets};
use oauth1_core::url::RequestUrl;
use oauth1_core::{
    AnyMethod, Body, ClientCredentials, Error, NonceUse, OAuthParams, Policy, Received, Request,
    RsaSha1, RsaSha256, Scratch, Secret, Signer, TokenCredentials, VerifyError,
};
use proptest::prelude::*;

/// A 1024-bit test key (small so that RSA cases stay quick; test use only).
const RSA_KEY: &str = include_str!("data/test_rsa_1024.pem");

fn methods() -> Vec<AnyMethod> {
    vec![
        AnyMethod::HmacSha1,
        AnyMethod::HmacSha256,
        AnyMethod::HmacSha512,
        AnyMethod::Plaintext,
        AnyMethod::RsaSha1(RsaSha1::from_private_pem(RSA_KEY).unwrap()),
        AnyMethod::RsaSha256(RsaSha256::from_private_pem(RSA_KEY).unwrap()),
    ]
}

/// Parameter text: any Unicode, biased towards the characters encoders get wrong.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._~-]{0,8}",
        "[ !\"#$%&'()*+,/:;<=>?@\\[\\]^`{|}]{0,6}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
        Just(String::new()),
    ]
}

fn name() -> impl Strategy<Value = String> {
    text().prop_filter("protocol names are the signer's", |n| {
        !n.starts_with("oauth_")
    })
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((name(), text()), 0..6)
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                percent_encode_octets(n.as_bytes()),
                percent_encode_octets(v.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Debug, Clone)]
struct Case {
    method: String,
    url: String,
    query: Vec<(String, String)>,
    form: Option<Vec<(String, String)>>,
    consumer_secret: String,
    token: Option<(String, String)>,
    nonce: String,
    timestamp: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["GET", "POST", "put", "DELETE"]),
        prop::sample::select(vec![
            "https://api.example.com/1.1/statuses/update.json",
            "HTTP://Example.COM:80/r%20v/X",
            "http://example.com:8080",
            "https://[::1]:8443/a;b/c",
        ]),
        pairs(),
        prop::option::of(pairs()),
        text(),
        prop::option::of((text(), text())),
        "[a-zA-Z0-9]{1,32}",
        0u64..=4_000_000_000,
    )
        .prop_map(
            |(method, url, query, form, consumer_secret, token, nonce, timestamp)| Case {
                method: method.to_owned(),
                url: if query.is_empty() {
                    url.to_owned()
                } else {
                    format!("{url}?{}", encode_pairs(&query))
                },
                query,
                form,
                consumer_secret,
                token,
                nonce,
                timestamp,
            },
        )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Header,
    Query,
    Body,
}

/// Signs `case` and returns what goes on the wire: (url, body, authorization).
fn sign(
    case: &Case,
    method: &AnyMethod,
    placement: Placement,
) -> (String, Option<String>, Option<String>) {
    let client = ClientCredentials::new("ck", case.consumer_secret.as_str());
    let token = case
        .token
        .as_ref()
        .map(|(t, s)| TokenCredentials::new(t.as_str(), s.as_str()));
    let signer = Signer::new(method.clone(), &client, token.as_ref()).unwrap();
    let body = case.form.as_ref().map(|f| encode_pairs(f));
    let request = Request::new(&case.method, &case.url).with_body(match &body {
        Some(b) => Body::Form(b.as_bytes()),
        None => Body::None,
    });
    let mut scratch = Scratch::new();
    let oauth = OAuthParams::new(case.nonce.as_str(), case.timestamp);
    let signed = signer.sign(&mut scratch, &request, &oauth).unwrap();
    match placement {
        Placement::Header => (case.url.clone(), body, Some(signed.authorization())),
        Placement::Query => (signed.url_with_parameters(&case.url), body, None),
        Placement::Body => {
            let b = signed.form_with_parameters(body.as_deref().unwrap_or("").as_bytes());
            (case.url.clone(), Some(String::from_utf8(b).unwrap()), None)
        }
    }
}

/// Verifies what is on the wire with the given secrets.
#[allow(clippy::too_many_arguments)]
fn verify(
    http_method: &str,
    url: &str,
    body: Option<&str>,
    authorization: Option<&str>,
    method: &AnyMethod,
    consumer_secret: &str,
    token_secret: Option<&str>,
    now: u64,
) -> Result<(), Error> {
    let request = Request::new(http_method, url).with_body(match body {
        Some(b) => Body::Form(b.as_bytes()),
        None => Body::None,
    });
    let received = Received::parse(&request, authorization)?;
    let ts = token_secret.map(Secret::new);
    received.verify_with_secrets(
        method,
        &Secret::new(consumer_secret),
        ts.as_ref(),
        &Policy::new(now),
        &mut |_: &NonceUse<'_>| true,
    )
}

fn placements() -> impl Strategy<Value = Placement> {
    prop::sample::select(vec![Placement::Header, Placement::Query, Placement::Body])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn percent_encoding_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let encoded = percent_encode_octets(&bytes);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        prop_assert_eq!(percent_decode(&encoded).unwrap(), bytes);
    }

    #[test]
    fn form_encoding_round_trips(p in pairs()) {
        let decoded = form_decode(encode_pairs(&p).as_bytes()).unwrap();
        // Empty pairs (`=`) are kept; only wholly empty segments vanish.
        let want: Vec<(Vec<u8>, Vec<u8>)> = p.iter().map(|(n, v)| (n.clone().into_bytes(), v.clone().into_bytes())).collect();
        prop_assert_eq!(decoded, want);
    }

    #[test]
    fn sign_then_verify_round_trips(c in case(), m in 0usize..6, placement in placements()) {
        let method = &methods()[m];
        let (url, body, auth) = sign(&c, method, placement);
        let ts = c.token.as_ref().map(|t| t.1.as_str());
        verify(&c.method, &url, body.as_deref(), auth.as_deref(), method, &c.consumer_secret, ts, c.timestamp).unwrap();
    }

    #[test]
    fn parameter_order_does_not_matter(c in case(), seed in any::<u64>()) {
        let method = AnyMethod::HmacSha1;
        let (_, _, a) = sign(&c, &method, Placement::Header);
        let mut shuffled = c.clone();
        let n = shuffled.query.len().max(1);
        shuffled.query.rotate_left((seed as usize) % n);
        if let Some(f) = shuffled.form.as_mut() {
            f.reverse();
        }
        let base = c.url.split('?').next().unwrap().to_owned();
        shuffled.url = if shuffled.query.is_empty() { base } else { format!("{base}?{}", encode_pairs(&shuffled.query)) };
        let (_, _, b) = sign(&shuffled, &method, Placement::Header);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn fast_path_agrees_with_the_rfc_steps(c in case()) {
        let client = ClientCredentials::new("ck", c.consumer_secret.as_str());
        let signer = Signer::new(AnyMethod::HmacSha1, &client, None).unwrap();
        let body = c.form.as_ref().map(|f| encode_pairs(f)).unwrap_or_default();
        let request = Request::new(&c.method, &c.url).with_body(Body::Form(body.as_bytes()));
        let mut scratch = Scratch::new();
        let signed = signer.sign(&mut scratch, &request, &OAuthParams::new(c.nonce.as_str(), c.timestamp)).unwrap();
        let url = RequestUrl::parse(&c.url).unwrap();
        let mut all = form_decode(url.query().unwrap_or("").as_bytes()).unwrap();
        all.extend(form_decode(body.as_bytes()).unwrap());
        let ts = c.timestamp.to_string();
        for (n, v) in [("oauth_consumer_key", "ck"), ("oauth_nonce", c.nonce.as_str()), ("oauth_signature_method", "HMAC-SHA1"), ("oauth_timestamp", ts.as_str()), ("oauth_version", "1.0")] {
            all.push((n.as_bytes().to_vec(), v.as_bytes().to_vec()));
        }
        let normalized = normalize_parameters(all.iter().map(|(n, v)| (n.as_slice(), v.as_slice())));
        prop_assert_eq!(signed.base_string(), signature_base_string(&c.method, &url, &normalized));
    }

    #[test]
    fn tampering_with_any_signed_input_fails(c in case(), m in 0usize..6, placement in placements(), what in 0usize..7, pick in any::<usize>(), byte in any::<u8>()) {
        let method = &methods()[m];
        let (url, body, auth) = sign(&c, method, placement);
        let ts = c.token.as_ref().map(|t| t.1.as_str());
        let plaintext = matches!(method, AnyMethod::Plaintext);
        // RSA signs with the key pair, not with the shared secrets.
        let rsa = matches!(method, AnyMethod::RsaSha1(_) | AnyMethod::RsaSha256(_));
        let mut url = url;
        let mut body = body;
        let mut auth = auth;
        let mut http_method = c.method.clone();
        let mut cs = c.consumer_secret.clone();
        let mut ts = ts.map(str::to_owned);
        // Each arm says whether it changed something that the signature covers.
        let tampered = match what {
            // The method (PLAINTEXT signs no base string, so it cannot notice).
            0 => {
                http_method = if http_method.eq_ignore_ascii_case("GET") { "HEAD".into() } else { "GET".into() };
                !plaintext
            }
            // The path: its first byte after `/` becomes a new unreserved byte.
            1 => {
                let at = url.find("://").unwrap() + 3;
                let path_start = at + url[at..].find(['/', '?']).unwrap_or(url.len() - at);
                let c2 = if byte % 2 == 0 { "/q" } else { "/Z" };
                url.insert_str(path_start, c2);
                !plaintext
            }
            // A query parameter value gets one more byte.
            2 => {
                let from = format!("{}={}", percent_encode_octets(c.query.first().map_or(&b""[..], |q| q.0.as_bytes())), percent_encode_octets(c.query.first().map_or(&b""[..], |q| q.1.as_bytes())));
                if c.query.is_empty() {
                    false
                } else {
                    url = url.replacen(&from, &format!("{from}X"), 1);
                    !plaintext
                }
            }
            // The form body gets one more parameter.
            3 => match body.as_mut() {
                Some(b) => {
                    if b.is_empty() { b.push_str("extra=1") } else { b.push_str("&extra=1") }
                    !plaintext
                }
                None => false,
            },
            // The consumer secret or the token secret.
            4 => {
                cs.push(char::from(b'a' + byte % 26));
                !rsa
            }
            5 => {
                ts = Some(format!("{}{}", ts.unwrap_or_default(), char::from(b'a' + byte % 26)));
                !rsa
            }
            // A byte of the signature itself, in whatever placement carries it.
            _ => {
                let carrier = match placement {
                    Placement::Header => auth.as_mut().unwrap(),
                    Placement::Query => &mut url,
                    Placement::Body => body.as_mut().unwrap(),
                };
                let key = "oauth_signature=";
                let start = carrier.find(key).unwrap() + key.len() + usize::from(placement == Placement::Header);
                let end = carrier[start..].find(['"', '&']).map_or(carrier.len(), |e| start + e);
                prop_assume!(end > start);
                let i = start + pick % (end - start);
                let new = if carrier.as_bytes()[i] == b'A' { "B" } else { "A" };
                carrier.replace_range(i..=i, new);
                true
            }
        };
        let result = verify(&http_method, &url, body.as_deref(), auth.as_deref(), method, &cs, ts.as_deref(), c.timestamp);
        if tampered {
            // Usually InvalidSignature; a tampered signature byte may also make it undecodable.
            prop_assert!(result.is_err(), "tampering ({}) not detected", what);
        } else {
            prop_assert!(result.is_ok(), "an untouched request must verify: {result:?}");
        }
    }
}

#[test]
fn stale_timestamp_and_replayed_nonce_are_rejected() {
    let client = ClientCredentials::new("ck", "cs");
    let signer = Signer::new(AnyMethod::HmacSha1, &client, None).unwrap();
    let request = Request::new("GET", "https://a.example/x");
    let auth = signer
        .authorization(&request, &OAuthParams::new("n1", 1_000))
        .unwrap();
    let received = Received::parse(&request, Some(&auth)).unwrap();
    let secret = Secret::new("cs");
    let mut seen = std::collections::HashSet::new();
    let mut store = |n: &NonceUse<'_>| {
        seen.insert((n.consumer_key.to_owned(), n.nonce.to_owned(), n.timestamp))
    };
    let err = received
        .verify_with_secrets(
            &AnyMethod::HmacSha1,
            &secret,
            None,
            &Policy::new(1_301),
            &mut store,
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::Verify(VerifyError::TimestampOutOfWindow {
            skew: -301,
            window: 300
        })
    );
    received
        .verify_with_secrets(
            &AnyMethod::HmacSha1,
            &secret,
            None,
            &Policy::new(1_300),
            &mut store,
        )
        .unwrap();
    let err = received
        .verify_with_secrets(
            &AnyMethod::HmacSha1,
            &secret,
            None,
            &Policy::new(1_300),
            &mut store,
        )
        .unwrap_err();
    assert_eq!(err, Error::Verify(VerifyError::NonceReused));
    // A bad signature is rejected before the nonce store sees it.
    let err = received
        .verify_with_secrets(
            &AnyMethod::HmacSha1,
            &Secret::new("wrong"),
            None,
            &Policy::new(1_000),
            &mut |_: &NonceUse<'_>| panic!("nonce store consulted for an unauthentic request"),
        )
        .unwrap_err();
    assert_eq!(err, Error::Verify(VerifyError::InvalidSignature));
}

#[test]
fn pem_with_surrounding_whitespace_loads() {
    let padded = format!("\n  {RSA_KEY}\n\n");
    assert!(RsaSha1::from_private_pem(&padded).is_ok());
    assert!(RsaSha1::from_private_pem("not a key").is_err());
}

/// Methods and URLs that share, extend or differ from each other's `scheme://host[:port]path`
/// by one byte, in the common shape and outside it.
const HEAD_METHODS: [&str; 4] = ["GET", "POST", "post", "G T"];
const HEAD_URLS: [&str; 16] = [
    "https://api.example.com/1.1/x.json?a=1",
    "https://api.example.com/1.1/x.json?a=2&b=%20",
    "https://api.example.com/1.1/x.json",
    "https://api.example.com/1.1/x.json#frag",
    "https://api.example.com/1.1/x.json?b=1#f?c=2",
    "https://api.example.com/1.1/x.json?",
    "https://api.example.com/1.1/x.jsonx?a=1",
    "https://api.example.com/1.1/x.json/?a=1",
    "https://api.example.com/1.1/x.js",
    "https://API.example.com/1.1/x.json?a=1",
    "https://api.example.com:8443/1.1/x.json?a=1",
    "https://api.example.com:443/1.1/x.json?a=1",
    "http://api.example.com/1.1/x.json?a=1",
    "https://user@api.example.com/1.1/x.json?a=1",
    "https://api.example.com/1.1/x y.json?a=1",
    "https://api.example.com/1.1/x.json?a=%zz",
];

/// Signs `(method, url)` in `scratch`: the base string and signature, or the error.
fn sign_in(scratch: &mut Scratch, method: &str, url: &str) -> Result<(String, String), Error> {
    let client = ClientCredentials::new("ck", "cs");
    let signer = Signer::new(AnyMethod::HmacSha1, &client, None).unwrap();
    let request = Request::new(method, url).with_body(Body::Form(b"z=1"));
    let signed = signer.sign(scratch, &request, &OAuthParams::new("n", 1))?;
    Ok((
        signed.base_string().to_owned(),
        signed.signature().to_owned(),
    ))
}

proptest! {
    /// A scratch keeps the head of its last base string (`METHOD&URI&`) for the next request
    /// to the same method and URI; whatever the sequence, every request signs exactly as in a
    /// fresh scratch, and fails exactly as there.
    #[test]
    fn a_reused_scratch_signs_as_a_fresh_one(seq in prop::collection::vec((0usize..4, 0usize..16), 1..24)) {
        let mut reused = Scratch::new();
        for (m, u) in seq {
            let (method, url) = (HEAD_METHODS[m], HEAD_URLS[u]);
            let fresh = sign_in(&mut Scratch::new(), method, url);
            let again = sign_in(&mut reused, method, url);
            prop_assert_eq!(format!("{again:?}"), format!("{fresh:?}"), "{} {}", method, url);
        }
    }
}

#[test]
fn a_kept_head_is_used_only_for_the_same_method_and_uri() {
    let mut scratch = Scratch::new();
    let (first, _) = sign_in(&mut scratch, "GET", HEAD_URLS[0]).unwrap();
    assert!(first.starts_with("GET&https%3A%2F%2Fapi.example.com%2F1.1%2Fx.json&a%3D1%26"));
    let (same, _) = sign_in(&mut scratch, "GET", HEAD_URLS[4]).unwrap();
    assert!(same.starts_with("GET&https%3A%2F%2Fapi.example.com%2F1.1%2Fx.json&b%3D1%26"));
    let (longer, _) = sign_in(&mut scratch, "GET", HEAD_URLS[6]).unwrap();
    assert!(longer.starts_with("GET&https%3A%2F%2Fapi.example.com%2F1.1%2Fx.jsonx&a%3D1%26"));
    let (other, _) = sign_in(&mut scratch, "post", HEAD_URLS[6]).unwrap();
    assert!(other.starts_with("POST&https%3A%2F%2Fapi.example.com%2F1.1%2Fx.jsonx&a%3D1%26"));
    assert!(sign_in(&mut scratch, "G T", HEAD_URLS[6]).is_err());
    let (userinfo, _) = sign_in(&mut scratch, "POST", HEAD_URLS[13]).unwrap();
    assert!(userinfo.starts_with("POST&https%3A%2F%2Fapi.example.com%2F1.1%2Fx.json&a%3D1%26"));
}
