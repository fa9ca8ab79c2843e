//! Tokens, secrets, verifiers and CSRF values: letters and digits, each character uniform
//! over the 62, from a random source that fails closed.

/// The characters of every value the provider makes up.
pub(crate) const ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The operating system gave no random bytes: the provider refuses to issue anything (it
/// answers 500) rather than make up a guessable value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the operating system random source failed")]
pub(crate) struct RandomUnavailable;

/// Where random bytes come from: the OS in the provider, a scripted source in tests.
pub(crate) trait RandomSource: Send + Sync {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomUnavailable>;
}

/// The operating system's random source (`getrandom`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomUnavailable> {
        getrandom::getrandom(buf).map_err(|_| RandomUnavailable)
    }
}

/// `len` characters of [`ALPHABET`], each uniform over it.
///
/// Rejection sampling: 248 = 4 × 62, so a byte below 248 taken modulo 62 is uniform, and
/// bytes 248..=255 are dropped (taking every byte modulo 62 would make the first eight
/// characters 5/4 as likely as the others). A source that keeps giving only dropped bytes
/// (never the OS) ends in [`RandomUnavailable`] rather than a loop.
pub(crate) fn token(source: &dyn RandomSource, len: usize) -> Result<String, RandomUnavailable> {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    // Each round keeps 62 of 64 bytes on average; 64 rounds without progress is a broken source.
    let mut rounds = 0u32;
    while out.len() < len {
        rounds += 1;
        if rounds > 64 + (len as u32) {
            return Err(RandomUnavailable);
        }
        source.fill(&mut buf)?;
        for &b in buf.iter().filter(|&&b| b < 248) {
            if out.len() == len {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(b % 62)]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::sync::atomic::{AtomicU8, Ordering};

    use super::*;

    /// Every byte value in turn: a source that is exactly uniform over 0..=255.
    struct Counting(AtomicU8);

    impl RandomSource for Counting {
        fn fill(&self, buf: &mut [u8]) -> Result<(), RandomUnavailable> {
            for b in buf {
                *b = self.0.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        }
    }

    struct Broken;

    impl RandomSource for Broken {
        fn fill(&self, _: &mut [u8]) -> Result<(), RandomUnavailable> {
            Err(RandomUnavailable)
        }
    }

    struct OnlyHigh;

    impl RandomSource for OnlyHigh {
        fn fill(&self, buf: &mut [u8]) -> Result<(), RandomUnavailable> {
            buf.fill(250);
            Ok(())
        }
    }

    #[test]
    fn an_exactly_uniform_source_gives_exactly_uniform_characters() {
        // 248 × 100 bytes of 0..=255 in turn keep 24,800 × 248/256 bytes, each residue of 62
        // equally often: with `b % 62` over all bytes, 'A'..='H' came 5/4 as often.
        let source = Counting(AtomicU8::new(0));
        let text = token(&source, 62 * 400).unwrap();
        let mut counts = [0usize; 62];
        for b in text.bytes() {
            let i = ALPHABET.iter().position(|&a| a == b).unwrap();
            counts[i] += 1;
        }
        assert!(counts.iter().all(|&c| c == 400), "{counts:?}");
    }

    #[test]
    fn os_tokens_are_uniform_over_the_alphabet() {
        // 620,000 characters, 10,000 expected per character (sd ≈ 99). Under `b % 62` the
        // first eight came ≈ 12,400 times (24 sd off); the bound here is 6 sd, so an unlucky
        // draw does not fail the test and the old bias cannot pass it.
        let text = token(&OsRandom, 620_000).unwrap();
        let mut counts = [0usize; 62];
        for b in text.bytes() {
            let i = ALPHABET.iter().position(|&a| a == b).unwrap();
            counts[i] += 1;
        }
        for (i, &c) in counts.iter().enumerate() {
            assert!(
                (9_400..=10_600).contains(&c),
                "{} came {c} times",
                char::from(ALPHABET[i])
            );
        }
    }

    #[test]
    fn a_failing_source_fails_closed() {
        assert_eq!(token(&Broken, 32), Err(RandomUnavailable));
        assert_eq!(token(&OnlyHigh, 32), Err(RandomUnavailable));
    }
}
