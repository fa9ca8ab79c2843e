//! Fresh nonces and timestamps for callers who do not choose their own (feature `std-rand`).

use crate::error::Error;

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A nonce of 32 alphanumeric characters (about 190 bits) from the OS random source.
///
/// Alphanumeric only: some providers (Twitter among them) reject anything else.
///
/// ```
/// let n = oauth1_core::nonce::random_nonce().unwrap();
/// assert_eq!(n.len(), 32);
/// assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
/// ```
pub fn random_nonce() -> Result<String, Error> {
    let mut out = String::with_capacity(32);
    let mut buf = [0u8; 48];
    while out.len() < 32 {
        getrandom::getrandom(&mut buf).map_err(|_| Error::Random)?;
        // Rejection sampling keeps every character equally likely: 248 = 4 * 62.
        for &b in buf.iter().filter(|&&b| b < 248) {
            if out.len() == 32 {
                break;
            }
            out.push(ALPHABET[(b % 62) as usize] as char);
        }
    }
    Ok(out)
}

/// The system clock in whole seconds since the Unix epoch (0 if the clock is before 1970).
pub fn unix_time() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
