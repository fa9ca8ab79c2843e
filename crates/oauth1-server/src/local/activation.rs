//! Magento 2's integration activation: the store posts the consumer's key and secret, its base
//! URL and an `oauth_verifier` to the integration's endpoint (Adobe Commerce Web API,
//! "OAuth-based authentication", step 2). The local provider does it over a plain HTTP/1.1
//! connection to a loopback address only, reading at most [`MAX_ANSWER`] bytes of the answer.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use oauth1_core::encode::percent_encode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{Endpoints, ServerError};

/// How long connecting, sending and reading the answer may take.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of the endpoint's answer read (its status line is all that is used).
const MAX_ANSWER: u64 = 64 * 1024;

/// An activation ready to post.
pub(crate) struct Activation {
    endpoint: String,
    addr: SocketAddr,
    request: Vec<u8>,
}

/// Checks `endpoint` (an `http://` URL on a loopback address), records a fresh verifier for
/// the first consumer, and builds the form POST.
pub(crate) fn prepare(endpoints: &Endpoints, endpoint: &str) -> Result<Activation, ServerError> {
    let bad = || ServerError::ActivationEndpoint(endpoint.to_owned());
    let uri: http::Uri = endpoint.parse().map_err(|_| bad())?;
    if uri.scheme_str() != Some("http") {
        return Err(bad());
    }
    let authority = uri.authority().ok_or_else(bad)?;
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        Ipv4Addr::LOCALHOST.into()
    } else {
        host.parse().map_err(|_| bad())?
    };
    if !ip.is_loopback() || authority.as_str().contains('@') {
        return Err(bad());
    }
    let addr = SocketAddr::new(ip, authority.port_u16().unwrap_or(80));
    let verifier = endpoints
        .app
        .random_token(32)
        .map_err(|_| ServerError::Io(std::io::Error::other("no randomness for the verifier")))?;
    let client = &endpoints.client;
    endpoints.app.store.activate(client.key(), &verifier);
    let store_base_url = format!("{}/", endpoints.base_url);
    let body = [
        ("oauth_consumer_key", client.key()),
        ("oauth_consumer_secret", client.secret().secret()),
        ("store_base_url", store_base_url.as_str()),
        ("oauth_verifier", verifier.as_str()),
    ]
    .iter()
    .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\nUser-Agent: oauth1-local-provider (Magento activation)\r\n\r\n{body}",
        body.len()
    )
    .into_bytes();
    Ok(Activation {
        endpoint: endpoint.to_owned(),
        addr,
        request,
    })
}

impl Activation {
    fn failed(&self, source: std::io::Error) -> ServerError {
        ServerError::Activation {
            endpoint: self.endpoint.clone(),
            source,
        }
    }

    /// The status of the endpoint's answer.
    fn status(&self, answer: &[u8]) -> Result<http::StatusCode, ServerError> {
        let line = answer.split(|&b| b == b'\n').next().unwrap_or_default();
        let code = std::str::from_utf8(line)
            .ok()
            .filter(|l| l.starts_with("HTTP/1."))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse::<u16>().ok())
            .and_then(|c| http::StatusCode::from_u16(c).ok());
        code.ok_or_else(|| {
            self.failed(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the endpoint did not answer HTTP/1.x",
            ))
        })
    }

    /// Posts it from blocking code.
    pub(crate) fn post_blocking(&self) -> Result<http::StatusCode, ServerError> {
        let run = || -> std::io::Result<Vec<u8>> {
            let mut stream = std::net::TcpStream::connect_timeout(&self.addr, TIMEOUT)?;
            stream.set_read_timeout(Some(TIMEOUT))?;
            stream.set_write_timeout(Some(TIMEOUT))?;
            stream.write_all(&self.request)?;
            let mut answer = Vec::new();
            stream.take(MAX_ANSWER).read_to_end(&mut answer)?;
            Ok(answer)
        };
        let answer = run().map_err(|e| self.failed(e))?;
        self.status(&answer)
    }

    /// Posts it from async code.
    pub(crate) async fn post(&self) -> Result<http::StatusCode, ServerError> {
        let run = async {
            let mut stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.write_all(&self.request).await?;
            let mut answer = Vec::new();
            stream.take(MAX_ANSWER).read_to_end(&mut answer).await?;
            Ok::<_, std::io::Error>(answer)
        };
        let answer = match tokio::time::timeout(TIMEOUT, run).await {
            Ok(result) => result.map_err(|e| self.failed(e))?,
            Err(_) => {
                return Err(self.failed(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the endpoint did not answer in time",
                )))
            }
        };
        self.status(&answer)
    }
}
