//! Reading the HTTP `Date` header (RFC 9110 §5.6.7) for clock-skew recovery.

use std::time::UNIX_EPOCH;

/// Unix seconds of a `Date` value, or `None` if it is not an HTTP date.
///
/// Twitter sends the preferred format, IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); the two
/// obsolete formats RFC 9110 asks recipients to accept (RFC 850 and asctime) parse too.
/// Surrounding white space is ignored.
pub(crate) fn parse_http_date(text: &str) -> Option<u64> {
    let time = httpdate::parse_http_date(text.trim()).ok()?;
    Some(time.duration_since(UNIX_EPOCH).ok()?.as_secs())
}

#[cfg(test)]
mod tests {
    use super::parse_http_date;

    #[test]
    fn known_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Fri, 01 Mar 2024 00:00:00 GMT"),
            Some(1_709_251_200)
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }

    #[test]
    fn what_a_header_may_carry() {
        // As a header value may arrive: padded.
        assert_eq!(
            parse_http_date(" Sun, 06 Nov 1994 08:49:37 GMT\t"),
            Some(784_111_777)
        );
        // The obsolete formats a recipient must accept (RFC 9110 §5.6.7).
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Sun Nov  6 08:49:37 1994"),
            Some(784_111_777)
        );
        // Out of range.
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"), None);
        assert_eq!(parse_http_date("Sun, 32 Nov 1994 08:49:37 GMT"), None);
    }
}
