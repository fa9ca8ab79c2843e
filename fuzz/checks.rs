//! The invariants each fuzz target checks, shared by the fuzz targets (`fuzz_targets/*.rs`) and
//! by the corpus replay test (`crates/oauth1-core/tests/fuzz_corpus.rs`), which runs every
//! committed corpus file through them under plain `cargo test`.
//!
//! Each check takes raw bytes; the structured ones cut the bytes into fields with [`Reader`].
//! A check panics when an invariant breaks; it never panics on input that is merely invalid.

#![allow(dead_code)]

use oauth1_core::encode::{form_decode, form_decode_str, percent_decode, percent_encode_octets};
use oauth1_core::header::AuthorizationHeader;
use oauth1_core::url::RequestUrl;
use oauth1_core::{
    AnyMethod, Body, ClientCredentials, NonceUse, OAuthParams, Policy, Received, Request, Scratch,
    Secret, SignatureMethod, Signer, TokenCredentials,
};

/// Cuts fuzz bytes into fields: each field is a length byte then that many bytes.
pub struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader(data)
    }

    /// The next field (empty when the data runs out).
    pub fn bytes(&mut self) -> &'a [u8] {
        let Some((&n, rest)) = self.0.split_first() else {
            return &[];
        };
        let n = usize::from(n).min(rest.len());
        let (field, rest) = rest.split_at(n);
        self.0 = rest;
        field
    }

    /// The next field as text (invalid UTF-8 replaced).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.bytes()).into_owned()
    }

    /// The next byte (0 when the data runs out).
    pub fn byte(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }
}

/// `AuthorizationHeader::parse`: parsing what we write gives back the same parameters.
pub fn header_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(header) = AuthorizationHeader::parse(&text) else {
        return;
    };
    let mut again = String::from("OAuth ");
    for (i, (name, value)) in header.params().iter().enumerate() {
        if i > 0 {
            again.push_str(", ");
        }
        again.push_str(&percent_encode_octets(name.as_bytes()));
        again.push_str("=\"");
        again.push_str(&percent_encode_octets(value.as_bytes()));
        again.push('"');
    }
    let reparsed = AuthorizationHeader::parse(&again).expect("a header we wrote must parse");
    assert_eq!(reparsed.params(), header.params());
}

/// The decoders: what decodes re-encodes and decodes to the same octets; the `_str` variant
/// succeeds exactly when every decoded name and value is UTF-8.
pub fn form_decode_check(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(octets) = percent_decode(s) {
            assert_eq!(
                percent_decode(&percent_encode_octets(&octets)).unwrap(),
                octets
            );
        }
    }
    let Ok(pairs) = form_decode(data) else {
        return;
    };
    for (name, value) in &pairs {
        for part in [name, value] {
            assert_eq!(&percent_decode(&percent_encode_octets(part)).unwrap(), part);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let all_utf8 = pairs
            .iter()
            .all(|(n, v)| std::str::from_utf8(n).is_ok() && std::str::from_utf8(v).is_ok());
        assert_eq!(form_decode_str(text).is_ok(), all_utf8);
    }
}

/// `RequestUrl`: the base string URI has no query or fragment, starts with the lower-case
/// scheme, and normalizing it again changes nothing.
pub fn url_normalize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(url) = RequestUrl::parse(&text) else {
        return;
    };
    let uri = url.base_string_uri();
    assert!(!uri.contains('?') && !uri.contains('#'), "{uri}");
    assert!(
        uri.starts_with(&format!("{}://", url.scheme().to_ascii_lowercase())),
        "{uri}"
    );
    let again = RequestUrl::parse(&uri)
        .expect("a base string URI must parse")
        .base_string_uri();
    assert_eq!(again, uri);
}

fn body<'a>(kind: u8, bytes: &'a [u8]) -> Body<'a> {
    match kind % 3 {
        0 => Body::None,
        1 => Body::Form(bytes),
        _ => Body::Other(bytes),
    }
}

/// `Received::parse` + `verify` on arbitrary requests: never panics, and never accepts a
/// request whose signature it did not compute itself.
pub fn verify_request(data: &[u8]) {
    let mut r = Reader::new(data);
    let method = r.text();
    let url = r.text();
    let kind = r.byte();
    let body_bytes = r.bytes();
    let header = r.text();
    let request = Request::new(&method, &url).with_body(body(kind, body_bytes));
    let Ok(received) = Received::parse(&request, Some(&header)) else {
        return;
    };
    let secret = Secret::new("fuzz-secret");
    for method in [AnyMethod::HmacSha1, AnyMethod::Plaintext] {
        let key = method.key(&secret, None).unwrap();
        let result = received.verify(
            &method,
            &key,
            &Policy::new(1_000_000).window(u64::MAX / 4),
            &mut |_: &NonceUse<'_>| true,
        );
        if result.is_ok() {
            // Accepted: the received signature must be the one we compute.
            let mut expected = String::new();
            method
                .sign(&key, received.base_string().as_bytes(), &mut expected)
                .unwrap();
            assert!(
                header.contains(&percent_encode_octets(expected.as_bytes()))
                    || url.contains(&percent_encode_octets(expected.as_bytes()))
                    || String::from_utf8_lossy(body_bytes)
                        .contains(&percent_encode_octets(expected.as_bytes()))
            );
        }
    }
}

/// `Signer::sign` on arbitrary inputs: whatever signs, verifies (header, query and body
/// placements) with the same secrets, and its header parses.
pub fn sign_request(data: &[u8]) {
    let mut r = Reader::new(data);
    let method = r.text();
    let url = r.text();
    let kind = r.byte();
    let body_bytes = r.bytes().to_vec();
    let consumer_secret = r.text();
    let token = r.text();
    let token_secret = r.text();
    let nonce = r.text();
    let timestamp = u64::from(r.byte()) << 24 | u64::from(r.byte());
    let which = r.byte();
    let method_impl = match which % 4 {
        0 => AnyMethod::HmacSha1,
        1 => AnyMethod::HmacSha256,
        2 => AnyMethod::HmacSha512,
        _ => AnyMethod::Plaintext,
    };
    let client = ClientCredentials::new("ck", consumer_secret.as_str());
    let token_creds =
        (which & 4 != 0).then(|| TokenCredentials::new(token.as_str(), token_secret.as_str()));
    let signer = Signer::new(method_impl.clone(), &client, token_creds.as_ref()).unwrap();
    let body = body(kind, &body_bytes);
    let request = Request::new(&method, &url).with_body(body);
    let oauth = OAuthParams::new(nonce.as_str(), timestamp);
    let mut scratch = Scratch::new();
    let Ok(signed) = signer.sign(&mut scratch, &request, &oauth) else {
        return;
    };
    let authorization = signed.authorization();
    let query_url = signed.url_with_parameters(&url);
    let form = matches!(body, Body::Form(_) | Body::None)
        .then(|| signed.form_with_parameters(body.bytes()));
    let base = signed.base_string().to_owned();
    AuthorizationHeader::parse(&authorization).expect("our header must parse");
    let ts = token_creds
        .as_ref()
        .map(|_| Secret::new(token_secret.as_str()));
    let verify = |request: Request<'_>, header: Option<&str>| {
        let received = Received::parse(&request, header).expect("a signed request must parse");
        assert_eq!(received.base_string(), base);
        received
            .verify_with_secrets(
                &method_impl,
                &Secret::new(consumer_secret.as_str()),
                ts.as_ref(),
                &Policy::new(timestamp),
                &mut |_: &NonceUse<'_>| true,
            )
            .expect("a signed request must verify");
    };
    verify(request, Some(&authorization));
    verify(Request::new(&method, &query_url).with_body(body), None);
    if let Some(form) = &form {
        verify(
            Request::new(&method, &url).with_body(Body::Form(form)),
            None,
        );
    }
}
