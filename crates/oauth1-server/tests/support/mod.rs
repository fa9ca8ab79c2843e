//! What the server test files share: an axum router served on 127.0.0.1, and the PIN the local
//! provider shows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use axum::Router;

/// An axum server on a free loopback port, stopped when dropped.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router` on a free loopback port.
pub async fn serve(router: Router) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    Server { base, task }
}

/// The PIN the local provider shows for `request_token` (an `oob` request token, auto-approve
/// on): its authorize page, fetched through `transport`, holds it in `<code id="pin">`.
pub async fn pin<P: oauth1_flow::ServiceProvider>(
    transport: &oauth1_transport_reqwest::ReqwestTransport,
    flow: &oauth1_flow::Flow<P>,
    request_token: &oauth1_flow::RequestToken,
) -> String {
    let url = request_token.authorize_url(flow, &[]).unwrap();
    let page = send(transport, http::Request::get(url).body(Vec::new()).unwrap()).await;
    let html = String::from_utf8(page.into_body()).unwrap();
    html.split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned()
}

/// What a server answered to [`exchange`].
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// `WWW-Authenticate`, or empty.
    pub challenge: String,
    /// `Retry-After`, if sent.
    pub retry_after: Option<String>,
    /// The body, as text.
    pub body: String,
}

/// Sends `request` exactly as it is (through reqwest, no redirects) and reads the answer;
/// panics if none comes within `bound`.
pub async fn exchange(request: http::Request<Vec<u8>>, bound: std::time::Duration) -> Reply {
    let client = oauth1_transport_reqwest::client_builder()
        .unwrap()
        .timeout(bound)
        .build()
        .unwrap();
    let (parts, body) = request.into_parts();
    let response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("no answer within {bound:?}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let challenge = header("www-authenticate").unwrap_or_default();
    let retry_after = header("retry-after");
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    Reply {
        status,
        challenge,
        retry_after,
        body,
    }
}

/// Sends `request` through `transport`; panics unless the provider answers within 5 s.
pub async fn send(
    transport: &oauth1_transport_reqwest::ReqwestTransport,
    request: http::Request<Vec<u8>>,
) -> http::Response<Vec<u8>> {
    use oauth1_flow::HttpClient;
    tokio::time::timeout(std::time::Duration::from_secs(5), transport.send(request))
        .await
        .expect("the provider answers in time")
        .expect("the provider answers")
}

/// The Twitter error codes of a local provider's answer (`{"errors": [{"code": N}]}`).
pub fn codes(response: &http::Response<Vec<u8>>) -> Vec<i64> {
    let json: serde_json::Value = serde_json::from_slice(response.body()).unwrap_or_default();
    json["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["code"].as_i64()).collect())
        .unwrap_or_default()
}
