//! Base URLs: where a preset's hosts are pointed (a self-hosted site, the local provider).

/// At most this many characters of a refused value are repeated in an error message.
const SHOWN: usize = 64;

/// Why a base URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// No URL was given where the service has no default host (a self-hosted site).
    #[error("{service} has no default host: give the base URL of your site (e.g. `{example}`)")]
    Missing {
        /// The service.
        service: &'static str,
        /// An example of a base URL.
        example: &'static str,
    },
    /// The URL is not an absolute `http` or `https` URL with a host.
    #[error("`{shown}` is not an absolute http(s) URL with a host: give one such as `https://shop.example.com`")]
    NotAbsolute {
        /// The start of what was given.
        shown: String,
    },
    /// The URL has a query or a fragment, which a base of other paths cannot have.
    #[error(
        "`{shown}` has a query or a fragment: give the base URL alone (scheme, host, port, path)"
    )]
    QueryOrFragment {
        /// The start of what was given.
        shown: String,
    },
}

/// `input` cut to [`SHOWN`] characters, for an error message.
pub(crate) fn shown(input: &str) -> String {
    let mut s: String = input.chars().take(SHOWN).collect();
    if s.len() < input.len() {
        s.push('…');
    }
    s
}

/// `input` checked to be an absolute `http(s)://host[:port][/path]` URL, without its trailing
/// `/`s.
pub(crate) fn base_url(input: &str) -> Result<String, BaseUrlError> {
    let trimmed = input.trim();
    let not_absolute = || BaseUrlError::NotAbsolute {
        shown: shown(input),
    };
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(not_absolute());
    }
    let uri: http::Uri = trimmed.parse().map_err(|_| not_absolute())?;
    let scheme_ok = uri
        .scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
    let host_ok = uri.host().is_some_and(|h| !h.is_empty());
    if !scheme_ok || !host_ok {
        return Err(not_absolute());
    }
    if uri.query().is_some() || trimmed.contains('#') {
        return Err(BaseUrlError::QueryOrFragment {
            shown: shown(input),
        });
    }
    Ok(trimmed.trim_end_matches('/').to_owned())
}

/// `base` + `/` + `path` (without a doubled `/`).
pub(crate) fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_absolute_http_urls_without_query() {
        assert_eq!(
            base_url("https://jira.example.com/jira/").as_deref(),
            Ok("https://jira.example.com/jira")
        );
        assert_eq!(
            base_url(" http://127.0.0.1:8080 ").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        for bad in [
            "",
            "jira.example.com",
            "/relative",
            "ftp://x.example",
            "https://",
            "https://a b",
        ] {
            assert!(
                matches!(base_url(bad), Err(BaseUrlError::NotAbsolute { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            base_url("https://x.example/?a=1"),
            Err(BaseUrlError::QueryOrFragment { .. })
        ));
        assert!(matches!(
            base_url("https://x.example/#top"),
            Err(BaseUrlError::QueryOrFragment { .. })
        ));
        let long = format!("x{}", "y".repeat(500));
        let e = base_url(&long).unwrap_err().to_string();
        assert!(e.len() < 200, "{e}");
    }
}
