//! Splitting an absolute request URL and building the base string URI (RFC 5849 §3.4.1.2).

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::error::UrlError;

/// Whether a client percent-encodes byte `b` of a path before sending it.
const fn must_encode_in_path(b: u8) -> bool {
    b <= b' ' || b >= 0x7F || matches!(b, b'"' | b'<' | b'>' | b'`' | b'{' | b'}')
}

/// [`CLASS`] bit: a byte of a host name (letters, digits, `.`, `-`).
const HOST: u8 = 1;
/// [`CLASS`] bit: a byte a path keeps as it is and that does not end it.
const PATH: u8 = 2;

/// The class bits of each byte, for [`RequestUrl::parse`]'s common case.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
            t[i] |= HOST;
        }
        if !must_encode_in_path(b) && b != b'?' && b != b'#' {
            t[i] |= PATH;
        }
        i += 1;
    }
    t
};

/// The path as an HTTP client sends it (see [`RequestUrl::parse`]).
fn path_as_sent(path: &str) -> Cow<'_, str> {
    if !path.bytes().any(must_encode_in_path) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 16);
    for &b in path.as_bytes() {
        if must_encode_in_path(b) {
            let _ = write!(out, "%{b:02X}");
        } else {
            out.push(b as char);
        }
    }
    Cow::Owned(out)
}

/// The parts of an absolute URL that OAuth signing needs, borrowed from the URL text.
///
/// ```
/// use oauth1_core::url::RequestUrl;
/// let url = RequestUrl::parse("HTTP://Example.COM:80/r%20v/X?id=123#frag").unwrap();
/// assert_eq!(url.base_string_uri(), "http://example.com/r%20v/X");
/// assert_eq!(url.query(), Some("id=123"));
///
/// let url = RequestUrl::parse("https://www.example.net:8080/?q=1").unwrap();
/// assert_eq!(url.base_string_uri(), "https://www.example.net:8080/");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<u16>,
    path: Cow<'a, str>,
    query: Option<&'a str>,
}

impl<'a> RequestUrl<'a> {
    /// Parses an absolute URL (`scheme://[userinfo@]host[:port][/path][?query][#fragment]`).
    ///
    /// The fragment is dropped (it is never sent), the user info is ignored, and the path is
    /// kept as it will be sent: exactly as written, except that characters an HTTP client must
    /// percent-encode to send them at all (space, controls, `"`, `<`, `>`, `` ` ``, `{`, `}` and
    /// non-ASCII, the WHATWG path set that the `url` crate and so `reqwest` apply) are encoded
    /// the way the client sends them. `%` escapes already present are left alone.
    pub fn parse(url: &'a str) -> Result<Self, UrlError> {
        Self::parse_with_prefix(url).map(|(parsed, _)| parsed)
    }

    /// [`Self::parse`], and for a URL of the common shape (see [`Self::parse_common_at`]) its
    /// part up to the query or fragment (`scheme://host[:port]path`): any URL that starts with
    /// those bytes followed by `?`, `#` or nothing parses to the same scheme, host, port and
    /// path.
    pub(crate) fn parse_with_prefix(url: &'a str) -> Result<(Self, Option<&'a str>), UrlError> {
        match Self::parse_common_at(url) {
            Some((parsed, end)) => Ok((parsed, url.get(..end))),
            None => Self::parse_general(url).map(|parsed| (parsed, None)),
        }
    }

    /// The common shape, or `None`; for the test that compares it with the whole grammar.
    #[cfg(test)]
    fn parse_common(url: &'a str) -> Option<Self> {
        Self::parse_common_at(url).map(|(parsed, _)| parsed)
    }

    /// The common shape in one pass: `http` or `https`, a host of letters, digits, `.` and
    /// `-`, an optional port, and a path that needs no encoding. Anything else (or anything
    /// wrong) is left to [`Self::parse_general`], which gives the same result for what this
    /// accepts (a test checks it). Also returns where the path ends.
    #[inline]
    fn parse_common_at(url: &'a str) -> Option<(Self, usize)> {
        let bytes = url.as_bytes();
        let auth_start = if bytes.starts_with(b"https://") {
            8
        } else if bytes.starts_with(b"http://") {
            7
        } else {
            return None;
        };
        let scheme = url.get(..auth_start - 3)?;
        let mut i = auth_start;
        while i < bytes.len() && CLASS[bytes[i] as usize] & HOST != 0 {
            i += 1;
        }
        let host = url.get(auth_start..i)?;
        if host.is_empty() {
            return None;
        }
        let mut port = None;
        if bytes.get(i) == Some(&b':') {
            i += 1;
            let digits_start = i;
            let mut value: u32 = 0;
            while let Some(d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
                value = value * 10 + u32::from(d - b'0');
                if value > u32::from(u16::MAX) {
                    return None;
                }
                i += 1;
            }
            if i > digits_start {
                port = Some(u16::try_from(value).ok().filter(|&p| p != 0)?);
            }
        }
        let path_start = i;
        while i < bytes.len() && CLASS[bytes[i] as usize] & PATH != 0 {
            i += 1;
        }
        // The authority must end here, and the path may only stop at `?` or `#`.
        match bytes.get(i) {
            None | Some(b'?' | b'#') => {}
            _ => return None,
        }
        if i > path_start && bytes[path_start] != b'/' {
            return None;
        }
        let path = url.get(path_start..i)?;
        let query = if bytes.get(i) == Some(&b'?') {
            let rest = url.get(i + 1..)?;
            Some(rest.split_once('#').map_or(rest, |(query, _)| query))
        } else {
            None
        };
        let parsed = RequestUrl {
            scheme,
            host,
            port,
            path: Cow::Borrowed(path),
            query,
        };
        Some((parsed, i))
    }

    /// The whole grammar, with the errors.
    fn parse_general(url: &'a str) -> Result<Self, UrlError> {
        let bytes = url.as_bytes();
        let colon = url.find("://").ok_or(UrlError::NotAbsolute)?;
        let scheme = &url[..colon];
        let scheme_ok = scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if !scheme_ok {
            return Err(if scheme.is_empty() || scheme.contains(['/', '?', '#']) {
                UrlError::NotAbsolute
            } else {
                UrlError::InvalidScheme
            });
        }
        let auth_start = colon + 3;
        let auth_end = bytes[auth_start..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .map_or(bytes.len(), |p| auth_start + p);
        let authority = &url[auth_start..auth_end];
        let host_start = authority.rfind('@').map_or(0, |at| at + 1);
        let (host, port) = split_host_port(&authority[host_start..], auth_start + host_start)?;

        let rest = &url[auth_end..];
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        Ok(RequestUrl {
            scheme,
            host,
            port,
            path: path_as_sent(path),
            query,
        })
    }

    /// The scheme as written (compare case-insensitively).
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The host as written (IPv6 literals keep their brackets).
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The explicit port, if the URL has one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path as sent (see [`RequestUrl::parse`]); empty when the URL has none.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string without the `?`, if there is one.
    pub fn query(&self) -> Option<&'a str> {
        self.query
    }

    /// The port to put in the base string URI: none when it is the scheme's default
    /// (80 for `http`, 443 for `https`).
    pub(crate) fn significant_port(&self) -> Option<u16> {
        let default = if self.scheme.eq_ignore_ascii_case("http") {
            Some(80)
        } else if self.scheme.eq_ignore_ascii_case("https") {
            Some(443)
        } else {
            None
        };
        self.port.filter(|&p| Some(p) != default)
    }

    /// Appends the base string URI: lower-case scheme and host, the port unless it is the
    /// default, and the path as sent (`/` when empty); no query, no fragment.
    pub fn write_base_string_uri(&self, out: &mut String) {
        push_lowercase(self.scheme, out);
        out.push_str("://");
        push_lowercase(self.host, out);
        if let Some(port) = self.significant_port() {
            out.push(':');
            let mut buf = [0u8; 20];
            out.extend(
                decimal(u64::from(port), &mut buf)
                    .iter()
                    .map(|&d| d as char),
            );
        }
        out.push_str(if self.path.is_empty() {
            "/"
        } else {
            &self.path
        });
    }

    /// The base string URI (RFC 5849 §3.4.1.2).
    pub fn base_string_uri(&self) -> String {
        let mut out =
            String::with_capacity(self.scheme.len() + self.host.len() + self.path.len() + 10);
        self.write_base_string_uri(&mut out);
        out
    }
}

fn push_lowercase(s: &str, out: &mut String) {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(s);
    }
}

/// The two-digit decimal numbers `00` to `99`, one after the other.
static DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Writes the decimal digits of `n` into `buf` and returns them (two digits per step).
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    while n >= 100 {
        let pair = 2 * (n % 100) as usize;
        n /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = 2 * n as usize;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    &buf[i..]
}

/// Splits `host[:port]` (or `[v6]:port`); `offset` locates `hostport` in the URL for errors.
fn split_host_port(hostport: &str, offset: usize) -> Result<(&str, Option<u16>), UrlError> {
    let (host, port) = if hostport.starts_with('[') {
        let close = hostport
            .find(']')
            .ok_or(UrlError::InvalidHost { position: offset })?;
        let after = &hostport[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => {
                return Err(UrlError::InvalidHost {
                    position: offset + close + 1,
                })
            }
        };
        (&hostport[..=close], port)
    } else {
        match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(UrlError::EmptyHost);
    }
    if let Some(bad) = host.bytes().position(|b| {
        b.is_ascii_control()
            || b == b' '
            || matches!(
                b,
                b'<' | b'>' | b'"' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
    }) {
        return Err(UrlError::InvalidHost {
            position: offset + bad,
        });
    }
    let inner = if host.starts_with('[') {
        host.strip_prefix('[').and_then(|h| h.strip_suffix(']'))
    } else {
        Some(host)
    };
    let bracketed = host.starts_with('[');
    if !inner.is_some_and(|inner| {
        !inner.is_empty() && !inner.contains(['[', ']']) && (bracketed || !inner.contains(':'))
    }) {
        return Err(UrlError::InvalidHost { position: offset });
    }
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => match digits.parse::<u16>() {
            Ok(0) | Err(_) => return Err(UrlError::InvalidPort),
            Ok(port) => Some(port),
        },
        Some(_) => return Err(UrlError::InvalidPort),
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(url: &str) -> String {
        RequestUrl::parse(url).unwrap().base_string_uri()
    }

    #[test]
    fn rfc_5849_3_4_1_2_examples() {
        assert_eq!(
            uri("http://EXAMPLE.COM:80/r%20v/X?id=123"),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            uri("https://www.example.net:8080/?q=1"),
            "https://www.example.net:8080/"
        );
    }

    #[test]
    fn default_ports_only_for_their_scheme() {
        assert_eq!(uri("https://a.com:443/"), "https://a.com/");
        assert_eq!(uri("http://a.com:443/"), "http://a.com:443/");
        assert_eq!(uri("https://a.com:80/"), "https://a.com:80/");
        assert_eq!(uri("http://a.com:8080"), "http://a.com:8080/");
        assert_eq!(uri("http://a.com:/x"), "http://a.com/x");
        assert_eq!(uri("ftp://a.com:21/x"), "ftp://a.com:21/x");
    }

    #[test]
    fn path_kept_query_fragment_userinfo_dropped() {
        assert_eq!(
            uri("http://u:p@A.com/P a;t%2F/?x#y"),
            "http://a.com/P%20a;t%2F/"
        );
        assert_eq!(uri("http://a.com#frag"), "http://a.com/");
        assert_eq!(uri("http://a.com?x=1"), "http://a.com/");
        assert_eq!(
            RequestUrl::parse("http://a.com/p?x=1#f").unwrap().query(),
            Some("x=1")
        );
        assert_eq!(
            RequestUrl::parse("http://a.com/p#f?x=1").unwrap().query(),
            None
        );
    }

    #[test]
    fn path_encoded_as_a_client_sends_it() {
        assert_eq!(
            uri("http://EXAMPLE.COM:80/r v/X?id=123"),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            uri("http://a.com/caf\u{e9}/\"x\"|{}"),
            "http://a.com/caf%C3%A9/%22x%22|%7B%7D"
        );
        assert_eq!(
            uri("http://a.com/already%20encoded;p=1"),
            "http://a.com/already%20encoded;p=1"
        );
    }

    #[test]
    fn the_common_case_agrees_with_the_whole_grammar() {
        let pieces = [
            "http://",
            "https://",
            "HTTP://",
            "ftp://",
            "a.com",
            "A-b.Example.COM",
            "",
            ":",
            ":80",
            ":443",
            ":0",
            ":65535",
            ":65536",
            ":8o",
            "/",
            "/p/q",
            "/r%20v",
            "/a b",
            "/caf\u{e9}",
            "?",
            "?x=1",
            "?x=1#f",
            "#f",
            "@",
            "u:p@",
            "[::1]",
            "/?#",
            ";p=1",
        ];
        let mut count = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in pieces {
                        let url = format!("{a}{b}{c}{d}");
                        if let Some(fast) = RequestUrl::parse_common(&url) {
                            assert_eq!(Ok(fast), RequestUrl::parse_general(&url), "{url}");
                            count += 1;
                        }
                    }
                }
            }
        }
        assert!(count > 1000, "{count}");
    }

    #[test]
    fn ipv6() {
        assert_eq!(uri("http://[::1]:80/a"), "http://[::1]/a");
        assert_eq!(uri("http://[FE80::1]:8080/a"), "http://[fe80::1]:8080/a");
    }

    #[test]
    fn errors() {
        assert_eq!(RequestUrl::parse("/relative"), Err(UrlError::NotAbsolute));
        assert_eq!(
            RequestUrl::parse("example.com/x"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            RequestUrl::parse("ht tp://a/"),
            Err(UrlError::InvalidScheme)
        );
        assert_eq!(RequestUrl::parse("http:///x"), Err(UrlError::EmptyHost));
        assert_eq!(
            RequestUrl::parse("http://a:99999/"),
            Err(UrlError::InvalidPort)
        );
        assert_eq!(
            RequestUrl::parse("http://a:8o/"),
            Err(UrlError::InvalidPort)
        );
        assert!(matches!(
            RequestUrl::parse("http://a b/"),
            Err(UrlError::InvalidHost { .. })
        ));
        assert!(matches!(
            RequestUrl::parse("http://[::1/"),
            Err(UrlError::InvalidHost { .. })
        ));
    }
}
