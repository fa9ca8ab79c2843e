//! Small URL pieces: checking, adding query parameters, reading a callback.

use oauth1_core::encode::percent_encode;

use crate::error::Error;

/// Checks that `url` is an absolute `http`/`https` URL with a host.
pub(crate) fn check_absolute(what: &'static str, url: &str) -> Result<(), Error> {
    let ok = oauth1_core::url::RequestUrl::parse(url).is_ok();
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidUrl {
            what,
            url: url.to_owned(),
        })
    }
}

/// `url` with `params` percent-encoded (RFC 3986, as §3.6) and added to its query; a fragment
/// stays at the end.
pub(crate) fn with_query<'a>(
    url: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut out = String::from(base);
    let mut sep = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    for (name, value) in params {
        out.push_str(sep);
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
        sep = "&";
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The query of a callback given as a full URL, a path with a query, or just the query (with
/// or without its `?`), decoded.
pub(crate) fn callback_params(callback: &str) -> Result<Vec<(String, String)>, Error> {
    let callback = callback.trim();
    let callback = callback.split_once('#').map_or(callback, |(c, _)| c);
    let query = match callback.split_once('?') {
        Some((_, q)) => q,
        None if callback.contains("://") || callback.starts_with('/') => "",
        None => callback,
    };
    oauth1_core::encode::form_decode_str(query).map_err(Error::BadCallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_added_with_the_right_separator() {
        assert_eq!(
            with_query("https://a/x", [("t", "a b")]),
            "https://a/x?t=a%20b"
        );
        assert_eq!(
            with_query("https://a/x?y=1", [("t", "1")]),
            "https://a/x?y=1&t=1"
        );
        assert_eq!(with_query("https://a/x?", [("t", "1")]), "https://a/x?t=1");
        assert_eq!(
            with_query("https://a/x#f", [("t", "1"), ("u", "é")]),
            "https://a/x?t=1&u=%C3%A9#f"
        );
    }

    #[test]
    fn callbacks_in_every_shape() {
        let want = vec![
            ("oauth_token".to_owned(), "t".to_owned()),
            ("oauth_verifier".to_owned(), "v w".to_owned()),
        ];
        for c in [
            "https://app.example/cb?oauth_token=t&oauth_verifier=v+w",
            "/cb?oauth_token=t&oauth_verifier=v%20w#frag",
            "?oauth_token=t&oauth_verifier=v%20w",
            "oauth_token=t&oauth_verifier=v%20w\n",
        ] {
            assert_eq!(callback_params(c).unwrap(), want, "{c}");
        }
        assert!(callback_params("https://app.example/cb")
            .unwrap()
            .is_empty());
        assert!(matches!(
            callback_params("oauth_token=%zz"),
            Err(Error::BadCallback(_))
        ));
    }
}
