//! Fresh nonces and timestamps for callers who do not choose their own (feature `std-rand`).

use crate::error::Error;

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The length of a [`random_nonce`], in characters: 24.
///
/// Chosen for interoperability: `oauthlib`'s default `RequestValidator` (Python; the base of
/// many providers) accepts only nonces of 20 to 30 letters and digits, and its endpoints answer
/// 401 without saying why, so 32 characters were refused by every provider on its defaults.
/// 24 sits inside that range and still carries more than 128 bits of entropy:
/// 24 × log2(62) ≈ 24 × 5.954 ≈ 142.9 bits.
pub const NONCE_LEN: usize = 24;

/// A nonce of [`NONCE_LEN`] (24) alphanumeric characters from the OS random source: about
/// 142.9 bits (24 × log2(62)), every character uniform over the 62 letters and digits.
///
/// Alphanumeric only, and 24 long, because providers check nonces: Twitter rejects anything
/// but letters and digits, and oauthlib's default validator wants 20 to 30 of them (see
/// [`NONCE_LEN`]).
///
/// ```
/// let n = oauth1_core::nonce::random_nonce().unwrap();
/// assert_eq!(n.len(), oauth1_core::nonce::NONCE_LEN);
/// assert!((20..=30).contains(&n.len())); // oauthlib's default RequestValidator.nonce_length
/// assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()));
/// ```
pub fn random_nonce() -> Result<String, Error> {
    let mut out = String::with_capacity(NONCE_LEN);
    // 32 random bytes usually give the 24 characters in one call (each byte is kept with
    // probability 248/256); the loop draws again when they do not.
    let mut buf = [0u8; 32];
    while out.len() < NONCE_LEN {
        getrandom::getrandom(&mut buf).map_err(|_| Error::Random)?;
        // Rejection sampling keeps every character equally likely: 248 = 4 * 62, so a byte
        // below 248 taken modulo 62 is uniform; bytes 248..=255 are dropped.
        for &b in buf.iter().filter(|&&b| b < 248) {
            if out.len() == NONCE_LEN {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(b % 62)]));
        }
    }
    Ok(out)
}

/// The system clock in whole seconds since the Unix epoch (0 if the clock is before 1970).
///
/// In a browser (`wasm32-unknown-unknown`), where `std`'s clock panics, it is JavaScript's
/// `Date.now()`.
pub fn unix_time() -> u64 {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        // Milliseconds as an f64 (integral, far below 2^53); `as` saturates a negative to 0.
        (js_sys::Date::now() / 1000.0) as u64
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_alphabet_suit_oauthlib_and_keep_128_bits() {
        // oauthlib's RequestValidator: nonce_length = (20, 30), safe_characters = letters and
        // digits. The differential test (oauth1-cli) asks oauthlib itself.
        assert!((20..=30).contains(&NONCE_LEN));
        assert!(NONCE_LEN as f64 * 62f64.log2() >= 128.0);
        for _ in 0..1000 {
            let n = random_nonce().unwrap();
            assert_eq!(n.len(), NONCE_LEN);
            assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()), "{n}");
        }
    }

    #[test]
    fn every_character_is_drawn_about_equally_often() {
        // 240,000 characters: each of the 62 expected ~3871 times (sd ~62). Without the
        // rejection step the first 8 characters would come 5/4 as often as the rest (~4688
        // times, 13 sd out); the bounds are 6 sd either side.
        let mut counts = [0u32; 62];
        for _ in 0..10_000 {
            for b in random_nonce().unwrap().bytes() {
                let i = ALPHABET.iter().position(|&a| a == b).unwrap();
                counts[i] += 1;
            }
        }
        for (i, &c) in counts.iter().enumerate() {
            assert!(
                (3500..=4240).contains(&c),
                "{} drawn {c} times of 240000",
                char::from(ALPHABET[i])
            );
        }
    }
}
