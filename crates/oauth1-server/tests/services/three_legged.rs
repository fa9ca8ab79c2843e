//! The three-legged services (Jira, Garmin, Flickr, Trello, Tumblr, Discogs, SmugMug, Zotero)
//! and the LTI launch.

use oauth1_core::{
    AnyMethod, ClientCredentials, OAuthParams, Placement, RsaSha1, TokenCredentials,
};
use oauth1_flow::{Callback, Flow};
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

use super::{dance, generic, json, nonce, now, path, refused, send, signed, start, text};

const KEY: &str = "app-key";
const SECRET: &str = "app-secret";

async fn started(service: Service) -> LocalProvider {
    start(service, LocalProviderConfig::default().client(KEY, SECRET)).await
}

fn flow(p: &LocalProvider) -> Flow<oauth1_flow::GenericProvider> {
    Flow::new(
        generic(p).build().unwrap(),
        ClientCredentials::new(KEY, SECRET),
    )
    .unwrap()
}

/// A signed GET of the resource with `token`, through the flow's client.
async fn get(
    flow: &Flow<oauth1_flow::GenericProvider>,
    token: &oauth1_flow::AccessToken,
    url: &str,
    query: &[(&str, &str)],
) -> http::Response<Vec<u8>> {
    let client = flow.signed_client(ReqwestTransport::new(), token).unwrap();
    client
        .send(client.prepare_get(url, query).unwrap())
        .await
        .unwrap()
}

/// A request-token request signed with `method` (the consumer alone).
fn request_token(
    p: &LocalProvider,
    method: AnyMethod,
    secret: &str,
    placement: Placement,
) -> http::Request<Vec<u8>> {
    let verb = p.service().request_token_method().unwrap();
    let oauth = OAuthParams::new(nonce(), now()).callback("oob");
    signed(
        verb.as_str(),
        &p.request_token_url(),
        method,
        &ClientCredentials::new(KEY, secret),
        None,
        placement,
        &oauth,
        None,
    )
}

/// Sends a request-token request signed with `method`, `secret` and `placement`, and asserts
/// that it is refused with `status` and `oauth_problem`.
async fn request_token_refused(
    p: &LocalProvider,
    method: AnyMethod,
    secret: &str,
    placement: Placement,
    status: u16,
    oauth_problem: &str,
) {
    let request = request_token(p, method, secret, placement);
    refused(
        &send(&ReqwestTransport::new(), request).await,
        status,
        oauth_problem,
    );
}

/// The authorization page's answer for `extra` parameters.
async fn authorize(p: &LocalProvider, extra: &[(&str, &str)]) -> http::Response<Vec<u8>> {
    let t = ReqwestTransport::new();
    let f = flow(p);
    let rt = f.request_token(&t, Callback::Oob).await.unwrap();
    let url = rt.authorize_url(&f, extra).unwrap();
    send(&t, http::Request::get(url).body(Vec::new()).unwrap()).await
}

#[tokio::test]
async fn twitter_is_the_default() {
    let p = LocalProvider::start().await.unwrap();
    assert_eq!(p.service(), &Service::twitter());
    assert_eq!(path(&p, &p.request_token_url()), "/oauth/request_token");
    assert_eq!(
        path(&p, &p.resource_url()),
        "/1.1/account/verify_credentials.json"
    );
}

#[tokio::test]
async fn jira_signs_with_rsa_sha1_and_the_registered_key() {
    let config =
        LocalProviderConfig::default().rsa_client("jira-key", include_str!("jira_public.pem"));
    let p = start(Service::jira(), config).await;
    assert_eq!(
        path(&p, &p.request_token_url()),
        "/plugins/servlet/oauth/request-token"
    );
    assert_eq!(
        path(&p, &p.authorize_url()),
        "/plugins/servlet/oauth/authorize"
    );
    assert_eq!(
        path(&p, &p.access_token_url()),
        "/plugins/servlet/oauth/access-token"
    );
    let t = ReqwestTransport::new();
    let rsa = RsaSha1::from_private_pem(include_str!("jira_private.pem")).unwrap();
    let f = Flow::with_method(
        generic(&p).build().unwrap(),
        ClientCredentials::new("jira-key", ""),
        rsa.clone(),
    );
    let token = dance(&f, &t, &[]).await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200, "{}", text(&r));
    assert_eq!(json(&r)["name"], "alice");

    // HMAC-SHA1: the method is refused.
    let oauth = OAuthParams::new(nonce(), now()).callback("oob");
    let hmac = signed(
        "POST",
        &p.request_token_url(),
        AnyMethod::HmacSha1,
        &ClientCredentials::new("jira-key", "x"),
        None,
        Placement::Header,
        &oauth,
        None,
    );
    let r = send(&t, hmac).await;
    refused(&r, 400, "signature_method_rejected");
    // RSA-SHA1 from a consumer with no registered key.
    let oauth = OAuthParams::new(nonce(), now()).callback("oob");
    let stranger = signed(
        "POST",
        &p.request_token_url(),
        AnyMethod::RsaSha1(rsa.clone()),
        &ClientCredentials::new("who", ""),
        None,
        Placement::Header,
        &oauth,
        None,
    );
    let r = send(&t, stranger).await;
    refused(&r, 401, "consumer_key_unknown");
    // A signature over other bytes (the request changed after signing).
    let oauth = OAuthParams::new(nonce(), now()).callback("oob");
    let mut changed = signed(
        "POST",
        &p.request_token_url(),
        AnyMethod::RsaSha1(rsa),
        &ClientCredentials::new("jira-key", ""),
        None,
        Placement::Header,
        &oauth,
        None,
    );
    *changed.uri_mut() = format!("{}?x=1", p.request_token_url()).parse().unwrap();
    let r = send(&t, changed).await;
    refused(&r, 401, "signature_invalid");
}

#[tokio::test]
async fn garmin_runs_the_dance_in_the_header() {
    let p = started(Service::garmin()).await;
    assert_eq!(
        path(&p, &p.request_token_url()),
        "/oauth-service/oauth/request_token"
    );
    assert_eq!(path(&p, &p.authorize_url()), "/oauthConfirm");
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(&f, &t, &[]).await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200);
    assert!(json(&r)["userId"].is_string());
    // The query string: refused.
    request_token_refused(
        &p,
        AnyMethod::HmacSha1,
        SECRET,
        Placement::Query,
        400,
        "parameter_absent",
    )
    .await;
    // A wrong secret.
    request_token_refused(
        &p,
        AnyMethod::HmacSha1,
        "nope",
        Placement::Header,
        401,
        "signature_invalid",
    )
    .await;
}

#[tokio::test]
async fn a_person_allows_on_the_services_own_page() {
    let config = LocalProviderConfig::default().client(KEY, SECRET);
    let p = LocalProvider::start_with(config.service(Service::garmin()))
        .await
        .unwrap();
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let rt = f.request_token(&t, Callback::Oob).await.unwrap();
    let page = send(
        &t,
        http::Request::get(rt.authorize_url(&f, &[]).unwrap())
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    let html = text(&page);
    assert_eq!(page.status(), 200, "{html}");
    assert!(html.contains("action=\"/oauthConfirm\""), "{html}");
    let csrf = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap();
    let form = format!(
        "oauth_token={}&csrf_token={csrf}&decision=allow",
        rt.token()
    );
    let decision = http::Request::post(format!("{}/oauthConfirm", p.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.into_bytes())
        .unwrap();
    let r = send(&t, decision).await;
    let html = text(&r);
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("{html}"));
    let token = f
        .access_token(&t, &rt.verifier_from_pin(pin).unwrap())
        .await
        .unwrap();
    assert_eq!(get(&f, &token, &p.resource_url(), &[]).await.status(), 200);
}

#[tokio::test]
async fn flickr_needs_perms_and_returns_the_user() {
    let p = started(Service::flickr()).await;
    assert_eq!(
        path(&p, &p.request_token_url()),
        "/services/oauth/request_token"
    );
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(&f, &t, &[("perms", "write")]).await;
    assert_eq!(token.field("username"), Some("alice"));
    assert_eq!(token.field("fullname"), Some("alice"));
    assert_eq!(token.field("user_nsid"), Some("1000@N01"));
    let r = get(
        &f,
        &token,
        &p.resource_url(),
        &[
            ("method", "flickr.test.login"),
            ("format", "json"),
            ("nojsoncallback", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(&r)["stat"], "ok");
    assert_eq!(json(&r)["user"]["username"]["_content"], "alice");
    let r = get(
        &f,
        &token,
        &p.resource_url(),
        &[("method", "flickr.test.login")],
    )
    .await;
    assert!(text(&r).contains("<rsp stat=\"ok\">"), "{}", text(&r));

    // No perms, or one Flickr does not have: refused.
    for extra in [&[][..], &[("perms", "admin")][..]] {
        let r = authorize(&p, extra).await;
        refused(&r, 400, "parameter_rejected");
    }
    // HMAC-SHA256: Flickr signs with HMAC-SHA1 only.
    request_token_refused(
        &p,
        AnyMethod::HmacSha256,
        SECRET,
        Placement::Header,
        400,
        "signature_method_rejected",
    )
    .await;
    request_token_refused(
        &p,
        AnyMethod::HmacSha1,
        "nope",
        Placement::Query,
        401,
        "signature_invalid",
    )
    .await;
}

#[tokio::test]
async fn trello_checks_scope_and_expiration_and_answers_in_text() {
    let p = started(Service::trello()).await;
    assert_eq!(path(&p, &p.request_token_url()), "/1/OAuthGetRequestToken");
    assert_eq!(path(&p, &p.authorize_url()), "/1/OAuthAuthorizeToken");
    assert_eq!(path(&p, &p.access_token_url()), "/1/OAuthGetAccessToken");
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(
        &f,
        &t,
        &[
            ("name", "My App"),
            ("scope", "read,write"),
            ("expiration", "never"),
        ],
    )
    .await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(&r)["username"], "alice");
    for extra in [
        &[("expiration", "forever")][..],
        &[("scope", "read,admin")][..],
    ] {
        let r = authorize(&p, extra).await;
        assert_eq!(r.status(), 400);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
    }
    let r = send(
        &t,
        request_token(&p, AnyMethod::HmacSha1, "nope", Placement::Header),
    )
    .await;
    assert_eq!(
        (r.status().as_u16(), text(&r).as_str()),
        (401, "invalid signature")
    );
}

#[tokio::test]
async fn tumblr_wants_the_header_and_hmac_sha1() {
    let p = started(Service::tumblr()).await;
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(&f, &t, &[]).await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(&r)["meta"]["status"], 200);
    assert_eq!(json(&r)["response"]["user"]["name"], "alice");
    let r = send(
        &t,
        request_token(&p, AnyMethod::HmacSha1, SECRET, Placement::Body),
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(json(&r)["meta"]["status"], 400);
    let r = send(
        &t,
        request_token(&p, AnyMethod::HmacSha256, SECRET, Placement::Header),
    )
    .await;
    assert_eq!(json(&r)["meta"]["status"], 400);
    let r = send(
        &t,
        request_token(&p, AnyMethod::HmacSha1, "nope", Placement::Header),
    )
    .await;
    assert_eq!(json(&r)["meta"]["status"], 401);
}

#[tokio::test]
async fn discogs_needs_a_user_agent_and_takes_plaintext() {
    let p = started(Service::discogs()).await;
    assert_eq!(p.service().request_token_method(), Some(http::Method::GET));
    let t = ReqwestTransport::new();
    let provider = generic(&p)
        .header("User-Agent", "oauth1-rs-tests/1.0")
        .build()
        .unwrap();
    let f = Flow::new(provider, ClientCredentials::new(KEY, SECRET)).unwrap();
    let token = dance(&f, &t, &[]).await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200, "{}", text(&r));
    assert_eq!(json(&r)["username"], "alice");

    // No User-Agent: refused, `{"message": ...}`.
    let r = send(
        &t,
        request_token(&p, AnyMethod::Plaintext, SECRET, Placement::Header),
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(json(&r)["message"].as_str().unwrap().contains("User-Agent"));
    // HMAC-SHA1 is accepted, HMAC-SHA256 is not.
    let mut hmac = request_token(&p, AnyMethod::HmacSha1, SECRET, Placement::Header);
    hmac.headers_mut()
        .insert("user-agent", "t/1".parse().unwrap());
    assert_eq!(send(&t, hmac).await.status(), 200);
    let mut sha256 = request_token(&p, AnyMethod::HmacSha256, SECRET, Placement::Header);
    sha256
        .headers_mut()
        .insert("user-agent", "t/1".parse().unwrap());
    let r = send(&t, sha256).await;
    assert_eq!(r.status(), 400);
    assert!(json(&r)["message"].is_string());
}

#[tokio::test]
async fn smugmug_checks_access_and_permissions() {
    let p = started(Service::smugmug()).await;
    assert_eq!(
        path(&p, &p.request_token_url()),
        "/services/oauth/1.0a/getRequestToken"
    );
    assert_eq!(
        path(&p, &p.authorize_url()),
        "/services/oauth/1.0a/authorize"
    );
    assert_eq!(
        path(&p, &p.access_token_url()),
        "/services/oauth/1.0a/getAccessToken"
    );
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(&f, &t, &[("Access", "Full"), ("Permissions", "Modify")]).await;
    let r = get(&f, &token, &p.resource_url(), &[]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(&r)["Response"]["User"]["NickName"], "alice");
    for extra in [
        &[("Access", "Private")][..],
        &[("Permissions", "Delete")][..],
    ] {
        let r = authorize(&p, extra).await;
        refused(&r, 400, "parameter_rejected");
    }
    // "HMAC-SHA1 or PLAINTEXT (https only)": PLAINTEXT is taken (the local provider's http
    // stands in for https), HMAC-SHA256 is not.
    let plaintext = request_token(&p, AnyMethod::Plaintext, SECRET, Placement::Header);
    assert_eq!(send(&t, plaintext).await.status(), 200);
    let sha256 = request_token(&p, AnyMethod::HmacSha256, SECRET, Placement::Header);
    let r = send(&t, sha256).await;
    refused(&r, 400, "signature_method_rejected");
}

#[tokio::test]
async fn zotero_gives_a_key_with_the_user() {
    let p = started(Service::zotero()).await;
    assert_eq!(path(&p, &p.request_token_url()), "/oauth/request");
    assert_eq!(path(&p, &p.access_token_url()), "/oauth/access");
    let t = ReqwestTransport::new();
    let f = flow(&p);
    let token = dance(
        &f,
        &t,
        &[
            ("name", "My key"),
            ("library_access", "1"),
            ("notes_access", "0"),
            ("write_access", "1"),
            ("all_groups", "read"),
        ],
    )
    .await;
    assert_eq!(token.field("userID"), Some("1000"));
    assert_eq!(token.field("username"), Some("alice"));
    // The key is the token secret, sent as `Zotero-API-Key`.
    let key = token.secret().secret().to_owned();
    let keyed = http::Request::get(p.resource_url())
        .header("Zotero-API-Key", key.as_str())
        .body(Vec::new())
        .unwrap();
    let r = send(&t, keyed).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(&r)["userID"], 1000);
    let r = send(
        &t,
        http::Request::get(p.resource_url())
            .header("Zotero-API-Key", "nope")
            .body(Vec::new())
            .unwrap(),
    )
    .await;
    assert_eq!((r.status().as_u16(), text(&r).as_str()), (403, "Forbidden"));
    for extra in [
        &[("library_access", "yes")][..],
        &[("all_groups", "admin")][..],
    ] {
        let r = authorize(&p, extra).await;
        refused(&r, 400, "parameter_rejected");
    }
}

/// The published sample launch, as an LMS posts it.
const LAUNCH: &[(&str, &str)] = &[
    ("lti_message_type", "basic-lti-launch-request"),
    ("lti_version", "LTI-1p0"),
    ("resource_link_id", "120988f929-274612"),
    ("user_id", "292832126"),
    ("roles", "Instructor"),
    ("lis_person_name_full", "Jane Q. Public"),
    ("context_id", "456434513"),
    ("oauth_callback", "about:blank"),
];

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                oauth1_core::encode::percent_encode(n),
                oauth1_core::encode::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn an_lti_launch_is_verified_and_shown() {
    let config = LocalProviderConfig::default().client("lms.example.edu", "secret");
    let p = start(Service::lti(), config).await;
    assert_eq!(path(&p, &p.resource_url()), "/lti/launch");
    let t = ReqwestTransport::new();
    let lms = ClientCredentials::new("lms.example.edu", "secret");
    let launch = |pairs: &[(&str, &str)], method: AnyMethod, placement: Placement, secret: &str| {
        let body = form(pairs);
        signed(
            "POST",
            &p.resource_url(),
            method,
            &ClientCredentials::new("lms.example.edu", secret),
            None,
            placement,
            &OAuthParams::new(nonce(), now()),
            Some(&body),
        )
    };
    let r = send(
        &t,
        launch(LAUNCH, AnyMethod::HmacSha1, Placement::Body, "secret"),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", text(&r));
    assert!(text(&r).contains("Jane Q. Public"));

    // The same launch through the flow's consumer client.
    let provider = generic(&p).placement(Placement::Body).build().unwrap();
    let client = Flow::new(provider, lms)
        .unwrap()
        .consumer_client(ReqwestTransport::new())
        .unwrap();
    let r = client
        .send(client.prepare_post_form(&p.resource_url(), LAUNCH).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", text(&r));

    // Not a basic launch, a wrong version, no resource link.
    let mut wrong_type = LAUNCH.to_vec();
    wrong_type[0].1 = "ContentItemSelectionRequest";
    let mut wrong_version = LAUNCH.to_vec();
    wrong_version[1].1 = "LTI-2p0";
    let no_link: Vec<_> = LAUNCH
        .iter()
        .copied()
        .filter(|(n, _)| *n != "resource_link_id")
        .collect();
    for pairs in [wrong_type, wrong_version, no_link] {
        let r = send(
            &t,
            launch(&pairs, AnyMethod::HmacSha1, Placement::Body, "secret"),
        )
        .await;
        assert_eq!(r.status(), 400, "{}", text(&r));
    }
    // In the header, HMAC-SHA256, a wrong secret.
    for (method, placement, secret, status) in [
        (AnyMethod::HmacSha1, Placement::Header, "secret", 400),
        (AnyMethod::HmacSha256, Placement::Body, "secret", 400),
        (AnyMethod::HmacSha1, Placement::Body, "wrong", 401),
    ] {
        let r = send(&t, launch(LAUNCH, method, placement, secret)).await;
        assert_eq!(r.status(), status, "{placement:?} {secret}: {}", text(&r));
    }
    // With a token.
    let body = form(LAUNCH);
    let token = TokenCredentials::new("t", "s");
    let r = send(
        &t,
        signed(
            "POST",
            &p.resource_url(),
            AnyMethod::HmacSha1,
            &ClientCredentials::new("lms.example.edu", "secret"),
            Some(&token),
            Placement::Body,
            &OAuthParams::new(nonce(), now()),
            Some(&body),
        ),
    )
    .await;
    assert_eq!(r.status(), 401);
}
