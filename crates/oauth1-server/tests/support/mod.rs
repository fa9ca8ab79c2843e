//! What the server test files share: an axum router served on 127.0.0.1, and the PIN the local
//! provider shows.
#![allow(clippy::unwrap_used, dead_code)]

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
    use oauth1_flow::HttpClient;
    let url = request_token.authorize_url(flow, &[]).unwrap();
    let page = transport
        .send(http::Request::get(url).body(Vec::new()).unwrap())
        .await
        .unwrap();
    let html = String::from_utf8(page.into_body()).unwrap();
    html.split("<code id=\"pin\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned()
}
