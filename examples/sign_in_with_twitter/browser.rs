//! The web login clicked through in a real headless browser (Debian's Chromium, driven over
//! the WebDriver protocol by its ChromeDriver), against the local provider's Allow/Deny page.
//! `scripts/install-browser.sh` installs both when they are missing.

use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oauth1_flow::BlockingHttpClient;
use oauth1_transport_ureq::UreqTransport;
use serde_json::{json, Value};

/// A running ChromeDriver and one browser session; both end on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    http: UreqTransport,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    fn start() -> Browser {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/install-browser.sh");
        let installed = Command::new("bash")
            .arg(script)
            .status()
            .expect("run install-browser.sh");
        assert!(
            installed.success(),
            "scripts/install-browser.sh could not install chromium and chromedriver"
        );
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = UreqTransport::builder()
            .timeout(Duration::from_secs(30))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            http,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.call("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
            }
        }}});
        let created = browser
            .call("POST", "/session", Some(caps))
            .expect("a browser session");
        browser.session = created["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser
    }

    /// One WebDriver command; the `value` of the answer, or its error message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let request = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.map(|b| b.to_string().into_bytes()).unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let response = self.http.send(request).map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_slice(response.body()).map_err(|e| e.to_string())?;
        if response.status().is_success() {
            Ok(value)
        } else {
            Err(value["value"]["message"]
                .as_str()
                .unwrap_or("webdriver error")
                .to_owned())
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn go(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({"url": url})))
            .expect("navigate");
    }

    /// The element matching `css`, waiting up to 10 s for it to appear (pages change after
    /// clicks and redirects).
    fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.session_call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            );
            if let Ok(v) = found {
                if let Some(id) = v["value"]
                    .as_object()
                    .and_then(|o| o.values().next())
                    .and_then(Value::as_str)
                {
                    return id.to_owned();
                }
            }
            if Instant::now() > deadline {
                let url = self.session_call("GET", "/url", None).unwrap_or_default();
                let source = self
                    .session_call("GET", "/source", None)
                    .unwrap_or_default();
                panic!("no `{css}` at {} in:\n{}", url["value"], source["value"]);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.session_call("POST", &format!("/element/{id}/click"), Some(json!({})))
            .expect("click");
    }

    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        let v = self
            .session_call("GET", &format!("/element/{id}/text"), None)
            .expect("text");
        v["value"].as_str().unwrap_or_default().to_owned()
    }

    /// Sets cookie `name` for the page's site, as an attacker who can write cookies for it
    /// would (a sibling subdomain, a plain-HTTP page on the same host).
    fn plant_cookie(&self, name: &str, value: &str) {
        let cookie = json!({"cookie": {"name": name, "value": value, "path": "/"}});
        self.session_call("POST", "/cookie", Some(cookie))
            .expect("add a cookie");
    }

    /// The value of cookie `name` for the current page, if the browser has one.
    fn cookie(&self, name: &str) -> Option<String> {
        let v = self
            .session_call("GET", &format!("/cookie/{name}"), None)
            .ok()?;
        v["value"]["value"].as_str().map(str::to_owned)
    }

    fn delete_cookies(&self) {
        self.session_call("DELETE", "/cookie", None)
            .expect("delete cookies");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn sign_in_with_twitter_in_a_real_browser() {
    if std::env::var_os("TWITTER_CONSUMER_KEY").is_some() {
        return; // Tests never touch a real provider.
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (listener, base_url, flow, local) = runtime
        .block_on(super::start(SocketAddr::from(([127, 0, 0, 1], 0))))
        .expect("the app and the local provider start");
    let app = super::app::App::new(flow, base_url.clone());
    runtime.spawn(async move { axum::serve(listener, super::app::router(app)).await });

    let browser = Browser::start();

    // Allow: signed in as @alice; then log out.
    browser.go(&format!("{base_url}/"));
    browser.click("#signin");
    assert!(
        browser.text("h1").contains("Sign in to"),
        "the provider's authenticate page"
    );
    browser.click("#allow");
    assert_eq!(browser.text("#user"), "@alice");
    browser.click("#logout");
    browser.find("#anonymous");

    // Deny: not signed in, and told so.
    browser.go(&format!("{base_url}/"));
    browser.click("#signin");
    browser.click("#deny");
    assert!(browser.text("#error").contains("did not allow"));
    browser.go(&format!("{base_url}/"));
    browser.find("#anonymous");

    // A tampered callback: another oauth_token than the one parked in the session.
    browser.click("#signin");
    browser.find("#allow");
    browser.go(&format!(
        "{base_url}/callback?oauth_token=forged&oauth_verifier=guess"
    ));
    assert!(browser.text("#error").contains("tampered"));
    browser.go(&format!("{base_url}/"));
    browser.find("#anonymous");

    // Session fixation: an attacker plants a `sid` cookie, the victim signs in with it in the
    // browser. The app replaces it with an id of its own; the planted one opens nothing.
    const PLANTED: &str = "plantedByAnAttacker0123456789abc";
    browser.delete_cookies();
    browser.go(&format!("{base_url}/"));
    browser.plant_cookie("sid", PLANTED);
    browser.click("#signin");
    browser.click("#allow");
    assert_eq!(browser.text("#user"), "@alice");
    let issued = browser.cookie("sid").expect("the app's session cookie");
    assert_ne!(issued, PLANTED, "the planted id was adopted");
    // The attacker's browser, holding the planted id.
    browser.delete_cookies();
    browser.plant_cookie("sid", PLANTED);
    browser.go(&format!("{base_url}/"));
    browser.find("#anonymous");

    drop(browser);
    drop(local);
}
