//! Callback URLs: what `oauth_callback` may be, and whether it is under a registered prefix.

use super::config::MAX_CALLBACK_LEN;

/// Why a callback is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallbackError {
    /// Not a URL the provider can redirect to: too long, control characters, spaces, a
    /// backslash, no host, credentials in it, a bad port, dot segments (answered 400).
    Invalid,
    /// A URL, but not `http`/`https`, or not under the consumer's registered prefixes
    /// (answered 403, code 415, as Twitter does).
    NotApproved,
}

/// A parsed `http`/`https` URL: the parts a prefix is compared on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallbackUrl {
    scheme: String,
    host: String,
    port: u16,
    path: String,
}

impl CallbackUrl {
    /// Parses an absolute `http`/`https` URL with a host (a fragment is allowed and ignored).
    pub(crate) fn parse(text: &str) -> Result<CallbackUrl, CallbackError> {
        if text.is_empty()
            || text.len() > MAX_CALLBACK_LEN
            || !text.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        {
            return Err(CallbackError::Invalid);
        }
        let base = text.split_once('#').map_or(text, |(b, _)| b);
        let (scheme, rest) = base.split_once("://").ok_or(CallbackError::NotApproved)?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(CallbackError::NotApproved),
        };
        let uri: http::Uri = base.parse().map_err(|_| CallbackError::Invalid)?;
        let authority = uri.authority().ok_or(CallbackError::Invalid)?;
        let host = authority.host();
        if host.is_empty()
            || authority.as_str().contains('@')
            || !rest.starts_with(authority.as_str())
        {
            return Err(CallbackError::Invalid);
        }
        // `http::Uri` reads `host:99999` and `host:` as "no port": refuse both.
        let after_host = authority
            .as_str()
            .rsplit_once(']')
            .map_or(authority.as_str(), |(_, r)| r);
        let port = match (after_host.contains(':'), uri.port_u16()) {
            (false, _) => default_port,
            (true, Some(p)) if p != 0 => p,
            (true, _) => return Err(CallbackError::Invalid),
        };
        let path = uri.path();
        let dot_segment = path.split('/').any(|s| {
            let s = s.to_ascii_lowercase().replace("%2e", ".");
            s == "." || s == ".."
        });
        if dot_segment {
            return Err(CallbackError::Invalid);
        }
        Ok(CallbackUrl {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: if path.is_empty() { "/" } else { path }.to_owned(),
        })
    }

    /// Whether `self` is under `prefix`: same scheme, host and port, and a path equal to the
    /// prefix's or below it on a `/` boundary (`/cb` admits `/cb` and `/cb/x`, not `/cbx`).
    pub(crate) fn is_under(&self, prefix: &CallbackUrl) -> bool {
        if self.scheme != prefix.scheme || self.host != prefix.host || self.port != prefix.port {
            return false;
        }
        let (p, c) = (prefix.path.as_str(), self.path.as_str());
        c == p
            || (c.starts_with(p) && (p.ends_with('/') || c.as_bytes().get(p.len()) == Some(&b'/')))
    }
}

/// Checks `oauth_callback` against the consumer's registered prefixes (none: any valid URL).
pub(crate) fn check(
    callback: &str,
    registered: Option<&[CallbackUrl]>,
) -> Result<(), CallbackError> {
    if callback == "oob" {
        return Ok(());
    }
    let url = CallbackUrl::parse(callback)?;
    match registered {
        Some(prefixes) if !prefixes.is_empty() => {
            if prefixes.iter().any(|p| url.is_under(p)) {
                Ok(())
            } else {
                Err(CallbackError::NotApproved)
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn prefixes(list: &[&str]) -> Vec<CallbackUrl> {
        list.iter()
            .map(|p| CallbackUrl::parse(p).unwrap())
            .collect()
    }

    #[test]
    fn valid_and_invalid_urls() {
        for ok in [
            "http://127.0.0.1:9/cb?keep=1",
            "https://app.example/oauth/callback#x",
            "HTTPS://App.Example:8443/",
            "http://[::1]:8080/cb",
            "oob",
        ] {
            assert_eq!(check(ok, None), Ok(()), "{ok}");
        }
        let long = format!("https://app.example/{}", "a".repeat(MAX_CALLBACK_LEN));
        for invalid in [
            "https://app.example/cb\r\nSet-Cookie: x=1",
            "https://app.example/c b",
            "https://app.example/cb\t",
            "https://app.example\\@evil.example/",
            "https://user@evil.example/",
            "https://app.example:99999/",
            "https://app.example:/",
            "https:///cb",
            "https://app.example/a/../b",
            "https://app.example/a/%2E%2e/b",
            "https://app.example/é",
            long.as_str(),
            "",
        ] {
            assert_eq!(
                check(invalid, None),
                Err(CallbackError::Invalid),
                "{invalid:?}"
            );
        }
        for other in [
            "javascript:alert(1)",
            "ftp://app.example/",
            "app.example/cb",
        ] {
            assert_eq!(
                check(other, None),
                Err(CallbackError::NotApproved),
                "{other}"
            );
        }
    }

    #[test]
    fn prefixes_compare_scheme_host_port_and_path_segments() {
        let good = prefixes(&["https://good.example/", "http://127.0.0.1:8080/app/cb"]);
        for ok in [
            "https://good.example/",
            "https://good.example/steal?x=1",
            "https://GOOD.example:443/x",
            "http://127.0.0.1:8080/app/cb",
            "http://127.0.0.1:8080/app/cb/",
            "http://127.0.0.1:8080/app/cb?state=1",
            "http://127.0.0.1:8080/app/cb/deeper",
            "oob",
        ] {
            assert_eq!(check(ok, Some(&good)), Ok(()), "{ok}");
        }
        for refused in [
            "https://evil.example/steal",
            "https://good.example.evil.example/",
            "http://good.example/",
            "https://good.example:8443/",
            "http://127.0.0.1:8080/app/cbx",
            "http://127.0.0.1:8080/app",
            "http://127.0.0.1:8081/app/cb",
            "http://localhost:8080/app/cb",
        ] {
            assert_eq!(
                check(refused, Some(&good)),
                Err(CallbackError::NotApproved),
                "{refused}"
            );
        }
    }
}
