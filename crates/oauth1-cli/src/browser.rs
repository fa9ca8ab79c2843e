//! The browser's side of `oauth1 authorize`: opening the authorization page
//! ([`NO_BROWSER_ENV`] keeps it shut) and catching the redirect on a loopback callback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::failure::Failure;

/// Waits for one request on the loopback callback and returns its target (path and query).
pub(crate) fn listen_once(callback: &str, quiet: bool) -> Result<String, Failure> {
    let rest = callback.strip_prefix("http://").unwrap_or_default();
    let authority = rest.split('/').next().unwrap_or_default();
    let listener = TcpListener::bind(authority).map_err(|e| {
        Failure::Usage(format!(
            "cannot listen on {authority} for the callback: {e}"
        ))
    })?;
    if !quiet {
        eprintln!("Waiting for the provider to redirect to {callback} ...");
    }
    let (mut stream, _) = listener
        .accept()
        .map_err(|e| Failure::Network(format!("callback listener: {e}")))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .ok_or_else(|| Failure::Provider("the callback request is not HTTP".into()))?
        .to_owned();
    let body = "<!DOCTYPE html><html><body><p>Authorized. You can close this window and go back to the terminal.</p></body></html>";
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    Ok(target)
}

/// The environment variable that keeps `--open` from opening a browser (tests set it).
pub const NO_BROWSER_ENV: &str = "OAUTH1_NO_BROWSER";

pub(crate) fn open_browser(url: &str) {
    if std::env::var_os(NO_BROWSER_ENV).is_some() {
        eprintln!("({NO_BROWSER_ENV} is set: not opening a browser; open the URL yourself)");
        return;
    }
    if let Err(e) = webbrowser::open(url) {
        eprintln!("(cannot open a browser: {e}; open the URL yourself)");
    }
}
