//! One test per bug class of the project's list of OAuth 1.0a pitfalls, numbered as there.
//! (11, the `oauth_callback_confirmed` check, and 18, TLS, belong to the flow and transport
//! crates: the core does no IO.)
// In tests a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use oauth1_core::encode::percent_encode;
use oauth1_core::{
    Body, ClientCredentials, Error, HmacSha1, Misuse, NonceUse, OAuthParams, Placement, Policy,
    Received, Request, Scratch, Secret, Signer, TokenCredentials, VerifyError,
};

fn base(method: &str, url: &str, body: Body<'_>) -> String {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let mut scratch = Scratch::new();
    let oauth = OAuthParams::new("n", 1).version(false);
    let signed = signer
        .sign(
            &mut scratch,
            &Request::new(method, url).with_body(body),
            &oauth,
        )
        .unwrap();
    signed.base_string().to_owned()
}

/// The normalized parameter string (third part of the base string), decoded once.
fn params(method: &str, url: &str, body: Body<'_>) -> String {
    let b = base(method, url, body);
    let third = b.splitn(3, '&').nth(2).unwrap();
    oauth1_core::encode::percent_decode_str(third).unwrap()
}

const PROTOCOL: &str =
    "oauth_consumer_key=k&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1";

#[test]
fn p01_form_body_and_query_are_both_signed() {
    let p = params("POST", "https://a.example/?q=1", Body::Form(b"f=2"));
    assert_eq!(p, format!("f=2&{PROTOCOL}&q=1"));
}

#[test]
fn p02_names_are_encoded_before_sorting() {
    let b = base("GET", "https://a.example/?c%40=x", Body::None);
    assert!(b.contains("%2F&c%2540%3Dx%26oauth_consumer_key"), "{b}");
}

#[test]
fn p03_sorted_by_encoded_value() {
    // Raw '-' (0x2D) sorts after '/' (0x2F)? No: '-' < '/', but encoded "%2F" < "-".
    let p = params("GET", "https://a.example/?a=-&a=%2F", Body::None);
    assert!(p.starts_with("a=%2F&a=-&"), "{p}");
}

#[test]
fn p04_pairs_not_strings_and_duplicates_kept() {
    // As strings "a1=x" < "a=y" ('1' < '='), but by name "a" < "a1".
    let p = params("GET", "https://a.example/?a1=x&a=y&a=y", Body::None);
    assert!(p.starts_with("a=y&a=y&a1=x&"), "{p}");
}

#[test]
fn p05_plus_is_a_space_and_encoded_plus_is_a_plus() {
    let p = params("GET", "https://a.example/?s=a+b&t=a%2Bb", Body::None);
    assert!(p.ends_with("&s=a%20b&t=a%2Bb"), "{p}");
    let p = params("POST", "https://a.example/", Body::Form(b"s=a+b"));
    assert!(p.ends_with("&s=a%20b"), "{p}");
}

#[test]
fn p06_decoded_once() {
    // %253D is "%3D" after one decoding, encoded back as %253D: never "=".
    let p = params("GET", "https://a.example/?b5=%3D%253D", Body::None);
    assert!(p.contains("b5=%3D%253D"), "{p}");
    // oauth_* values from the header are not decoded twice either.
    let header = r#"OAuth oauth_consumer_key="k", oauth_nonce="a%2525b", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_signature="x""#;
    let r = Received::parse(&Request::new("GET", "https://a.example/"), Some(header)).unwrap();
    assert_eq!(r.nonce(), Some("a%25b"));
}

#[test]
fn p07_ports_case_fragment_and_path() {
    assert!(base("get", "HTTP://A.Example:80/P?x=1#frag", Body::None)
        .starts_with("GET&http%3A%2F%2Fa.example%2FP&"));
    assert!(base("GET", "https://a.example:443/", Body::None)
        .starts_with("GET&https%3A%2F%2Fa.example%2F&"));
    assert!(base("GET", "http://a.example:443/", Body::None)
        .starts_with("GET&http%3A%2F%2Fa.example%3A443%2F&"));
    assert!(base("GET", "https://a.example:8443", Body::None)
        .starts_with("GET&https%3A%2F%2Fa.example%3A8443%2F&"));
    assert!(!base("GET", "https://a.example/#f=1", Body::None).contains("f%3D1"));
}

#[test]
fn p08_key_has_the_ampersand_without_token() {
    use oauth1_core::{Plaintext, SignatureMethod};
    let key = Plaintext.key(&Secret::new("cs"), None).unwrap();
    let mut sig = String::new();
    Plaintext.sign(&key, b"", &mut sig).unwrap();
    assert_eq!(sig, "cs&");
}

#[test]
fn p09_non_form_bodies_are_not_parameters_and_body_hash_is_opt_in() {
    let p = params("POST", "https://a.example/", Body::Other(b"a=1"));
    assert_eq!(p, PROTOCOL);
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let req = Request::new("POST", "https://a.example/").with_body(Body::Other(b"{\"a\":1}"));
    let plain = signer
        .authorization(&req, &OAuthParams::new("n", 1))
        .unwrap();
    assert!(!plain.contains("oauth_body_hash"));
    let hashed = signer
        .authorization(&req, &OAuthParams::new("n", 1).body_hash(true))
        .unwrap();
    assert!(hashed.contains("oauth_body_hash=\""));
    let form = Request::new("POST", "https://a.example/").with_body(Body::Form(b"a=1"));
    assert_eq!(
        signer.authorization(&form, &OAuthParams::new("n", 1).body_hash(true)),
        Err(Error::Misuse(Misuse::BodyHashWithForm))
    );
}

#[test]
fn p10_content_type_with_parameters_is_still_a_form() {
    let body = Body::from_content_type(
        Some("application/x-www-form-urlencoded; charset=utf-8"),
        b"a=1",
    );
    assert!(params("POST", "https://a.example/", body).starts_with("a=1&"));
    let mut req = http::Request::post("https://a.example/")
        .header(
            "content-type",
            "Application/X-WWW-Form-Urlencoded;charset=UTF-8",
        )
        .body(b"a=1".to_vec())
        .unwrap();
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    signer
        .sign_http(&mut req, Placement::Body, &OAuthParams::new("n", 1))
        .unwrap();
    assert!(req.body().starts_with(b"a=1&oauth_consumer_key=k&"));
}

#[test]
fn p12_non_utf8_octets_are_kept() {
    let p = base("GET", "https://a.example/?a=%FF", Body::None);
    assert!(p.contains("%2F&a%3D%25FF%26oauth"), "{p}");
    assert!(!p.contains("EF%25BF%25BD"));
}

#[test]
fn p13_skew_is_reported() {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let req = Request::new("GET", "https://a.example/");
    let auth = signer
        .authorization(&req, &OAuthParams::new("n", 10_000))
        .unwrap();
    let r = Received::parse(&req, Some(&auth)).unwrap();
    let err = r
        .verify_with_secrets(
            &HmacSha1,
            &Secret::new("s"),
            None,
            &Policy::new(9_000),
            &mut |_: &NonceUse<'_>| true,
        )
        .unwrap_err();
    assert_eq!(
        err,
        Error::Verify(VerifyError::TimestampOutOfWindow {
            skew: 1_000,
            window: 300
        })
    );
    // The skew is in the cause (`verification failed` is the wrapping error's own message).
    assert!(oauth1_core::Chain(&err).to_string().contains("1000 s"));
}

#[test]
fn p14_secrets_never_in_debug_or_errors() {
    let client = ClientCredentials::new("key", "consumer-SECRET");
    let token = TokenCredentials::new("tok", "token-SECRET");
    let signer = Signer::new(HmacSha1, &client, Some(&token)).unwrap();
    for text in [
        format!("{client:?}"),
        format!("{token:?}"),
        format!("{signer:?}"),
    ] {
        assert!(!text.contains("SECRET"), "{text}");
    }
    let req = Request::new("GET", "https://a.example/");
    let auth = signer
        .authorization(&req, &OAuthParams::new("n", 1))
        .unwrap();
    let r = Received::parse(&req, Some(&auth)).unwrap();
    let err = r
        .verify_with_secrets(
            &HmacSha1,
            &Secret::new("consumer-SECRET"),
            Some(&Secret::new("other-SECRET")),
            &Policy::new(1),
            &mut |_: &NonceUse<'_>| true,
        )
        .unwrap_err();
    assert!(!format!("{err} {err:?} {r:?}").contains("SECRET"));
}

#[test]
fn p15_multipart_parts_are_not_parameters() {
    let body = Body::from_content_type(
        Some("multipart/form-data; boundary=x"),
        b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--",
    );
    assert_eq!(
        params("POST", "https://a.example/?q=1", body),
        format!("{PROTOCOL}&q=1")
    );
}

#[test]
fn p16_empty_values_are_values() {
    let p = params("GET", "https://a.example/?a=&b", Body::None);
    assert!(p.starts_with("a=&b=&"), "{p}");
    // An empty name sorts first and is still signed, and sent.
    let p = params("GET", "https://a.example/?=x&=", Body::None);
    assert!(p.starts_with("=&=x&oauth_consumer_key="), "{p}");
    let signer = Signer::new(
        HmacSha1,
        &ClientCredentials::new("k", "s"),
        Some(&TokenCredentials::new("", "")),
    )
    .unwrap();
    let auth = signer
        .authorization(
            &Request::new("GET", "https://a.example/"),
            &OAuthParams::new("n", 1),
        )
        .unwrap();
    assert!(auth.contains("oauth_token=\"\""), "{auth}");
}

#[test]
fn p17_spaces_and_semicolons_in_the_path() {
    let b = base("GET", "https://a.example/a b;c=d/%20e", Body::None);
    assert!(
        b.starts_with("GET&https%3A%2F%2Fa.example%2Fa%2520b%3Bc%3Dd%2F%2520e&"),
        "{b}"
    );
}

#[test]
fn encoding_examples() {
    assert_eq!(
        percent_encode("Dogs, Cats & Mice"),
        "Dogs%2C%20Cats%20%26%20Mice"
    );
}

#[test]
fn protocol_parameters_already_in_the_request_are_refused() {
    use oauth1_core::RequestPart;
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let oauth = OAuthParams::new("n", 1);
    let leftover = Request::new("GET", "https://a.example/?oauth_signature=old");
    assert_eq!(
        signer.authorization(&leftover, &oauth),
        Err(Error::ParameterClash {
            name: "oauth_signature".into(),
            part: RequestPart::Query
        })
    );
    let twice = Request::new("POST", "https://a.example/").with_body(Body::Form(b"oauth_nonce=x"));
    assert_eq!(
        signer.authorization(&twice, &oauth),
        Err(Error::ParameterClash {
            name: "oauth_nonce".into(),
            part: RequestPart::FormBody
        })
    );
    // A protocol name the signer does not set this time is an ordinary, signed parameter.
    let callback_in_query =
        Request::new("POST", "https://a.example/request_token?oauth_callback=oob");
    assert!(signer.authorization(&callback_in_query, &oauth).is_ok());
}

#[test]
fn a_realm_that_cannot_be_a_quoted_string_is_refused() {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let request = Request::new("GET", "https://a.example/");
    for bad in ["a\r\nX-Injected: 1", "nul\0", "caf\u{e9}", "\u{7f}"] {
        let oauth = OAuthParams::new("n", 1).realm(bad);
        assert_eq!(
            signer.authorization(&request, &oauth),
            Err(Error::Misuse(Misuse::InvalidRealm)),
            "{bad:?}"
        );
    }
    // Quotes, backslashes, spaces and tabs are fine: they are escaped or allowed.
    let oauth = OAuthParams::new("n", 1).realm("say \"hi\"\t\\o/");
    let header = signer.authorization(&request, &oauth).unwrap();
    let parsed = oauth1_core::header::AuthorizationHeader::parse(&header).unwrap();
    assert_eq!(parsed.realm(), Some("say \"hi\"\t\\o/"));
}

#[test]
fn a_percent_encoded_realm_name_is_refused_by_the_parser() {
    use oauth1_core::HeaderError;
    for header in [r#"OAuth %72ealm="x""#, r#"OAuth realm="a", %72ealm="""#] {
        assert_eq!(
            oauth1_core::header::AuthorizationHeader::parse(header).map(|_| ()),
            Err(HeaderError::EncodedRealm {
                raw: "%72ealm".into()
            }),
            "{header}"
        );
    }
}

#[test]
fn a_body_hash_computed_by_the_caller_is_an_extra_parameter() {
    let signer = Signer::new(HmacSha1, &ClientCredentials::new("k", "s"), None).unwrap();
    let request = Request::new("PUT", "https://a.example/").with_body(Body::Other(b"Hello World!"));
    let given = OAuthParams::new("n", 1).extra("oauth_body_hash", "Lve95gjOVATpfV8EL5X4nxwjKHE=");
    let computed = OAuthParams::new("n", 1).body_hash(true);
    assert_eq!(
        signer.authorization(&request, &given).unwrap(),
        signer.authorization(&request, &computed).unwrap()
    );
    let both = computed.extra("oauth_body_hash", "Lve95gjOVATpfV8EL5X4nxwjKHE=");
    assert!(matches!(
        signer.authorization(&request, &both),
        Err(Error::Misuse(Misuse::ExtraParameter(_)))
    ));
}

/// `Received::parse` reads the `Authorization` header with the same reader as
/// `AuthorizationHeader::parse`, but puts the parameters straight into its scratch: the two
/// must agree on every header, good or bad (same error; same parameters, realm and order).
#[test]
fn received_reads_a_header_as_the_header_parser_does() {
    use oauth1_core::header::AuthorizationHeader;
    use oauth1_core::{Error, HeaderError, Received, Source};
    let request = Request::new("GET", "https://a.example/p?q=1");
    let signed =
        r#"oauth_consumer_key="ck", oauth_signature_method="PLAINTEXT", oauth_signature="s%26t""#;
    let headers = [
        format!("OAuth {signed}"),
        format!("OAuth realm=\"R \\\"q\\\"\", {signed}, oauth_nonce=\"a%20b\""),
        format!("oauth\t{signed},, oauth_token=\"t\\\\k\","),
        format!("OAuth {signed}, oauth_x%7Ey=\"caf%C3%A9\", oauth_empty=\"\""),
        format!("OAuth {signed}, xoauth_requestor_id=\"r\""),
        format!("OAuth {signed}, oauth_signature=\"again\""),
        format!("OAuth {signed}, oauth_nonce=\"1\", oauth_%6Eonce=\"2\""),
        format!("OAuth {signed}, %72ealm=\"x\""),
        format!("OAuth realm=\"a\", realm=\"b\", {signed}"),
        format!("OAuth {signed}, oauth_bad=\"%G0\""),
        format!("OAuth {signed}, oauth_bad=\"%FF\""),
        format!("OAuth {signed}, oauth_un=quoted"),
        format!("OAuth {signed}, oauth_open=\"never closed"),
        format!("OAuth {signed} oauth_nonce=\"n\""),
        format!("OAuth {signed}, =\"no name\""),
        format!("OAuth {signed}, oauth_caf\u{e9}=\"x\""),
        "Basic dXNlcjpwYXNz".to_owned(),
        "OAuth".to_owned(),
    ];
    for header in &headers {
        let expected = AuthorizationHeader::parse(header);
        let received = Received::parse(&request, Some(header));
        match (expected, received) {
            (Err(HeaderError::NotOAuth), received) => {
                // Not an OAuth header: read as an unsigned request.
                assert!(matches!(received, Err(Error::Verify(_))), "{header}");
            }
            (Err(e), received) => {
                assert_eq!(received.err(), Some(Error::Header(e)), "{header}");
            }
            (Ok(parsed), received) => {
                let received = match received {
                    Ok(received) => received,
                    // A header with no signature parses, but is not a signed request.
                    Err(Error::Verify(_)) if parsed.get("oauth_signature").is_none() => continue,
                    Err(e) => panic!("{header}: {e}"),
                };
                assert_eq!(received.realm(), parsed.realm(), "{header}");
                let mut from_header: Vec<(Vec<u8>, Vec<u8>)> = parsed
                    .params()
                    .iter()
                    .filter(|(name, _)| name != "oauth_signature")
                    .map(|(n, v)| (n.clone().into_bytes(), v.clone().into_bytes()))
                    .collect();
                let mut from_received: Vec<(Vec<u8>, Vec<u8>)> = received
                    .parameters()
                    .filter(|p| p.source == Source::Protocol)
                    .map(|p| (p.name.to_vec(), p.value.to_vec()))
                    .collect();
                from_header.sort();
                from_received.sort();
                assert_eq!(from_received, from_header, "{header}");
            }
        }
    }
    // Only the received header is held to protocol names: other parameters go in the query
    // or the body (RFC 5849 §3.5.1), and a verifier refuses them before reading on.
    for header in [
        format!("OAuth {signed}, a=\"1\""),
        format!("OAuth a%5F=\"%G0\", {signed}"),
        format!("OAuth {signed}, oauth=\"1\""),
    ] {
        assert!(AuthorizationHeader::parse(&header).is_ok() || header.contains("%G0"));
        assert!(
            matches!(
                Received::parse(&request, Some(&header)),
                Err(Error::Header(HeaderError::NotProtocol { .. }))
            ),
            "{header}"
        );
    }
}

/// `sign_http` signs the same request the same way whatever the body type holding it
/// (`Vec<u8>`, `String`, `Bytes`), in every placement, and what it signed verifies.
#[test]
fn every_body_type_signs_alike_and_verifies() {
    use oauth1_core::{Placement, Policy, Received, Secret, SignableBody};
    let signer = oauth1_core::Signer::new(
        HmacSha1,
        &ClientCredentials::new("ck", "cs"),
        Some(&TokenCredentials::new("tk", "ts")),
    )
    .unwrap();
    fn sign<B: SignableBody>(
        signer: &oauth1_core::Signer,
        body: B,
        placement: Placement,
    ) -> http::Request<B> {
        let mut request = http::Request::post("https://api.example.com/r?a=1")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .unwrap();
        signer
            .sign_http(&mut request, placement, &OAuthParams::new("n", 1_000))
            .unwrap();
        request
    }
    let form = "status=caf%C3%A9+%26+more";
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let vec = sign(&signer, form.as_bytes().to_vec(), placement);
        let string = sign(&signer, form.to_owned(), placement);
        let bytes = sign(&signer, bytes::Bytes::from(form), placement);
        for other in [string.map(String::into_bytes), bytes.map(|b| b.to_vec())] {
            assert_eq!(other.uri(), vec.uri(), "{placement:?}");
            assert_eq!(other.headers(), vec.headers(), "{placement:?}");
            assert_eq!(other.body(), vec.body(), "{placement:?}");
        }
        #[cfg(feature = "http-body")]
        {
            let full = sign(
                &signer,
                http_body_util::Full::new(bytes::Bytes::from(form)),
                placement,
            );
            let full = full.map(|b| b.into_inner().unwrap_or_default().to_vec());
            assert_eq!(full.uri(), vec.uri(), "{placement:?}");
            assert_eq!(full.headers(), vec.headers(), "{placement:?}");
            assert_eq!(full.body(), vec.body(), "{placement:?}");
        }
        let received = Received::parse_http(&vec, "https").unwrap();
        received
            .verify_with_secrets(
                &HmacSha1,
                &Secret::new("cs"),
                Some(&Secret::new("ts")),
                &Policy::new(1_000),
                &mut |_: &oauth1_core::NonceUse<'_>| true,
            )
            .unwrap_or_else(|e| panic!("{placement:?}: {e}"));
    }
}

/// A request that cannot be signed keeps its body: `sign_http` takes it out while it signs.
#[test]
fn a_request_that_cannot_be_signed_keeps_its_body() {
    let signer =
        oauth1_core::Signer::new(HmacSha1, &ClientCredentials::new("ck", "cs"), None).unwrap();
    let mut json = http::Request::post("https://api.example.com/2/tweets")
        .header("content-type", "application/json")
        .body(String::from("{\"text\":\"hi\"}"))
        .unwrap();
    let refused = signer.sign_http(
        &mut json,
        oauth1_core::Placement::Body,
        &OAuthParams::new("n", 1),
    );
    assert!(refused.is_err());
    assert_eq!(json.body(), "{\"text\":\"hi\"}");
    assert!(json.headers().get("authorization").is_none());
}
