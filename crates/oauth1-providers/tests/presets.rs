//! Each preset without a network: endpoints, realms, account ids, authorization parameters,
//! signed requests, token fields, error bodies as each service documents them, the checks, and
//! Magento's activation form, hostile input included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use http::{HeaderMap, StatusCode};
use oauth1_core::{HmacSha1, HmacSha256, Policy, Received, Secret};
use oauth1_flow::{AccessToken, Callback, ClientCredentials, Flow, ServiceProvider};
use oauth1_providers::discogs::{Discogs, DiscogsMethod, UserAgentError};
use oauth1_providers::flickr::{Flickr, FlickrToken, Perms};
use oauth1_providers::garmin::Garmin;
use oauth1_providers::jira::{Jira, JiraKeyError, JiraToken};
use oauth1_providers::lti::{LaunchError, Lti, Role};
use oauth1_providers::magento::{Activation, ActivationError, Magento, MAX_ACTIVATION};
use oauth1_providers::netsuite::{self, AccountId, AccountIdError, NetSuite};
use oauth1_providers::smugmug::{Access, Permissions, SmugMug};
use oauth1_providers::trello::{Expiration, Scope, Trello};
use oauth1_providers::tumblr::Tumblr;
use oauth1_providers::woocommerce::{WooCommerce, WooMethod};
use oauth1_providers::zotero::{GroupAccess, KeyPermissions, Zotero, ZoteroToken};
use oauth1_providers::{BaseUrlError, FindingKind, Preset, PresetOptions, Severity};

const NOW: u64 = 1_700_000_000;

fn stamp() -> (String, u64) {
    ("fixed-nonce-123".to_owned(), NOW)
}

fn consumer() -> ClientCredentials {
    ClientCredentials::new("ck", "cs")
}

/// Runs the dance without a network: the request-token and access-token answers given.
fn token<P: ServiceProvider>(
    flow: &Flow<P>,
    request_token: &str,
    access_token: &str,
) -> AccessToken {
    let (_, pending) = flow.prepare_request_token(Callback::Oob).unwrap();
    let rt = pending
        .handle_response(http::Response::new(request_token.as_bytes().to_vec()))
        .unwrap();
    let verifier = rt.verifier_from_pin("v").unwrap();
    let (_, pending) = flow.prepare_access_token(&verifier).unwrap();
    pending
        .handle_response(http::Response::new(access_token.as_bytes().to_vec()))
        .unwrap()
}

const RT: &str = "oauth_token=rt&oauth_token_secret=rs&oauth_callback_confirmed=true";

fn authorization(request: &http::Request<Vec<u8>>) -> &str {
    request.headers()["authorization"].to_str().unwrap()
}

fn signed_get(header: &str, url: &str) -> http::Request<Vec<u8>> {
    http::Request::get(url)
        .header("authorization", header)
        .body(Vec::new())
        .unwrap()
}

fn error<P: ServiceProvider>(p: &P, status: u16, body: &str) -> String {
    p.parse_error(
        StatusCode::from_u16(status).unwrap(),
        &HeaderMap::new(),
        body.as_bytes(),
    )
    .to_string()
}

// ---- NetSuite ----

#[test]
fn netsuite_account_ids_are_read_in_both_forms() {
    for (input, host, realm) in [
        ("1234567", "1234567", "1234567"),
        ("1234567-sb1", "1234567-sb1", "1234567_SB1"),
        ("1234567_SB1", "1234567-sb1", "1234567_SB1"),
        ("1234567_sb2", "1234567-sb2", "1234567_SB2"),
        (" 1234567-RP ", "1234567-rp", "1234567_RP"),
        ("TSTDRV1234567", "tstdrv1234567", "TSTDRV1234567"),
    ] {
        let id = AccountId::parse(input).unwrap();
        assert_eq!(
            (id.host_label(), id.realm().as_str()),
            (host, realm),
            "{input}"
        );
        assert_eq!(id.to_string(), host);
    }
    assert_eq!(
        "1234567-sb1".parse::<AccountId>().unwrap(),
        "1234567_SB1".parse::<AccountId>().unwrap()
    );
}

#[test]
fn netsuite_account_ids_are_refused_with_a_reason() {
    assert_eq!(AccountId::parse("  "), Err(AccountIdError::Empty));
    for host in [
        "1234567.app.netsuite.com",
        "https://1234567.restlets.api.netsuite.com",
        "1234567-sb1.suitetalk.api.netsuite.com/services",
    ] {
        assert!(
            matches!(AccountId::parse(host), Err(AccountIdError::Host { .. })),
            "{host}"
        );
    }
    for bad in [
        "1234 567",
        "1234567-",
        "1234567_",
        "-sb1",
        "1234567-sb1-x",
        "1234567_1",
        "1234567-s b1",
        "1234567-sandbox12",
        "ü1234567",
        "1234567;drop",
    ] {
        let e = AccountId::parse(bad).unwrap_err();
        assert!(matches!(e, AccountIdError::Invalid { .. }), "{bad}: {e:?}");
        assert!(e.to_string().contains("1234567_SB1"), "{e}");
    }
    let long = "9".repeat(10_000);
    let e = AccountId::parse(&long).unwrap_err().to_string();
    assert!(e.len() < 300, "{e}");
}

#[test]
fn netsuite_hosts_realm_and_signature() {
    let ns = NetSuite::account("1234567_SB1").unwrap();
    let e = ns.endpoints();
    assert_eq!(
        e.request_token.url,
        "https://1234567-sb1.restlets.api.netsuite.com/rest/requesttoken"
    );
    assert_eq!(
        e.authorize,
        "https://1234567-sb1.app.netsuite.com/app/login/secure/authorizetoken.nl"
    );
    assert_eq!(
        e.access_token.url,
        "https://1234567-sb1.restlets.api.netsuite.com/rest/accesstoken"
    );
    assert_eq!(
        ns.record_url("customer"),
        "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer"
    );
    assert_eq!(
        ns.app_url("/app/center/card.nl"),
        "https://1234567-sb1.app.netsuite.com/app/center/card.nl"
    );
    let local = ns.clone().with_base("http://127.0.0.1:8080/").unwrap();
    assert_eq!(
        local.endpoints().request_token.url,
        "http://127.0.0.1:8080/rest/requesttoken"
    );
    assert_eq!(
        local.restlet_url(7, 1),
        "http://127.0.0.1:8080/app/site/hosting/restlet.nl?script=7&deploy=1"
    );
    assert!(matches!(
        ns.clone().with_base("nope"),
        Err(BaseUrlError::NotAbsolute { .. })
    ));

    let flow = ns.clone().flow(consumer()).unwrap().stamp(stamp);
    let client = flow
        .signed_client((), &NetSuite::issued_token("tid", "tsecret"))
        .unwrap();
    let mut request = client.prepare_get(&ns.restlet_url(42, 1), &[]).unwrap();
    client.sign(&mut request, false).unwrap();
    let header = authorization(&request);
    assert!(
        header.starts_with(r#"OAuth realm="1234567_SB1""#),
        "{header}"
    );
    assert!(header.contains(r#"oauth_signature_method="HMAC-SHA256""#));
    assert!(header.contains(r#"oauth_token="tid""#));
    assert!(ns.check(&request).is_empty(), "{:?}", ns.check(&request));
    let received = Received::parse_http(&request, "https").unwrap();
    received
        .verify_with_secrets(
            &HmacSha256,
            &Secret::new("cs"),
            Some(&Secret::new("tsecret")),
            &Policy::new(NOW),
            &mut |_: &oauth1_core::NonceUse<'_>| true,
        )
        .unwrap();
}

#[test]
fn netsuite_checks_name_what_gets_invalid_login() {
    let ns = NetSuite::account("1234567-sb1").unwrap();
    let url = ns.restlet_url(1, 1);
    let base = r#"oauth_consumer_key="ck", oauth_token="t", oauth_timestamp="1", oauth_nonce="nonce1", oauth_signature="s""#;
    let kinds = |realm: &str, method: &str, url: &str| -> Vec<FindingKind> {
        let header = format!("OAuth {realm}{base}, oauth_signature_method=\"{method}\"");
        ns.check(&signed_get(&header, url))
            .into_iter()
            .map(|f| f.kind)
            .collect()
    };
    assert_eq!(kinds(r#"realm="1234567_SB1", "#, "HMAC-SHA256", &url), []);
    let found = kinds(r#"realm="1234567-sb1", "#, "HMAC-SHA1", &url);
    assert!(found.contains(&FindingKind::SignatureMethod {
        found: "HMAC-SHA1".into(),
        accepted: &["HMAC-SHA256"]
    }));
    assert!(found.contains(&FindingKind::RealmForm {
        found: "1234567-sb1".into(),
        expected: "1234567_SB1".into()
    }));
    assert_eq!(
        kinds("", "HMAC-SHA256", &url),
        [FindingKind::RealmMissing {
            expected: "1234567_SB1".into()
        }]
    );
    assert_eq!(
        kinds(r#"realm="7654321", "#, "HMAC-SHA256", &url),
        [FindingKind::RealmMismatch {
            found: "7654321".into(),
            expected: "1234567_SB1".into()
        }]
    );
    assert_eq!(
        kinds(r#"realm="1234567_SB1", "#, "HMAC-SHA256", "https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1"),
        [FindingKind::Host { found: "1234567.restlets.api.netsuite.com".into(), expected: "1234567-sb1.restlets.api.netsuite.com".into() }]
    );
    let no_token = signed_get(
        r#"OAuth realm="1234567_SB1", oauth_consumer_key="ck", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1", oauth_nonce="nonce1", oauth_signature="s""#,
        &url,
    );
    assert_eq!(ns.check(&no_token)[0].kind, FindingKind::MissingToken);
    let unsigned = http::Request::get(&url).body(Vec::new()).unwrap();
    assert_eq!(ns.check(&unsigned)[0].kind, FindingKind::NotSigned);
    // Each message says what to do.
    let header =
        format!("OAuth realm=\"1234567-sb1\", {base}, oauth_signature_method=\"HMAC-SHA1\"");
    let text: Vec<String> = ns
        .check(&signed_get(&header, &url))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("netsuite: ") && t.contains("sign with HMAC-SHA256")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains(r#"write it "1234567_SB1""#)),
        "{text:?}"
    );
}

#[test]
fn netsuite_error_bodies_say_what_netsuite_said() {
    let ns = NetSuite::account("1234567").unwrap();
    let rest = r#"{"type":"https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2","title":"Unauthorized","status":401,"o:errorDetails":[{"detail":"Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.","o:errorCode":"INVALID_LOGIN"}]}"#;
    let text = error(&ns, 401, rest);
    assert!(
        text.contains("Unauthorized: INVALID_LOGIN: Invalid login attempt."),
        "{text}"
    );
    let parsed = ns.parse_error(StatusCode::UNAUTHORIZED, &HeaderMap::new(), rest.as_bytes());
    assert!(netsuite::is_invalid_login(&parsed));
    let restlet =
        r#"{"error" : {"code" : "INVALID_LOGIN_ATTEMPT", "message" : "Invalid login attempt."}}"#;
    let text = error(&ns, 401, restlet);
    assert!(
        text.contains("INVALID_LOGIN_ATTEMPT: Invalid login attempt."),
        "{text}"
    );
    // The token endpoints' problem reports and anything else, as the default reads them.
    assert!(error(&ns, 401, "oauth_problem=nonce_rejected").contains("nonce_rejected"));
    assert!(error(&ns, 500, "<html>oops</html>").contains("oops"));
    let plain = ns.parse_error(StatusCode::UNAUTHORIZED, &HeaderMap::new(), b"{}");
    assert!(!netsuite::is_invalid_login(&plain));
}

// ---- Jira ----

const PRIVATE: &str = include_str!("data/jira_private.pem");
const PUBLIC: &str = include_str!("data/jira_public.pem");

#[test]
fn jira_signs_with_rsa_sha1_and_no_secret() {
    assert!(matches!(
        Jira::new(""),
        Err(BaseUrlError::NotAbsolute { .. })
    ));
    let jira = Jira::new("https://jira.example.com/jira/").unwrap();
    assert_eq!(
        jira.endpoints().authorize,
        "https://jira.example.com/jira/plugins/servlet/oauth/authorize"
    );
    assert_eq!(
        jira.endpoints().access_token.url,
        "https://jira.example.com/jira/plugins/servlet/oauth/access-token"
    );
    let flow = jira
        .clone()
        .flow("jira-consumer", PRIVATE)
        .unwrap()
        .stamp(stamp);
    assert!(flow.client().secret().is_empty());
    let (request, _) = flow.prepare_request_token(Callback::Oob).unwrap();
    assert!(authorization(&request).contains(r#"oauth_signature_method="RSA-SHA1""#));
    assert!(jira.check(&request).is_empty());
    let received = Received::parse_http(&request, "https").unwrap();
    let public = oauth1_core::RsaSha1::from_public_pem(PUBLIC).unwrap();
    received
        .verify_with_secrets(
            &public,
            &Secret::new(""),
            None,
            &Policy::new(NOW),
            &mut |_: &oauth1_core::NonceUse<'_>| true,
        )
        .unwrap();

    let e = jira.clone().flow("k", "not a key").unwrap_err();
    assert!(matches!(e, JiraKeyError::Key(_)));
    assert!(std::error::Error::source(&e).is_some());
    let hmac = signed_get(
        r#"OAuth oauth_consumer_key="k", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s""#,
        "https://jira.example.com/jira/rest/api/2/myself",
    );
    assert!(matches!(
        jira.check(&hmac)[0].kind,
        FindingKind::SignatureMethod {
            accepted: &["RSA-SHA1"],
            ..
        }
    ));
}

#[test]
fn jira_problems_and_token_fields() {
    let jira = Jira::new("https://jira.example.com").unwrap();
    let text = error(
        &jira,
        401,
        "oauth_problem=signature_invalid&oauth_signature_base_string=GET%26x",
    );
    assert!(text.contains("oauth_problem=signature_invalid"), "{text}");
    assert!(
        error(&jira, 401, "oauth_problem=consumer_key_unknown").contains("consumer_key_unknown")
    );
    let flow = jira.flow("k", PRIVATE).unwrap().stamp(stamp);
    let t = token(&flow, RT, "oauth_token=at&oauth_token_secret=as&oauth_expires_in=157680000&oauth_session_handle=h&oauth_authorization_expires_in=160833600");
    let fields = JiraToken::from(&t);
    assert_eq!(
        fields.expires_in(),
        Some(std::time::Duration::from_secs(157_680_000))
    );
    assert_eq!(
        fields.authorization_expires_in(),
        Some(std::time::Duration::from_secs(160_833_600))
    );
    assert_eq!(fields.session_handle(), Some("h"));
}

// ---- WooCommerce ----

#[test]
fn woocommerce_signs_one_legged_in_the_query() {
    assert!(WooCommerce::new("shop.example.com").is_err());
    for method in [WooMethod::HmacSha256, WooMethod::HmacSha1] {
        let shop = WooCommerce::new("http://shop.example.com/")
            .unwrap()
            .method(method);
        assert_eq!(
            shop.api_url("/products"),
            "http://shop.example.com/wp-json/wc/v3/products"
        );
        let client = Flow::new(shop.clone(), consumer())
            .unwrap()
            .stamp(stamp)
            .consumer_client(())
            .unwrap();
        let mut request = client
            .prepare_get(&shop.api_url("products"), &[("per_page", "2")])
            .unwrap();
        client.sign(&mut request, false).unwrap();
        assert!(request.headers().get("authorization").is_none());
        let query = request.uri().query().unwrap();
        assert!(
            query.contains(&format!("oauth_signature_method={}", method.as_str())),
            "{query}"
        );
        assert!(!query.contains("oauth_token"));
        assert!(
            shop.check(&request).is_empty(),
            "{:?}",
            shop.check(&request)
        );
        let received = Received::parse_http(&request, "http").unwrap();
        let mut ok = |_: &oauth1_core::NonceUse<'_>| true;
        match method {
            WooMethod::HmacSha1 => received.verify_with_secrets(
                &HmacSha1,
                &Secret::new("cs"),
                None,
                &Policy::new(NOW),
                &mut ok,
            ),
            WooMethod::HmacSha256 => received.verify_with_secrets(
                &HmacSha256,
                &Secret::new("cs"),
                None,
                &Policy::new(NOW),
                &mut ok,
            ),
        }
        .unwrap();
    }
}

#[test]
fn woocommerce_checks_and_errors() {
    let shop = WooCommerce::new("http://shop.example.com").unwrap();
    let header = signed_get(
        r#"OAuth oauth_consumer_key="ck", oauth_token="t", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s""#,
        "https://shop.example.com/wp-json/wc/v3/products",
    );
    let kinds: Vec<FindingKind> = shop.check(&header).into_iter().map(|f| f.kind).collect();
    assert!(matches!(kinds[0], FindingKind::Scheme { .. }), "{kinds:?}");
    assert!(kinds
        .iter()
        .any(|k| matches!(k, FindingKind::Placement { .. })));
    assert!(kinds.contains(&FindingKind::UnexpectedToken));
    let body = r#"{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}"#;
    let text = error(&shop, 401, body);
    assert!(text.contains("woocommerce_rest_authentication_error: Invalid signature - provided signature does not match."), "{text}");
}

// ---- Magento ----

const ACTIVATION: &str = "oauth_consumer_key=ck&oauth_consumer_secret=cs&store_base_url=https%3A%2F%2Fstore.example.com%2F&oauth_verifier=ver";

#[test]
fn magento_activation_is_read_and_bounded() {
    let a = Activation::parse(ACTIVATION.as_bytes()).unwrap();
    assert_eq!(a.consumer_key(), "ck");
    assert_eq!(a.consumer_secret().secret(), "cs");
    assert_eq!(a.oauth_verifier().secret(), "ver");
    assert_eq!(a.store_base_url(), "https://store.example.com");
    let debug = format!("{a:?}");
    assert!(
        !debug.contains("\"cs\"") && !debug.contains("ver\""),
        "{debug}"
    );
    // Other fields are ignored; order does not matter.
    let reordered = "x=1&oauth_verifier=ver&store_base_url=http%3A%2F%2F127.0.0.1%3A8080&oauth_consumer_secret=cs&oauth_consumer_key=ck";
    assert_eq!(
        Activation::parse(reordered.as_bytes())
            .unwrap()
            .store_base_url(),
        "http://127.0.0.1:8080"
    );

    let big = format!("{ACTIVATION}&pad={}", "a".repeat(MAX_ACTIVATION));
    assert_eq!(
        Activation::parse(big.as_bytes()),
        Err(ActivationError::TooLarge {
            limit: MAX_ACTIVATION
        })
    );
    for field in [
        "oauth_consumer_key",
        "oauth_consumer_secret",
        "store_base_url",
        "oauth_verifier",
    ] {
        let without: String = ACTIVATION
            .split('&')
            .filter(|p| !p.starts_with(&format!("{field}=")))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(
            Activation::parse(without.as_bytes()),
            Err(ActivationError::Missing(field)),
            "{field}"
        );
        let empty = ACTIVATION.replace(&format!("{field}="), &format!("{field}=&x="));
        assert_eq!(
            Activation::parse(empty.as_bytes()),
            Err(ActivationError::Missing(field)),
            "{field}"
        );
        let twice = format!("{ACTIVATION}&{field}=again");
        assert_eq!(
            Activation::parse(twice.as_bytes()),
            Err(ActivationError::Duplicate(field)),
            "{field}"
        );
    }
    assert_eq!(
        Activation::parse(b"oauth_consumer_key=\xff\xfe"),
        Err(ActivationError::Encoding)
    );
    assert_eq!(
        Activation::parse(b"oauth_consumer_key=%zz"),
        Err(ActivationError::Encoding)
    );
    assert_eq!(
        Activation::parse(b""),
        Err(ActivationError::Missing("oauth_consumer_key"))
    );
    for url in [
        "store.example.com",
        "ftp%3A%2F%2Fstore.example.com",
        "javascript%3Aalert(1)",
        "https%3A%2F%2Fstore.example.com%2F%3Fa%3D1",
    ] {
        let body = ACTIVATION.replace("https%3A%2F%2Fstore.example.com%2F", url);
        let e = Activation::parse(body.as_bytes()).unwrap_err();
        assert!(matches!(e, ActivationError::StoreUrl(_)), "{url}: {e:?}");
        assert!(std::error::Error::source(&e).is_some());
    }
    let json = http::Request::post("/activate")
        .header("content-type", "application/json")
        .body(ACTIVATION.as_bytes().to_vec())
        .unwrap();
    assert_eq!(
        Activation::from_request(&json),
        Err(ActivationError::NotForm)
    );
    let form = http::Request::post("/activate")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(ACTIVATION.as_bytes().to_vec())
        .unwrap();
    assert_eq!(Activation::from_request(&form).unwrap(), a);
    for e in [
        ActivationError::TooLarge { limit: 1 },
        ActivationError::NotForm,
        ActivationError::Encoding,
        ActivationError::Missing("x"),
        ActivationError::Duplicate("x"),
    ] {
        assert!(!e.to_string().contains("cs"), "{e}");
    }
}

#[test]
fn magento_exchange_without_callback_confirmed() {
    let a = Activation::parse(ACTIVATION.as_bytes()).unwrap();
    let flow = a.flow().unwrap().stamp(stamp);
    assert!(!flow.provider().requires_callback_confirmed());
    let (request, pending) = flow.prepare_request_token(Callback::Oob).unwrap();
    assert_eq!(
        request.uri(),
        "https://store.example.com/oauth/token/request"
    );
    assert!(authorization(&request).contains("HMAC-SHA256"));
    let rt = pending
        .handle_response(http::Response::new(
            b"oauth_token=rt&oauth_token_secret=rs".to_vec(),
        ))
        .unwrap();
    let verifier = a.verifier(&rt).unwrap();
    let (request, _) = flow.prepare_access_token(&verifier).unwrap();
    assert_eq!(
        request.uri(),
        "https://store.example.com/oauth/token/access"
    );
    assert!(authorization(&request).contains(r#"oauth_verifier="ver""#));
    assert!(flow.provider().check(&request).is_empty());
}

#[test]
fn magento_issued_tokens_and_errors() {
    assert!(matches!(
        Magento::new("").unwrap_err(),
        BaseUrlError::NotAbsolute { .. }
    ));
    let store = Magento::new("https://store.example.com").unwrap();
    let flow = store.clone().flow(consumer()).unwrap();
    let client = flow
        .signed_client((), &Magento::issued_token("at", "as"))
        .unwrap();
    let mut request = client
        .prepare_get(&store.api_url("V1/store/storeConfigs"), &[])
        .unwrap();
    client.sign(&mut request, false).unwrap();
    assert_eq!(
        request.uri(),
        "https://store.example.com/rest/V1/store/storeConfigs"
    );
    assert!(store.check(&request).is_empty());
    let sha1 = signed_get(
        r#"OAuth oauth_consumer_key="ck", oauth_token="at", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s""#,
        "https://store.example.com/rest/V1/products",
    );
    assert!(matches!(
        store.check(&sha1)[0].kind,
        FindingKind::SignatureMethod { .. }
    ));
    let text = error(
        &store,
        401,
        r#"{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"Magento_Catalog::products"}}"#,
    );
    assert!(
        text.contains("The consumer isn't authorized to access Magento_Catalog::products."),
        "{text}"
    );
    let text = error(
        &store,
        400,
        r#"{"message":"%1 is a required field.","parameters":["sku"]}"#,
    );
    assert!(text.contains("sku is a required field."), "{text}");
    let text = error(
        &store,
        401,
        "oauth_problem=Cannot+create+request+token+because+consumer+token+is+not+a+verifier+token",
    );
    assert!(
        text.contains("consumer token is not a verifier token"),
        "{text}"
    );
}

// ---- Flickr, Trello, SmugMug, Zotero: authorization parameters and token fields ----

#[test]
fn flickr_perms_get_token_requests_and_fields() {
    let flickr = Flickr::new().perms(Perms::Delete);
    let flow = Flow::new(flickr.clone(), consumer()).unwrap().stamp(stamp);
    let (request, pending) = flow.prepare_request_token(Callback::Oob).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert!(request
        .uri()
        .to_string()
        .starts_with("https://www.flickr.com/services/oauth/request_token?"));
    assert!(request.uri().query().unwrap().contains("oauth_signature="));
    assert!(flickr.check(&request).is_empty());
    let rt = pending
        .handle_response(http::Response::new(RT.as_bytes().to_vec()))
        .unwrap();
    assert_eq!(
        rt.authorize_url(&flow, &[]).unwrap(),
        "https://www.flickr.com/services/oauth/authorize?oauth_token=rt&perms=delete"
    );
    let t = token(&flow, RT, "fullname=Jamal%20Fanaian&oauth_token=at&oauth_token_secret=as&user_nsid=21207597%40N07&username=jamalfanaian");
    let f = FlickrToken::from(&t);
    assert_eq!(
        (f.user_nsid(), f.username(), f.fullname()),
        (
            Some("21207597@N07"),
            Some("jamalfanaian"),
            Some("Jamal Fanaian")
        )
    );
    assert_eq!(Perms::from_name("WRITE"), Some(Perms::Write));
    assert_eq!(Perms::from_name("admin"), None);
    let text = error(
        &flickr,
        200,
        r#"{"stat":"fail","code":98,"message":"Invalid auth token"}"#,
    );
    assert!(text.contains("code 98: Invalid auth token"), "{text}");
    let text = error(
        &flickr,
        401,
        "oauth_problem=signature_invalid&debug_sbs=GET%26https",
    );
    assert!(text.contains("signature_invalid"), "{text}");
}

#[test]
fn trello_smugmug_zotero_authorize_urls() {
    let trello = Trello::new()
        .name("My App")
        .scope(&[Scope::Read, Scope::Account])
        .expiration(Expiration::OneDay);
    let flow = Flow::new(trello.clone(), consumer()).unwrap();
    let (_, pending) = flow.prepare_request_token(Callback::Oob).unwrap();
    let rt = pending
        .handle_response(http::Response::new(RT.as_bytes().to_vec()))
        .unwrap();
    assert_eq!(
        rt.authorize_url(&flow, &[]).unwrap(),
        "https://trello.com/1/OAuthAuthorizeToken?oauth_token=rt&name=My%20App&scope=read%2Caccount&expiration=1day"
    );
    // The application's own parameter of the same name replaces the preset's.
    assert!(rt
        .authorize_url(&flow, &[("expiration", "never")])
        .unwrap()
        .ends_with("scope=read%2Caccount&expiration=never"));
    assert_eq!(
        Scope::parse_list("write,read,write"),
        Ok(vec![Scope::Write, Scope::Read])
    );
    assert_eq!(Scope::parse_list(""), Err(String::new()));
    assert_eq!(
        trello.api_url("members/me"),
        "https://api.trello.com/1/members/me"
    );
    assert!(error(&trello, 401, "invalid signature").contains("body: invalid signature"));
    assert_eq!(
        Expiration::from_name("30DAYS"),
        Some(Expiration::ThirtyDays)
    );

    let smugmug = SmugMug::new()
        .access(Access::Full)
        .permissions(Permissions::Add);
    assert_eq!(
        smugmug.endpoints().request_token.url,
        "https://api.smugmug.com/services/oauth/1.0a/getRequestToken"
    );
    assert_eq!(
        smugmug.authorize_params(),
        [
            ("Access".to_owned(), "Full".to_owned()),
            ("Permissions".to_owned(), "Add".to_owned())
        ]
    );
    assert!(SmugMug::new().authorize_params().is_empty());
    let text = error(
        &smugmug,
        401,
        r#"{"Code":401,"Message":"oauth_problem=token_rejected"}"#,
    );
    assert!(
        text.contains("code 401: oauth_problem=token_rejected"),
        "{text}"
    );
    assert_eq!(
        smugmug.api_url("!authuser"),
        "https://api.smugmug.com/api/v2!authuser"
    );

    let zotero = Zotero::new()
        .name("key for app")
        .permissions(KeyPermissions {
            notes: true,
            all_groups: Some(GroupAccess::None),
            identity: true,
            ..KeyPermissions::default()
        });
    assert_eq!(
        zotero.authorize_params(),
        [
            ("name".to_owned(), "key for app".to_owned()),
            ("notes_access".to_owned(), "1".to_owned()),
            ("all_groups".to_owned(), "none".to_owned()),
            ("identity".to_owned(), "1".to_owned()),
        ]
    );
    assert_eq!(KeyPermissions::parse_list("admin"), Err("admin".to_owned()));
    let flow = Flow::new(zotero, consumer()).unwrap().stamp(stamp);
    let t = token(
        &flow,
        RT,
        "oauth_token=at&oauth_token_secret=the-api-key&userID=475425&username=alice",
    );
    let z = ZoteroToken::from(&t);
    assert_eq!(
        (z.user_id(), z.username(), z.api_key().secret()),
        (Some(475_425), Some("alice"), "the-api-key")
    );
}

// ---- Tumblr, Garmin, Discogs ----

#[test]
fn tumblr_and_garmin() {
    let tumblr = Tumblr::new();
    let text = error(
        &tumblr,
        401,
        r#"{"meta":{"status":401,"msg":"Unauthorized"},"response":[],"errors":[{"title":"Unauthorized","code":1016,"detail":"Unable to authorize"}]}"#,
    );
    assert!(
        text.contains("code 1016: Unauthorized: Unable to authorize"),
        "{text}"
    );
    let text = error(
        &tumblr,
        404,
        r#"{"meta":{"status":404,"msg":"Not Found"},"response":[]}"#,
    );
    assert!(text.contains("code 404: Not Found"), "{text}");
    assert_eq!(
        Tumblr::with_base("http://127.0.0.1:1")
            .unwrap()
            .endpoints()
            .access_token
            .url,
        "http://127.0.0.1:1/oauth/access_token"
    );

    let garmin = Garmin::new();
    assert_eq!(
        garmin.endpoints().request_token.url,
        "https://connectapi.garmin.com/oauth-service/oauth/request_token"
    );
    assert_eq!(
        garmin.endpoints().access_token.url,
        "https://connectapi.garmin.com/oauth-service/oauth/access_token"
    );
    let local = Garmin::with_base("http://127.0.0.1:1").unwrap();
    assert_eq!(
        local.endpoints().authorize,
        "http://127.0.0.1:1/oauthConfirm"
    );
    assert_eq!(
        local.api_url("/wellness-api/rest/user/id"),
        "http://127.0.0.1:1/wellness-api/rest/user/id"
    );
}

#[test]
fn discogs_user_agent_everywhere() {
    assert_eq!(Discogs::new(" ").unwrap_err(), UserAgentError::Empty);
    assert_eq!(
        Discogs::new("a\u{7}b").unwrap_err(),
        UserAgentError::Invalid
    );
    assert_eq!(
        Discogs::new(&"a".repeat(300)).unwrap_err(),
        UserAgentError::Invalid
    );
    let discogs = Discogs::new("MyApp/1.0 +https://myapp.example")
        .unwrap()
        .method(DiscogsMethod::Plaintext);
    assert_eq!(discogs.endpoints().request_token.method, http::Method::GET);
    let flow = Flow::new(discogs.clone(), consumer()).unwrap().stamp(stamp);
    let (request, _) = flow.prepare_request_token(Callback::Oob).unwrap();
    assert_eq!(
        request.headers()["user-agent"],
        "MyApp/1.0 +https://myapp.example"
    );
    assert!(authorization(&request).contains("PLAINTEXT"));
    assert!(discogs.check(&request).is_empty());
    let t = token(&flow, RT, "oauth_token=at&oauth_token_secret=as");
    let client = flow.signed_client((), &t).unwrap();
    let mut call = client
        .prepare_get(&discogs.api_url("/oauth/identity"), &[])
        .unwrap();
    client.sign(&mut call, false).unwrap();
    assert_eq!(
        call.headers()["user-agent"],
        "MyApp/1.0 +https://myapp.example"
    );

    let bare = signed_get(
        r#"OAuth oauth_consumer_key="ck", oauth_signature_method="PLAINTEXT", oauth_timestamp="1", oauth_nonce="n", oauth_signature="cs%26""#,
        "http://api.discogs.com/oauth/identity",
    );
    let kinds: Vec<FindingKind> = discogs.check(&bare).into_iter().map(|f| f.kind).collect();
    assert_eq!(kinds[0], FindingKind::MissingHeader { name: "User-Agent" });
    assert!(matches!(kinds[1], FindingKind::Scheme { .. }));
    let text = error(
        &discogs,
        401,
        r#"{"message": "You must authenticate to access this resource."}"#,
    );
    assert!(
        text.contains("You must authenticate to access this resource."),
        "{text}"
    );
}

// ---- LTI ----

#[test]
fn lti_launches_are_signed_form_posts() {
    let tool = Lti::new("https://tool.example.com/launch?course=1").unwrap();
    let launch = tool
        .launch("88391-e1919-bb3456")
        .user_id("0ae836b9")
        .roles(&[
            Role::Instructor,
            Role::Urn("urn:lti:role:ims/lis/TeachingAssistant".into()),
        ])
        .context_id("8213060")
        .context_title("Design of Personal Environments")
        .person_name_full("Jane Q. Public")
        .param("custom_chapter", "3")
        .stamp("fixed-nonce-123", NOW);
    let request = launch
        .sign(&ClientCredentials::new("lms.example.edu", "secret"))
        .unwrap();
    assert_eq!(request.method(), http::Method::POST);
    let body = String::from_utf8(request.body().clone()).unwrap();
    assert!(body.starts_with("lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&resource_link_id=88391-e1919-bb3456"), "{body}");
    assert!(body.contains("roles=Instructor%2Curn%3Alti%3Arole%3Aims%2Flis%2FTeachingAssistant"));
    assert!(body.contains("oauth_callback=about%3Ablank") && body.contains("oauth_version=1.0"));
    assert!(!body.contains("oauth_token"));
    assert!(
        tool.check(&request).is_empty(),
        "{:?}",
        tool.check(&request)
    );
    let received = Received::parse_http(&request, "https").unwrap();
    received
        .verify_with_secrets(
            &HmacSha1,
            &Secret::new("secret"),
            None,
            &Policy::new(NOW),
            &mut |_: &oauth1_core::NonceUse<'_>| true,
        )
        .unwrap();

    assert!(matches!(
        tool.launch(" ").sign(&consumer()),
        Err(LaunchError::EmptyResourceLink)
    ));
    assert!(matches!(
        tool.launch("r").param("oauth_token", "x").sign(&consumer()),
        Err(LaunchError::Reserved(_))
    ));
    assert!(Lti::new("/launch").is_err());

    // What a tool would refuse.
    let get = signed_get(
        r#"OAuth oauth_consumer_key="k", oauth_token="t", oauth_signature_method="HMAC-SHA256", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s""#,
        "https://tool.example.com/launch",
    );
    let kinds: Vec<FindingKind> = tool.check(&get).into_iter().map(|f| f.kind).collect();
    assert!(matches!(kinds[0], FindingKind::Method { .. }));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, FindingKind::Placement { .. })));
    assert!(kinds
        .iter()
        .any(|k| matches!(k, FindingKind::SignatureMethod { .. })));
    assert!(kinds.contains(&FindingKind::UnexpectedToken));
    assert!(kinds.iter().any(|k| matches!(
        k,
        FindingKind::ParameterValue {
            name: "oauth_callback",
            ..
        }
    )));
    assert!(kinds.contains(&FindingKind::MissingParameter {
        name: "resource_link_id"
    }));
}

// ---- The catalog's check and Preset delegation ----

#[test]
fn preset_check_delegates_and_findings_have_severities() {
    let mut options = PresetOptions::default();
    options.user_agent = Some("A/1".into());
    let discogs = Preset::by_name("discogs", &options).unwrap();
    let bare = http::Request::get("https://api.discogs.com/oauth/identity")
        .body(Vec::new())
        .unwrap();
    let findings = discogs.check(&bare);
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings
        .iter()
        .all(|f| f.service == "discogs" && f.severity() == Severity::Error));
    assert_eq!(findings[0].to_string(), "discogs: the request has no User-Agent header, and the service refuses such requests: set one naming your application");
    let magento: Preset = Magento::new("https://store.example.com").unwrap().into();
    assert_eq!(magento.name(), "magento");
    assert_eq!(
        magento
            .parse_error(
                StatusCode::UNAUTHORIZED,
                &HeaderMap::new(),
                br#"{"message":"x %a","parameters":{"a":"y"}}"#
            )
            .problem
            .unwrap()
            .title,
        "x y"
    );
}

// ---- Hostile input and error messages ----

#[test]
fn checks_take_any_request_without_panicking() {
    let presets: Vec<Preset> = oauth1_providers::catalog()
        .iter()
        .map(|info| {
            let mut o = PresetOptions::default();
            match info.name {
                "netsuite" => o.account = Some("1234567".into()),
                "jira" | "woocommerce" | "magento" | "lti" => {
                    o.base_url = Some("https://site.example/x".into());
                }
                "discogs" => o.user_agent = Some("A/1".into()),
                _ => {}
            }
            Preset::by_name(info.name, &o).unwrap()
        })
        .collect();
    let long = "a".repeat(20_000);
    let requests = vec![
        http::Request::post("/relative")
            .header("authorization", "OAuth oauth_signature=\"unterminated")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"\xff\xfe=%zz&oauth_signature=%".to_vec())
            .unwrap(),
        http::Request::get(format!(
            "https://h.example/?oauth_signature={long}&oauth_signature_method={long}"
        ))
        .header(
            "authorization",
            format!("OAuth realm=\"{long}\", oauth_signature=\"x\""),
        )
        .body(Vec::new())
        .unwrap(),
        http::Request::get("https://h.example/")
            .header("authorization", "Basic dXNlcjpwYXNz")
            .header("user-agent", "   ")
            .body(Vec::new())
            .unwrap(),
    ];
    for preset in &presets {
        for request in &requests {
            for finding in preset.check(request) {
                let text = finding.to_string();
                assert!(text.len() < 400, "{}: {text}", preset.name());
            }
        }
    }
}

#[test]
fn wrapping_errors_keep_their_cause_as_source_and_do_not_repeat_it() {
    use std::error::Error as _;
    let mut o = PresetOptions::default();
    o.account = Some("1234567.app.netsuite.com".into());
    let account = Preset::by_name("netsuite", &o).unwrap_err();
    o = PresetOptions::default();
    o.base_url = Some("ftp://x".into());
    let base = Preset::by_name("jira", &o).unwrap_err();
    o = PresetOptions::default();
    o.user_agent = Some(String::new());
    let ua = Preset::by_name("discogs", &o).unwrap_err();
    let store = Activation::parse(
        ACTIVATION
            .replace("https%3A%2F%2Fstore.example.com%2F", "nope")
            .as_bytes(),
    )
    .unwrap_err();
    let key = Jira::new("https://j.example")
        .unwrap()
        .flow("k", "garbage")
        .unwrap_err();
    let sign = Lti::new("https://t.example/l")
        .unwrap()
        .launch("r")
        .param("oauth_x", "1")
        .sign(&consumer())
        .unwrap_err();
    let errors: Vec<&dyn std::error::Error> = vec![&account, &base, &ua, &store, &key];
    for e in errors {
        let source = e.source().expect("a wrapping error keeps its cause");
        assert!(
            !e.to_string().contains(&source.to_string()),
            "{e} repeats {source}"
        );
    }
    assert!(sign.source().is_none() && sign.to_string().contains("oauth_x"));
}
