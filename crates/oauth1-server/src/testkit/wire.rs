//! Requests as raw bytes, for tests that must send the very same bytes twice (a replay, to one
//! provider or to another instance) rather than let a client sign again.
//!
//! ```no_run
//! use oauth1_core::ClientCredentials;
//! use oauth1_server::testkit::wire;
//! # let host = "127.0.0.1:8080";
//! let client = ClientCredentials::new("local-consumer-key", "local-consumer-secret");
//! let bytes = wire::signed_request_token(host, &client, "nonce-1").unwrap();
//! let first = wire::exchange(host, &bytes).unwrap();
//! let replay = wire::exchange(host, &bytes).unwrap();
//! assert_eq!(wire::status(&first), Some(200));
//! assert_eq!(wire::status(&replay), Some(401));
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Signer};

/// A request-token request to the local provider at `host` (`127.0.0.1:PORT`), signed now
/// with HMAC-SHA1 in the `Authorization` header, `oauth_callback=oob`, as the bytes a client
/// sends (HTTP/1.1, `Connection: close`).
pub fn signed_request_token(
    host: &str,
    client: &ClientCredentials,
    nonce: &str,
) -> Result<Vec<u8>, oauth1_core::Error> {
    let signer = Signer::new(HmacSha1, client, None)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let url = format!("http://{host}/oauth/request_token");
    let authorization = signer.authorization(
        &Request::new("POST", &url),
        &OAuthParams::new(nonce.to_owned(), now).callback("oob"),
    )?;
    Ok(format!(
        "POST /oauth/request_token HTTP/1.1\r\nHost: {host}\r\nAuthorization: {authorization}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes())
}

/// Writes `request` to `host` as it is and reads the whole response (5 s to connect, 10 s
/// between reads).
pub fn exchange(host: &str, request: &[u8]) -> std::io::Result<String> {
    let addr = host
        .parse::<std::net::SocketAddr>()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// The status code of a response [`exchange`] returned.
pub fn status(response: &str) -> Option<u16> {
    response.split(' ').nth(1).and_then(|s| s.parse().ok())
}
