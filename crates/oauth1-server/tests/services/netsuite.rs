//! NetSuite: HMAC-SHA256 only, the realm in its one form, the header, INVALID_LOGIN; the
//! three-step TBA flow and tokens issued in the UI.

use oauth1_core::{AnyMethod, ClientCredentials, OAuthParams, Placement, TokenCredentials};
use oauth1_flow::Flow;
use oauth1_server::{LocalProviderConfig, Service};
use oauth1_transport_reqwest::ReqwestTransport;

use super::{dance, generic, json, nonce, now, path, send, signed, start};

const REALM: &str = "1234567_SB1";

fn config() -> LocalProviderConfig {
    LocalProviderConfig::default()
        .client("ns-key", "ns-secret")
        .issued_token("ns-key", "ns-ui-token", "ns-ui-secret")
}

fn invalid_login(r: &http::Response<Vec<u8>>) {
    assert_eq!(r.status(), 401, "{}", super::text(r));
    let body = json(r);
    assert_eq!(body["status"], 401);
    assert_eq!(
        body["o:errorDetails"][0]["o:errorCode"], "INVALID_LOGIN",
        "{body}"
    );
}

#[tokio::test]
async fn the_three_step_flow_and_a_signed_rest_call() {
    let p = start(Service::netsuite("1234567-sb1"), config()).await;
    assert_eq!(path(&p, &p.request_token_url()), "/rest/requesttoken");
    assert_eq!(
        path(&p, &p.authorize_url()),
        "/app/login/secure/authorizetoken.nl"
    );
    // The account's real hosts map to the base URL, paths kept.
    assert_eq!(
        p.local_url("https://1234567-sb1.app.netsuite.com/app/login/secure/authorizetoken.nl"),
        Some(p.authorize_url())
    );
    assert_eq!(
        p.local_url(
            "https://1234567-SB1.suitetalk.api.netsuite.com/services/rest/record/v1/customer"
        ),
        Some(p.resource_url())
    );
    assert_eq!(
        p.local_url("https://7654321.app.netsuite.com/app/login/secure/authorizetoken.nl"),
        None
    );
    let t = ReqwestTransport::new();
    let provider = generic(&p).realm(REALM).build().unwrap();
    let flow = Flow::new(provider, ClientCredentials::new("ns-key", "ns-secret")).unwrap();
    let token = dance(&flow, &t, &[("state", "abc123")]).await;
    let client = flow.signed_client(ReqwestTransport::new(), &token).unwrap();
    let r = client
        .send(client.prepare_get(&p.resource_url(), &[]).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", super::text(&r));
    assert_eq!(json(&r)["count"], 1);

    // A `state` that is not letters and digits: refused.
    let rt = flow
        .request_token(&t, oauth1_flow::Callback::Oob)
        .await
        .unwrap();
    let url = rt.authorize_url(&flow, &[("state", "no spaces!")]).unwrap();
    let r = send(&t, http::Request::get(url).body(Vec::new()).unwrap()).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn every_rule_answers_invalid_login() {
    let p = start(Service::netsuite("1234567_SB1"), config()).await;
    let t = ReqwestTransport::new();
    let client = ClientCredentials::new("ns-key", "ns-secret");
    let ui = TokenCredentials::new("ns-ui-token", "ns-ui-secret");
    let url = p.resource_url();
    let call = |method: AnyMethod, placement: Placement, realm: Option<&str>, n: &str| {
        let mut oauth = OAuthParams::new(n.to_owned(), now());
        if let Some(realm) = realm {
            oauth = oauth.realm(realm);
        }
        signed(
            "GET",
            &url,
            method,
            &client,
            Some(&ui),
            placement,
            &oauth,
            None,
        )
    };

    // The token issued in the UI, HMAC-SHA256, the realm: accepted.
    let r = send(
        &t,
        call(
            AnyMethod::HmacSha256,
            Placement::Header,
            Some(REALM),
            &nonce(),
        ),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", super::text(&r));

    // HMAC-SHA1, as NetSuite refuses it.
    invalid_login(
        &send(
            &t,
            call(
                AnyMethod::HmacSha1,
                Placement::Header,
                Some(REALM),
                &nonce(),
            ),
        )
        .await,
    );
    // The realm as hosts write it, or lower-case, or absent.
    invalid_login(
        &send(
            &t,
            call(
                AnyMethod::HmacSha256,
                Placement::Header,
                Some("1234567-sb1"),
                &nonce(),
            ),
        )
        .await,
    );
    invalid_login(
        &send(
            &t,
            call(
                AnyMethod::HmacSha256,
                Placement::Header,
                Some("1234567_sb1"),
                &nonce(),
            ),
        )
        .await,
    );
    invalid_login(
        &send(
            &t,
            call(AnyMethod::HmacSha256, Placement::Header, None, &nonce()),
        )
        .await,
    );
    // The parameters in the query.
    invalid_login(
        &send(
            &t,
            call(AnyMethod::HmacSha256, Placement::Query, None, &nonce()),
        )
        .await,
    );
    // A nonce shorter than six characters.
    invalid_login(
        &send(
            &t,
            call(AnyMethod::HmacSha256, Placement::Header, Some(REALM), "abc"),
        )
        .await,
    );
    // A wrong token secret.
    let wrong = TokenCredentials::new("ns-ui-token", "nope");
    let oauth = OAuthParams::new(nonce(), now()).realm(REALM);
    let r = send(
        &t,
        signed(
            "GET",
            &url,
            AnyMethod::HmacSha256,
            &client,
            Some(&wrong),
            Placement::Header,
            &oauth,
            None,
        ),
    )
    .await;
    invalid_login(&r);
    assert!(r.headers().contains_key("www-authenticate"));
    // A request-token request signed with HMAC-SHA1.
    let oauth = OAuthParams::new(nonce(), now())
        .callback("oob")
        .realm(REALM);
    let r = send(
        &t,
        signed(
            "POST",
            &p.request_token_url(),
            AnyMethod::HmacSha1,
            &client,
            None,
            Placement::Header,
            &oauth,
            None,
        ),
    )
    .await;
    invalid_login(&r);
}
