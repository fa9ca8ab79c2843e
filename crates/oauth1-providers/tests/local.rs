//! Each preset end to end against the local provider playing its service
//! (`oauth1_server::Service`), over real loopback HTTP: the flow the service runs (the dance,
//! one-legged calls, a token issued in the UI, Magento's activation, RSA, an LTI launch), then
//! the service's protected resource; and the service's refusals read by the preset's error
//! parser.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use oauth1_core::HmacSha1;
use oauth1_flow::{
    AccessToken, Callback, ClientCredentials, Error, Flow, HttpClient, ServiceProvider,
};
use oauth1_providers::discogs::Discogs;
use oauth1_providers::flickr::{Flickr, FlickrToken, Perms};
use oauth1_providers::garmin::Garmin;
use oauth1_providers::jira::Jira;
use oauth1_providers::lti::{Lti, Role};
use oauth1_providers::magento::{Activation, Magento};
use oauth1_providers::netsuite::{self, NetSuite};
use oauth1_providers::smugmug::{Access, Permissions, SmugMug};
use oauth1_providers::trello::{Expiration, Scope, Trello};
use oauth1_providers::tumblr::Tumblr;
use oauth1_providers::woocommerce::{WooCommerce, WooMethod};
use oauth1_providers::zotero::{KeyPermissions, Zotero, ZoteroToken};
use oauth1_providers::{Preset, PresetOptions};
use oauth1_server::{LocalProvider, LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

const PRIVATE: &str = include_str!("data/jira_private.pem");
const PUBLIC: &str = include_str!("data/jira_public.pem");

async fn start(service: Service, config: LocalProviderConfig) -> LocalProvider {
    LocalProvider::start_with(config.service(service).auto_approve(true))
        .await
        .unwrap()
}

async fn send(t: &ReqwestTransport, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    tokio::time::timeout(Duration::from_secs(10), t.send(request))
        .await
        .expect("the provider answers in time")
        .expect("the provider answers")
}

/// The dance through the authorization page (auto-approve, `oob`): the PIN the page shows is
/// the verifier. Returns the authorization URL too.
async fn dance<P: ServiceProvider + Send + Sync>(
    flow: &Flow<P>,
    t: &ReqwestTransport,
) -> (AccessToken, String) {
    let rt = flow.request_token(t, Callback::Oob).await.unwrap();
    let url = rt.authorize_url(flow, &[]).unwrap();
    let page = send(t, http::Request::get(&url).body(Vec::new()).unwrap()).await;
    let html = String::from_utf8(page.into_body()).unwrap();
    let pin = html
        .split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no PIN at {url}: {html}"));
    let verifier = rt.verifier_from_pin(pin).unwrap();
    (flow.access_token(t, &verifier).await.unwrap(), url)
}

/// A signed GET of `url` with `token`; the body, after checking the status is 200.
async fn get<P: ServiceProvider + Clone + Send + Sync + 'static>(
    flow: &Flow<P>,
    t: &ReqwestTransport,
    token: &AccessToken,
    url: &str,
) -> String {
    let client = flow.signed_client(t.clone(), token).unwrap();
    let response = client
        .send(client.prepare_get(url, &[]).unwrap())
        .await
        .unwrap();
    let response = client.check(response).unwrap();
    String::from_utf8(response.into_body()).unwrap()
}

fn provider_error(e: Error) -> String {
    match e {
        Error::Provider { error, .. } => error.to_string(),
        other => panic!("not a provider error: {other:?}"),
    }
}

#[cfg(feature = "twitter")]
#[tokio::test]
async fn twitter_by_name() {
    let p = start(Service::twitter(), LocalProviderConfig::default()).await;
    let mut options = PresetOptions::default();
    options.base_url = Some(p.base_url().to_owned());
    let flow = Flow::new(Preset::by_name("twitter", &options).unwrap(), p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, _) = dance(&flow, &t).await;
    let me = get(&flow, &t, &token, &p.resource_url()).await;
    assert!(me.contains("screen_name"), "{me}");
}

#[tokio::test]
async fn netsuite_three_legged_and_issued_token() {
    let client = ClientCredentials::new("ns-consumer", "ns-secret");
    let config = LocalProviderConfig::default()
        .client(client.key(), client.secret().clone())
        .issued_token("ns-consumer", "token-id", "token-secret");
    let p = start(Service::netsuite("1234567-sb1"), config).await;
    let ns = NetSuite::account("1234567_SB1")
        .unwrap()
        .with_base(p.base_url())
        .unwrap();
    let records = ns.record_url("customer");
    let flow = ns.clone().flow(client.clone()).unwrap();
    let t = ReqwestTransport::new();

    let (token, _) = dance(&flow, &t).await;
    assert!(get(&flow, &t, &token, &records).await.contains("\"items\""));

    let issued = NetSuite::issued_token("token-id", "token-secret");
    assert!(get(&flow, &t, &issued, &records)
        .await
        .contains("\"items\""));

    // HMAC-SHA1, as integrations written for NetSuite's old rules sign: INVALID_LOGIN, read by
    // the preset's parser.
    let sha1 = Flow::with_method(ns.clone(), client.clone(), HmacSha1);
    let c = sha1.signed_client(t.clone(), &issued).unwrap();
    let response = c.send(c.prepare_get(&records, &[]).unwrap()).await.unwrap();
    let e = c.check(response).unwrap_err();
    let text = provider_error(e);
    assert!(text.contains("INVALID_LOGIN"), "{text}");

    // Another account's realm.
    let other = NetSuite::account("7654321")
        .unwrap()
        .with_base(p.base_url())
        .unwrap();
    let flow = other.flow(client).unwrap();
    let c = flow.signed_client(t.clone(), &issued).unwrap();
    let response = c.send(c.prepare_get(&records, &[]).unwrap()).await.unwrap();
    let e = c.check(response).unwrap_err();
    match e {
        Error::Provider { error, .. } => assert!(netsuite::is_invalid_login(&error), "{error}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn jira_rsa_sha1_without_a_secret() {
    let config = LocalProviderConfig::default().rsa_client("jira-consumer", PUBLIC);
    let p = start(Service::jira(), config).await;
    let jira = Jira::new(p.base_url()).unwrap();
    let myself = jira.api_url("/rest/api/2/myself");
    let flow = jira.flow("jira-consumer", PRIVATE).unwrap();
    let t = ReqwestTransport::new();
    let (token, _) = dance(&flow, &t).await;
    let me = get(&flow, &t, &token, &myself).await;
    assert!(me.contains("\"displayName\""), "{me}");

    // An unknown consumer key: the problem report, read.
    let stranger = Jira::new(p.base_url())
        .unwrap()
        .flow("stranger", PRIVATE)
        .unwrap();
    let e = stranger.request_token(&t, Callback::Oob).await.unwrap_err();
    let text = provider_error(e);
    assert!(text.contains("consumer_key_unknown"), "{text}");
}

#[tokio::test]
async fn woocommerce_one_legged() {
    let p = start(Service::woocommerce(), LocalProviderConfig::default()).await;
    let t = ReqwestTransport::new();
    for method in [WooMethod::HmacSha256, WooMethod::HmacSha1] {
        let shop = WooCommerce::new(p.base_url()).unwrap().method(method);
        let products = shop.api_url("products");
        let client = shop.clone().consumer_client(p.client(), t.clone()).unwrap();
        let request = client.prepare_get(&products, &[("per_page", "1")]).unwrap();
        let response = client.check(client.send(request).await.unwrap()).unwrap();
        assert!(String::from_utf8_lossy(response.body()).contains("Local product"));
    }
    // The wrong secret: WooCommerce's WordPress error, read.
    let shop = WooCommerce::new(p.base_url()).unwrap();
    let products = shop.api_url("products");
    let client = shop
        .consumer_client(ClientCredentials::new(p.client().key(), "wrong"), t.clone())
        .unwrap();
    let response = client
        .send(client.prepare_get(&products, &[]).unwrap())
        .await
        .unwrap();
    let text = provider_error(client.check(response).unwrap_err());
    assert!(
        text.contains("woocommerce_rest_authentication_error"),
        "{text}"
    );
}

/// An integration's activation endpoint on loopback: answers 200 to one POST and hands back
/// the request it got.
async fn activation_endpoint() -> (String, tokio::task::JoinHandle<http::Request<Vec<u8>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/magento/activate", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            bytes.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (n, v) = l.split_once(':')?;
                        n.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                if body.len() >= length || n == 0 {
                    let content_type = head
                        .lines()
                        .find_map(|l| {
                            let (n, v) = l.split_once(':')?;
                            n.eq_ignore_ascii_case("content-type")
                                .then(|| v.trim().to_owned())
                        })
                        .unwrap_or_default();
                    stream
                        .write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        )
                        .await
                        .unwrap();
                    return http::Request::post("/magento/activate")
                        .header("content-type", content_type)
                        .body(body.as_bytes().to_vec())
                        .unwrap();
                }
            }
            assert!(n > 0, "the store closed before the body");
        }
    });
    (url, task)
}

#[tokio::test]
async fn magento_activation_then_tokens() {
    let p = start(Service::magento(), LocalProviderConfig::default()).await;
    let (endpoint, received) = activation_endpoint().await;
    let status = p.activate_integration(&endpoint).await.unwrap();
    assert_eq!(status, 200);
    let activation = Activation::from_request(&received.await.unwrap()).unwrap();
    assert_eq!(activation.consumer_key(), p.client().key());
    assert_eq!(activation.store_base_url(), p.base_url());

    let flow = activation.flow().unwrap();
    let t = ReqwestTransport::new();
    let request_token = flow.request_token(&t, Callback::Oob).await.unwrap();
    let verifier = activation.verifier(&request_token).unwrap();
    let token = flow.access_token(&t, &verifier).await.unwrap();
    let configs = activation.magento().api_url("/V1/store/storeConfigs");
    assert!(get(&flow, &t, &token, &configs)
        .await
        .contains("base_currency_code"));
}

#[tokio::test]
async fn magento_issued_token() {
    let client = ClientCredentials::new("mg-consumer", "mg-secret");
    let config = LocalProviderConfig::default()
        .client(client.key(), client.secret().clone())
        .issued_token("mg-consumer", "access-token", "access-secret");
    let p = start(Service::magento(), config).await;
    let store = Magento::new(p.base_url()).unwrap();
    let flow = store.clone().flow(client).unwrap();
    let t = ReqwestTransport::new();
    let token = Magento::issued_token("access-token", "access-secret");
    let body = get(&flow, &t, &token, &store.api_url("/V1/store/storeConfigs")).await;
    assert!(body.contains("base_currency_code"), "{body}");
    // A consumer that was never activated cannot ask for a request token.
    let e = flow.request_token(&t, Callback::Oob).await.unwrap_err();
    assert!(provider_error(e).contains("oauth_problem"));
}

#[tokio::test]
async fn garmin_dance() {
    let p = start(Service::garmin(), LocalProviderConfig::default()).await;
    let garmin = Garmin::with_base(p.base_url()).unwrap();
    let user = garmin.api_url("/wellness-api/rest/user/id");
    let flow = Flow::new(garmin, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, _) = dance(&flow, &t).await;
    assert!(get(&flow, &t, &token, &user).await.contains("userId"));
}

#[tokio::test]
async fn flickr_dance_perms_and_fields() {
    let p = start(Service::flickr(), LocalProviderConfig::default()).await;
    let flickr = Flickr::with_base(p.base_url()).unwrap().perms(Perms::Write);
    let rest = flickr.rest_url();
    let flow = Flow::new(flickr, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, url) = dance(&flow, &t).await;
    assert!(url.contains("perms=write"), "{url}");
    let fields = FlickrToken::from(&token);
    assert!(fields.user_nsid().is_some_and(|n| n.contains('@')));
    assert!(fields.username().is_some() && fields.fullname().is_some());
    let client = flow.signed_client(t.clone(), &token).unwrap();
    let request = client
        .prepare_get(
            &rest,
            &[
                ("method", "flickr.test.login"),
                ("format", "json"),
                ("nojsoncallback", "1"),
            ],
        )
        .unwrap();
    let body = client.check(client.send(request).await.unwrap()).unwrap();
    let body = String::from_utf8(body.into_body()).unwrap();
    assert!(body.contains(r#""stat":"ok""#), "{body}");
}

#[tokio::test]
async fn trello_dance_with_its_options() {
    let p = start(Service::trello(), LocalProviderConfig::default()).await;
    let trello = Trello::with_base(p.base_url())
        .unwrap()
        .name("Preset test")
        .scope(&[Scope::Read, Scope::Write])
        .expiration(Expiration::Never);
    let me = trello.api_url("members/me");
    let flow = Flow::new(trello, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, url) = dance(&flow, &t).await;
    assert!(
        url.contains("scope=read%2Cwrite") && url.contains("expiration=never"),
        "{url}"
    );
    assert!(get(&flow, &t, &token, &me).await.contains("username"));
    // A wrong secret: Trello's plain-text error, kept.
    let bad = Flow::new(
        Trello::with_base(p.base_url()).unwrap(),
        ClientCredentials::new(p.client().key(), "wrong"),
    )
    .unwrap();
    let e = bad.request_token(&t, Callback::Oob).await.unwrap_err();
    assert!(provider_error(e).contains("body:"));
}

#[tokio::test]
async fn tumblr_dance() {
    let p = start(Service::tumblr(), LocalProviderConfig::default()).await;
    let tumblr = Tumblr::with_base(p.base_url()).unwrap();
    let info = tumblr.api_url("user/info");
    let flow = Flow::new(tumblr, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, _) = dance(&flow, &t).await;
    assert!(get(&flow, &t, &token, &info).await.contains("\"blogs\""));
    let bad = Flow::new(
        Tumblr::with_base(p.base_url()).unwrap(),
        ClientCredentials::new(p.client().key(), "wrong"),
    )
    .unwrap();
    let e = bad.request_token(&t, Callback::Oob).await.unwrap_err();
    assert!(
        provider_error(e).contains("code"),
        "the Tumblr envelope is read"
    );
}

#[tokio::test]
async fn discogs_dance_with_user_agent() {
    let p = start(Service::discogs(), LocalProviderConfig::default()).await;
    let discogs = Discogs::new("PresetTest/1.0 +https://example.com")
        .unwrap()
        .with_base(p.base_url())
        .unwrap();
    let identity = discogs.api_url("/oauth/identity");
    let flow = Flow::new(discogs, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, _) = dance(&flow, &t).await;
    assert!(get(&flow, &t, &token, &identity)
        .await
        .contains("\"username\""));
}

#[tokio::test]
async fn smugmug_dance_with_access_and_permissions() {
    let p = start(Service::smugmug(), LocalProviderConfig::default()).await;
    let smugmug = SmugMug::with_base(p.base_url())
        .unwrap()
        .access(Access::Full)
        .permissions(Permissions::Modify);
    let authuser = smugmug.api_url("!authuser");
    assert_eq!(authuser, p.resource_url());
    let flow = Flow::new(smugmug, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, url) = dance(&flow, &t).await;
    assert!(url.contains("Access=Full&Permissions=Modify"), "{url}");
    assert!(get(&flow, &t, &token, &authuser).await.contains("NickName"));
}

#[tokio::test]
async fn zotero_key_exchange() {
    let p = start(Service::zotero(), LocalProviderConfig::default()).await;
    let zotero = Zotero::with_base(p.base_url())
        .unwrap()
        .permissions(KeyPermissions {
            library: true,
            write: true,
            ..KeyPermissions::default()
        });
    let keys = zotero.api_url("/keys/current");
    let flow = Flow::new(zotero, p.client()).unwrap();
    let t = ReqwestTransport::new();
    let (token, url) = dance(&flow, &t).await;
    assert!(url.contains("library_access=1&write_access=1"), "{url}");
    let fields = ZoteroToken::from(&token);
    assert!(fields.user_id().is_some() && fields.username().is_some());
    // The key, not a signature, opens the Web API.
    let request = http::Request::get(&keys)
        .header("Zotero-API-Key", fields.api_key().secret())
        .body(Vec::new())
        .unwrap();
    let response = send(&t, request).await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(response.body())
    );
}

#[tokio::test]
async fn lti_launch() {
    let p = start(Service::lti(), LocalProviderConfig::default()).await;
    let tool = Lti::new(&p.resource_url()).unwrap();
    let launch = tool
        .launch("88391-e1919-bb3456")
        .user_id("0ae836b9")
        .roles(&[Role::Learner])
        .context_title("Design of Personal Environments")
        .sign(&p.client())
        .unwrap();
    assert!(tool.check(&launch).is_empty());
    let t = ReqwestTransport::new();
    let response = send(&t, launch.clone()).await;
    let body = String::from_utf8_lossy(response.body()).into_owned();
    assert_eq!(response.status(), 200, "{body}");
    assert!(body.contains("Launch verified") && body.contains("Design of Personal Environments"));
    // The same launch again: its nonce was used.
    let again = send(&t, launch).await;
    assert_eq!(again.status(), 401);
    // A wrong secret.
    let bad = tool
        .launch("r1")
        .sign(&ClientCredentials::new(p.client().key(), "wrong"))
        .unwrap();
    assert_eq!(send(&t, bad).await.status(), 401);
}
