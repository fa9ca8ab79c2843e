//! The session rules checked over plain HTTP: reqwest against the app on 127.0.0.1, with the
//! auto-approving local provider, or a stub provider that counts request-token calls.
//!
//! A planted `sid` is never adopted, the id changes at login, `Secure` on https, logout only
//! from the app's own pages, a cap on pending logins (and so on outgoing calls), expiry.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use oauth1_core::ClientCredentials;
use oauth1_flow::Flow;
use oauth1_provider_twitter::Twitter;
use oauth1_server::LocalProvider;
use oauth1_transport_reqwest::reqwest;

use super::app::{self, App, Limits};

/// The app served on a free loopback port: `url` reaches it, `base_url` is what it was told
/// its address is (https in front of a TLS proxy, say).
struct Served {
    url: String,
    base_url: String,
    app: Arc<App>,
}

async fn serve(flow: Flow<Twitter>, scheme: &str, limits: Limits) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    let base_url = format!("{scheme}://{addr}");
    let app = App::with_limits(flow, base_url.clone(), limits);
    let router = app::router(Arc::clone(&app));
    tokio::spawn(async move { axum::serve(listener, router).await });
    Served {
        url: format!("http://{addr}"),
        base_url,
        app,
    }
}

/// The local provider, approving every sign-in as @alice, and a flow against it.
async fn local_flow() -> (LocalProvider, Flow<Twitter>) {
    let local = LocalProvider::start().await.expect("the local provider");
    let flow = Flow::new(Twitter::with_base(local.base_url()), local.client()).expect("a flow");
    (local, flow)
}

/// A stub provider that only hands out request tokens, counting them; and a flow against it.
async fn counting_flow() -> (Arc<AtomicUsize>, Flow<Twitter>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let router = axum::Router::new().route(
        "/oauth/request_token",
        axum::routing::post(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                format!("oauth_token=rt{n}&oauth_token_secret=s{n}&oauth_callback_confirmed=true")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let flow = Flow::new(
        Twitter::with_base(&base),
        ClientCredentials::new("key", "secret"),
    )
    .expect("a flow");
    (count, flow)
}

fn http() -> reqwest::Client {
    // The transport crate's builder: no redirects followed, and its TLS set up.
    oauth1_transport_reqwest::client_builder()
        .expect("a client builder")
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client")
}

/// The `Set-Cookie` header for `sid`, if the response has one.
fn sid_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("sid="))
        .map(str::to_owned)
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_owned()
}

/// A browser as the app sees it: one `sid` cookie, sent to the app and replaced by its
/// `Set-Cookie`s (an empty value deletes it), and every id the app handed out.
struct Visitor {
    http: reqwest::Client,
    app_url: String,
    sid: Option<String>,
    issued: Vec<String>,
}

impl Visitor {
    fn new(served: &Served, sid: Option<&str>) -> Visitor {
        Visitor {
            http: http(),
            app_url: served.url.clone(),
            sid: sid.map(str::to_owned),
            issued: Vec::new(),
        }
    }

    /// `method` at `url`; the cookie goes along when `url` is the app's.
    async fn send(&mut self, method: reqwest::Method, url: &str) -> reqwest::Response {
        let mut request = self.http.request(method, url);
        let to_app = url.starts_with(&self.app_url);
        if let (true, Some(sid)) = (to_app, &self.sid) {
            request = request.header(reqwest::header::COOKIE, format!("sid={sid}"));
        }
        let response = request.send().await.expect("an answer");
        if let (true, Some(cookie)) = (to_app, sid_cookie(&response)) {
            let value = cookie
                .trim_start_matches("sid=")
                .split(';')
                .next()
                .unwrap_or_default();
            // `Max-Age` is not honoured: the server must expire sessions on its own.
            if value.is_empty() {
                self.sid = None;
            } else {
                self.sid = Some(value.to_owned());
                self.issued.push(value.to_owned());
            }
        }
        response
    }

    async fn get(&mut self, url: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, url).await
    }

    /// Clicks "Sign in with Twitter", approved by the local provider; the callback's answer.
    async fn sign_in(&mut self, base_url: &str) -> reqwest::Response {
        let login = self.get(&format!("{}/login", self.app_url)).await;
        assert_eq!(login.status(), 302, "/login redirects to the provider");
        let approved = self.get(&location(&login)).await;
        assert_eq!(approved.status(), 302, "the provider approves");
        let callback = location(&approved);
        assert!(callback.starts_with(&format!("{base_url}/callback?")));
        let callback = callback.replacen(base_url, &self.app_url, 1);
        self.get(&callback).await
    }
}

/// Who `/` says is signed in with cookie `sid`.
async fn signed_in_as(served: &Served, sid: Option<&str>) -> Option<String> {
    let mut request = http().get(format!("{}/", served.url));
    if let Some(sid) = sid {
        request = request.header(reqwest::header::COOKIE, format!("sid={sid}"));
    }
    let page = request
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("a page");
    let start = page.find("<strong id=\"user\">")? + "<strong id=\"user\">".len();
    let end = page[start..].find("</strong>")?;
    Some(page[start..start + end].to_owned())
}

const PLANTED: &str = "plantedByAnAttacker0123456789abc";

#[tokio::test]
async fn a_planted_session_id_is_never_adopted() {
    let (_local, flow) = local_flow().await;
    let served = serve(flow, "http", Limits::default()).await;

    // The victim's browser carries the attacker's cookie into the login.
    let mut victim = Visitor::new(&served, Some(PLANTED));
    let done = victim.sign_in(&served.base_url).await;
    assert_eq!(done.status(), 302, "signed in");
    assert!(!victim.issued.is_empty(), "the app issued its own id");
    assert!(
        victim.issued.iter().all(|id| id != PLANTED),
        "the app never hands the planted id back"
    );
    assert_eq!(
        signed_in_as(&served, victim.sid.as_deref())
            .await
            .as_deref(),
        Some("@alice")
    );
    // The attacker, holding the id they planted, gets nothing.
    assert_eq!(signed_in_as(&served, Some(PLANTED)).await, None);
}

#[tokio::test]
async fn login_rotates_the_session_id() {
    let (_local, flow) = local_flow().await;
    let served = serve(flow, "http", Limits::default()).await;

    let mut user = Visitor::new(&served, None);
    let done = user.sign_in(&served.base_url).await;
    assert_eq!(done.status(), 302, "signed in");
    let cookie = sid_cookie(&done).expect("the callback sets a new session cookie");
    assert!(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Lax"));
    assert!(cookie.contains("; Path=/") && !cookie.contains("Secure"));
    let [pending, signed_in] = user.issued.as_slice() else {
        panic!(
            "one id at /login, another at the callback: {:?}",
            user.issued.len()
        );
    };
    assert_ne!(pending, signed_in);
    assert_eq!(signed_in_as(&served, Some(pending)).await, None);
    assert_eq!(
        signed_in_as(&served, Some(signed_in)).await.as_deref(),
        Some("@alice")
    );
    assert_eq!(served.app.session_count(), 1, "the pending session is gone");
}

#[tokio::test]
async fn pages_are_neither_cached_nor_framed() {
    let (_local, flow) = local_flow().await;
    let served = serve(flow, "http", Limits::default()).await;
    let response = http()
        .get(format!("{}/", served.url))
        .send()
        .await
        .expect("an answer");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(reqwest::header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    assert_eq!(
        header(reqwest::header::X_FRAME_OPTIONS).as_deref(),
        Some("DENY")
    );
}

#[tokio::test]
async fn logout_is_a_post_from_the_apps_own_pages() {
    let (_local, flow) = local_flow().await;
    let served = serve(flow, "http", Limits::default()).await;
    let mut user = Visitor::new(&served, None);
    user.sign_in(&served.base_url).await;
    let sid = user.sid.clone().expect("a session");
    let logout = |origin: &str| {
        http()
            .post(format!("{}/logout", served.url))
            .header(reqwest::header::COOKIE, format!("sid={sid}"))
            .header(reqwest::header::ORIGIN, origin.to_owned())
            .send()
    };

    let foreign = logout("https://evil.example").await.expect("an answer");
    assert_eq!(
        foreign.status(),
        403,
        "another site's form cannot log the user out"
    );
    assert_eq!(
        signed_in_as(&served, Some(&sid)).await.as_deref(),
        Some("@alice")
    );

    let own = logout(&served.base_url).await.expect("an answer");
    assert_eq!(own.status(), 302);
    let cleared = sid_cookie(&own).expect("the cookie is cleared");
    assert!(cleared.starts_with("sid=;") && cleared.contains("Max-Age=0"));
    assert_eq!(signed_in_as(&served, Some(&sid)).await, None);
    assert_eq!(served.app.session_count(), 0);
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_app_is_on_https() {
    for (scheme, secure) in [("https", true), ("http", false)] {
        let (_count, flow) = counting_flow().await;
        // Served over plain HTTP here, as behind a TLS-terminating proxy.
        let served = serve(flow, scheme, Limits::default()).await;
        let login = Visitor::new(&served, None)
            .get(&format!("{}/login", served.url))
            .await;
        assert_eq!(login.status(), 302);
        let cookie = sid_cookie(&login).expect("a session cookie");
        assert_eq!(cookie.contains("; Secure"), secure, "{scheme}: {cookie}");
        assert!(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Lax"));
    }
}

#[tokio::test]
async fn cookieless_logins_cost_at_most_the_cap_in_sessions_and_outgoing_calls() {
    let (count, flow) = counting_flow().await;
    let limits = Limits {
        max_pending: 5,
        ..Limits::default()
    };
    let served = serve(flow, "http", limits).await;

    let mut hits = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let url = format!("{}/login", served.url);
        hits.spawn(async move { http().get(url).send().await.map(|r| r.status().as_u16()) });
    }
    let mut statuses = Vec::new();
    while let Some(status) = hits.join_next().await {
        statuses.push(status.expect("the task").expect("an answer"));
    }
    let started = statuses.iter().filter(|&&s| s == 302).count();
    let refused = statuses.iter().filter(|&&s| s == 503).count();
    assert_eq!((started, refused), (5, 35), "{statuses:?}");
    assert_eq!(count.load(Ordering::SeqCst), 5, "request-token calls");
    assert_eq!(served.app.session_count(), 5);
}

#[tokio::test]
async fn clicking_sign_in_again_reuses_the_parked_token() {
    let (count, flow) = counting_flow().await;
    let served = serve(flow, "http", Limits::default()).await;
    let mut user = Visitor::new(&served, None);
    let first = user.get(&format!("{}/login", served.url)).await;
    let again = user.get(&format!("{}/login", served.url)).await;
    assert_eq!(first.status(), 302);
    assert_eq!(again.status(), 302);
    assert_eq!(location(&first), location(&again), "the same Twitter page");
    assert_eq!(count.load(Ordering::SeqCst), 1, "one request-token call");
    assert_eq!(served.app.session_count(), 1);
}

#[tokio::test]
async fn pending_logins_expire() {
    let (_local, flow) = local_flow().await;
    let limits = Limits {
        pending_lifetime: Duration::ZERO,
        max_pending: 1,
        ..Limits::default()
    };
    let served = serve(flow, "http", limits).await;

    let mut user = Visitor::new(&served, None);
    let late = user.sign_in(&served.base_url).await;
    assert_eq!(late.status(), 400, "the parked token expired");
    assert!(late
        .text()
        .await
        .expect("a page")
        .contains("No sign-in in progress"));
    assert_eq!(
        served.app.session_count(),
        0,
        "expired sessions are dropped"
    );

    // Expired pending logins do not hold the cap.
    for _ in 0..3 {
        let login = Visitor::new(&served, None)
            .get(&format!("{}/login", served.url))
            .await;
        assert_eq!(login.status(), 302);
    }
}

#[tokio::test]
async fn signed_in_sessions_expire() {
    let (_local, flow) = local_flow().await;
    let limits = Limits {
        signed_in_lifetime: Duration::ZERO,
        ..Limits::default()
    };
    let served = serve(flow, "http", limits).await;
    let mut user = Visitor::new(&served, None);
    assert_eq!(user.sign_in(&served.base_url).await.status(), 302);
    assert_eq!(signed_in_as(&served, user.sid.as_deref()).await, None);
}
