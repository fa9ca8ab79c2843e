//! The local provider's `Date` header (RFC 9110 §5.6.7, IMF-fixdate), from Unix seconds.

use std::time::{Duration, UNIX_EPOCH};

/// `Sun, 06 Nov 1994 08:49:37 GMT` for `secs` since the Unix epoch, or `None` past the year
/// 9999, which the format cannot write (a clock set that far is a test's own choice; the
/// response then goes without a `Date`).
pub(crate) fn http_date(secs: u64) -> Option<String> {
    // 9999-12-31 23:59:59 UTC.
    const LAST: u64 = 253_402_300_799;
    if secs > LAST {
        return None;
    }
    let time = UNIX_EPOCH.checked_add(Duration::from_secs(secs))?;
    Some(httpdate::fmt_http_date(time))
}

#[cfg(test)]
mod tests {
    use super::http_date;

    #[test]
    fn known_dates() {
        assert_eq!(
            http_date(784_111_777).as_deref(),
            Some("Sun, 06 Nov 1994 08:49:37 GMT")
        );
        assert_eq!(
            http_date(0).as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert_eq!(
            http_date(1_709_251_200).as_deref(),
            Some("Fri, 01 Mar 2024 00:00:00 GMT")
        );
    }

    #[test]
    fn the_last_writable_second_and_past_it() {
        assert_eq!(
            http_date(253_402_300_799).as_deref(),
            Some("Fri, 31 Dec 9999 23:59:59 GMT")
        );
        assert_eq!(http_date(253_402_300_800), None);
        assert_eq!(http_date(u64::MAX), None);
    }
}
