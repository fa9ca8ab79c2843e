//! The plain reference implementations of RFC 5849's encoding rules, one byte at a time, with
//! no attempt at speed: what the optimized code of `oauth1-core` (and the `percent-encoding`
//! crate it uses) is checked against. Shared by the crate's unit tests (`src/lib.rs`) and the
//! fuzz checks (`fuzz/checks.rs`, which the fuzz targets and the corpus replay test
//! `tests/fuzz_corpus.rs` run), so that there is one reference to trust (issue 19).
#![allow(dead_code)]

/// Decoded `(name, value)` octet pairs.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// RFC 5849 §3.6, one byte at a time: ALPHA, DIGIT, `-`, `.`, `_` and `~` as they are, every
/// other byte as `%` and two upper-case hex digits.
pub fn encode(input: &[u8]) -> String {
    let mut out = String::new();
    for &b in input {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let hex = |n: u8| char::from(b"0123456789ABCDEF"[usize::from(n)]);
            out.extend(['%', hex(b >> 4), hex(b & 15)]);
        }
    }
    out
}

/// Percent-decoding one byte at a time (`+` is a space when `plus_is_space`); `Err` holds the
/// offset (plus `offset`) of a `%` that two hex digits do not follow.
pub fn decode(input: &[u8], plus_is_space: bool, offset: usize) -> Result<Vec<u8>, usize> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'%' => {
                let (Some(hi), Some(lo)) = (
                    input.get(i + 1).and_then(|&b| hex(b)),
                    input.get(i + 2).and_then(|&b| hex(b)),
                ) else {
                    return Err(offset + i);
                };
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// `application/x-www-form-urlencoded` decoding (§3.4.1.3.1): split at `&` (empty pieces
/// skipped), each piece at its first `=` (none: an empty value), each side decoded with `+` a
/// space. `Err` holds the offset of the first bad `%`.
pub fn form_decode(input: &[u8]) -> Result<Pairs, usize> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for segment in input.split(|&b| b == b'&') {
        if !segment.is_empty() {
            let eq = segment.iter().position(|&b| b == b'=');
            let (name, value) = match eq {
                Some(eq) => (&segment[..eq], &segment[eq + 1..]),
                None => (segment, &segment[segment.len()..]),
            };
            pairs.push((
                decode(name, true, offset)?,
                decode(value, true, offset + name.len() + 1)?,
            ));
        }
        offset += segment.len() + 1;
    }
    Ok(pairs)
}

/// The normalized parameter string (§3.4.1.3.2) by encoding everything first, then sorting.
pub fn normalize(pairs: &[(&[u8], &[u8])]) -> String {
    let mut encoded: Vec<(String, String)> =
        pairs.iter().map(|(n, v)| (encode(n), encode(v))).collect();
    encoded.sort();
    let joined: Vec<String> = encoded.iter().map(|(n, v)| format!("{n}={v}")).collect();
    joined.join("&")
}
