//! The encoders, the writer, the kernels and the decoders, against the definitions and the
//! plain reference (`tests/support/reference.rs`).

use super::swar::{reserved16, unreserved_count};
use super::*;
use crate::error::DecodeError;
use crate::reference;

#[test]
fn encodes_every_byte_per_rfc_3_6() {
    for b in 0u8..=255 {
        let got = percent_encode_octets(&[b]);
        if is_unreserved(b) {
            assert_eq!(got, (b as char).to_string());
        } else {
            assert_eq!(got, format!("%{b:02X}"));
        }
    }
}

#[test]
fn double_encoding_matches_encoding_twice() {
    let all: Vec<u8> = (0u8..=255).collect();
    let mut once = String::new();
    encode_into(&all, &mut once);
    let mut twice = String::new();
    encode_into(once.as_bytes(), &mut twice);
    let mut direct = Vec::new();
    Writer::run(&mut direct, |w| w.escape_percent(once.as_bytes()));
    assert_eq!(direct, twice.into_bytes());
    for input in samples() {
        let mut once = String::new();
        encode_into(&input, &mut once);
        let mut twice = String::new();
        encode_into(once.as_bytes(), &mut twice);
        let mut direct = b"x".to_vec();
        Writer::run(&mut direct, |w| w.escape_percent(once.as_bytes()));
        assert_eq!(&direct[1..], twice.as_bytes(), "{input:?}");
    }
}

/// Inputs of every length up to 40 around word boundaries, from a small alphabet that hits
/// every branch: unreserved, reserved, `+`, escapes of both cases, broken escapes, octets.
#[test]
fn string_writers_agree_with_the_byte_writers() {
    let long = [
        "a".repeat(40) + "+/=",
        "é/".repeat(40),
        "~".repeat(17) + &"☃".repeat(12),
    ];
    let all = samples()
        .into_iter()
        .chain(long.iter().map(|s| s.as_bytes().to_vec()));
    for sample in all {
        let text = String::from_utf8_lossy(&sample).into_owned();
        let mut pushed = String::from("x");
        let escaped = push_encoded(&mut pushed, &text);
        assert_eq!(pushed, format!("x{}", percent_encode(&text)), "{text:?}");
        assert_eq!(escaped, pushed.contains('%'), "{text:?}");
    }
    for n in [
        0,
        7,
        9,
        10,
        99,
        100,
        101,
        999,
        1000,
        1_318_622_958,
        u64::MAX,
    ] {
        let mut digits = String::new();
        push_decimal(&mut digits, n);
        assert_eq!(digits, n.to_string());
    }
}

fn samples() -> Vec<Vec<u8>> {
    let alphabet: [&[u8]; 14] = [
        b"a",
        b"Z",
        b"~",
        b"+",
        b"%2b",
        b"%41",
        b"%e2%98%83",
        b" ",
        b"\xff",
        b"%",
        b"%2B",
        b"%C3%A9",
        b"%7E",
        b"%2",
    ];
    let mut out = Vec::new();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for len in 0..40 {
        for _ in 0..20 {
            let mut s = Vec::new();
            while s.len() < len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.extend_from_slice(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            out.push(s);
        }
    }
    out
}

type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// The names and values `normalize_form` gives for `form` (written after other text), or
/// its error; checks that they follow one another and that each key is the name's.
fn normalized(form: &[u8]) -> Result<Pairs, DecodeError> {
    let mut out = b"prefix".to_vec();
    let mut spans = Vec::new();
    let mut result = Ok(());
    Writer::run(&mut out, |w| {
        result = w.normalize_form(form, |key, name, value| spans.push((key, name, value)));
    });
    result?;
    let mut end = 6;
    let mut pairs = Vec::new();
    for (key, name, value) in spans {
        assert_eq!((name.0, name.1), (end, value.0), "{form:?}");
        end = value.1;
        let name = out[name.0..name.1].to_vec();
        // The key is the name's first eight bytes, big-endian, zero-padded.
        let mut prefix = [0u8; 8];
        for (d, &b) in prefix.iter_mut().zip(&name) {
            *d = b;
        }
        assert_eq!(key, u64::from_be_bytes(prefix));
        assert_eq!(key, name_key(&name));
        pairs.push((name, out[value.0..value.1].to_vec()));
    }
    assert_eq!(end, out.len(), "{form:?}");
    Ok(pairs)
}

/// The same by the definition (the plain reference): split at `&` and the first `=`,
/// decode, encode twice.
fn by_definition(form: &[u8]) -> Result<Pairs, DecodeError> {
    let twice = |octets: &[u8]| reference::encode(reference::encode(octets).as_bytes());
    let pairs =
        reference::form_decode(form).map_err(|position| DecodeError::BadEscape { position })?;
    Ok(pairs
        .iter()
        .map(|(n, v)| (twice(n).into_bytes(), twice(v).into_bytes()))
        .collect())
}

#[test]
fn normalizing_is_decoding_then_encoding() {
    for input in samples() {
        for form in [
            [&b"a=1&bc="[..], &input].concat(),
            [&b"a=1&bc="[..], &input, b"&rest"].concat(),
            [&b"a=1&bc="[..], &input, b"=value&rest"].concat(),
            [&input, &b"=v"[..]].concat(),
            [&b"&"[..], &input, b"&&"].concat(),
        ] {
            let pairs = normalized(&form);
            assert_eq!(pairs, by_definition(&form), "{form:?}");
            for (name, value) in pairs.unwrap_or_default() {
                for twice in [name, value] {
                    let mut back = Vec::new();
                    decode_twice(&twice, &mut back);
                    let mut once = String::new();
                    encode_into(&back, &mut once);
                    assert_eq!(once_encoded(&twice), once);
                    let mut octets = Vec::new();
                    decode_encoded(once.as_bytes(), &mut octets);
                    assert_eq!(octets, back);
                }
            }
        }
    }
}

#[test]
fn forms_split_at_ampersands_and_the_first_equals_sign() {
    let text = |pairs: &[(&str, &str)]| -> Pairs {
        pairs
            .iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    };
    let cases: [(&[u8], Pairs); 8] = [
        (b"", vec![]),
        (b"&&&", vec![]),
        (b"a", text(&[("a", "")])),
        (b"=", text(&[("", "")])),
        (b"=x&", text(&[("", "x")])),
        (b"&a&&b=&", text(&[("a", ""), ("b", "")])),
        (
            b"k=a=b%3d+c&next",
            text(&[("k", "a%253Db%253D%2520c"), ("next", "")]),
        ),
        (b"a+b=%7e%7E&%41", text(&[("a%2520b", "~~"), ("A", "")])),
    ];
    for (form, pairs) in cases {
        assert_eq!(by_definition(form), Ok(pairs.clone()), "{form:?}");
        assert_eq!(normalized(form), Ok(pairs), "{form:?}");
    }
    for (form, position) in [(&b"x=%2"[..], 2), (b"ok=1&b%zz", 6), (b"%&a", 0)] {
        let error = Err(DecodeError::BadEscape { position });
        assert_eq!(by_definition(form), error, "{form:?}");
        assert_eq!(normalized(form), error, "{form:?}");
    }
}

#[test]
fn the_unreserved_start_of_sixteen_bytes_is_counted_exactly() {
    for b in 0u8..=255 {
        for pos in 0..16 {
            let mut chunk = [b'a'; 16];
            chunk[pos] = b;
            let expected = if is_unreserved(b) { 16 } else { pos };
            assert_eq!(
                unreserved_count(reserved16(&chunk)),
                expected,
                "{b} at {pos}"
            );
            // A reserved byte later on does not change the count.
            for later in pos + 1..16 {
                chunk[later] = b'%';
                let expected = if is_unreserved(b) { later } else { pos };
                assert_eq!(
                    unreserved_count(reserved16(&chunk)),
                    expected,
                    "{b} at {pos}"
                );
                chunk[later] = b'a';
            }
        }
    }
}

/// Long unreserved runs (which go sixteen bytes at a time) with one other byte or escape
/// at every position, against the definition.
#[test]
fn long_runs_normalize_at_every_position() {
    for special in [
        &b"%20"[..],
        b"%7e",
        b"+",
        b"*",
        b"&",
        b"=",
        b"%2",
        b"\xff",
        b"\0",
    ] {
        for len in [0, 7, 8, 9, 15, 16, 17, 24, 31, 40, 64] {
            for at in 0..=len {
                let mut field = vec![b'x'; len];
                field.splice(at..at, special.iter().copied());
                for form in [
                    [&b"k="[..], &field, b"&z"].concat(),
                    [&b"k="[..], &field].concat(),
                    [&field, &b"=v"[..]].concat(),
                ] {
                    assert_eq!(normalized(&form), by_definition(&form), "{form:?}");
                }
            }
        }
    }
}

#[test]
fn encode_and_copy_agree_with_byte_by_byte() {
    for input in samples() {
        let mut expected = Vec::new();
        for &b in &input {
            if is_unreserved(b) {
                expected.push(b);
            } else {
                expected.extend_from_slice(format!("%{b:02X}").as_bytes());
            }
        }
        let mut out = b"x".to_vec();
        Writer::run(&mut out, |w| w.encode(&input));
        assert_eq!(&out[1..], &expected[..], "{input:?}");
        let mut out = Vec::new();
        Writer::run(&mut out, |w| {
            w.raw(&input[1.min(input.len())..]);
            w.raw(b"|");
            w.raw(&input);
        });
        let mut copied = input.get(1..).unwrap_or_default().to_vec();
        copied.push(b'|');
        copied.extend_from_slice(&input);
        assert_eq!(out, copied);
    }
}

#[test]
fn cmp_encoded_agrees_with_comparing_encodings() {
    let samples: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"a".to_vec(),
        b"a1".to_vec(),
        b"a-".to_vec(),
        b"a%".to_vec(),
        b"~".to_vec(),
        vec![0x7f],
        vec![0xff],
        b"A".to_vec(),
        b" ".to_vec(),
        b"!".to_vec(),
        b"-".to_vec(),
        b"z".to_vec(),
    ];
    for a in &samples {
        for b in &samples {
            let ea = percent_encode_octets(a);
            let eb = percent_encode_octets(b);
            assert_eq!(cmp_encoded(a, b), ea.cmp(&eb), "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn long_inputs_decode_across_words() {
    let input = b"abcdefg%41bcdefgh+ijklmnop%2B%2b1234567%E2%98%83xyz";
    let mut out = Vec::new();
    decode_into(input, Plus::Space, 0, &mut out).unwrap();
    assert_eq!(
        out,
        "abcdefgAbcdefgh ijklmnop++1234567\u{2603}xyz".as_bytes()
    );
    let mut out = b"keep".to_vec();
    assert_eq!(
        decode_into(b"abcdefghijk%4", Plus::Space, 10, &mut out),
        Err(DecodeError::BadEscape { position: 21 })
    );
    assert_eq!(out, b"keep");
}

/// `decode_into` (header values, `form_decode`, `percent_decode`) decodes with the
/// `percent-encoding` crate, which keeps a `%` that two hex digits do not follow as it is
/// and knows no `+` rule. Ours refuses such a `%` where it stands (a verifier must not sign
/// text the sender never sent, and the error says where), reads `+` per [`Plus`], and keeps
/// octets that are not UTF-8: exactly the plain reference, error positions included.
#[test]
fn decoding_is_the_reference_not_percent_encodings_leniency() {
    let malformed: [(&[u8], usize); 9] = [
        (b"%zz", 0),
        (b"%", 0),
        (b"a%2", 1),
        (b"%%41", 0),
        (b"%4g", 0),
        (b"ok%41%g1", 5),
        (b"%+1", 0),
        (b"%2+", 0),
        (b"\xff%e", 1),
    ];
    for (input, position) in malformed {
        // What the crate alone does: no error, the `%` kept as text.
        assert!(percent_encoding::percent_decode(input).any(|b| b == b'%'));
        for plus in [Plus::Space, Plus::Literal] {
            let mut out = b"kept".to_vec();
            assert_eq!(
                decode_into(input, plus, 10, &mut out),
                Err(DecodeError::BadEscape {
                    position: 10 + position
                }),
                "{input:?}"
            );
            assert_eq!(out, b"kept", "{input:?}");
        }
    }
    let long = [
        b"a+b%2Bc%2b%20+%FF%fe".repeat(5),
        b"+".repeat(3),
        Vec::new(),
    ];
    for input in samples().iter().chain(&long) {
        for (plus, is_space) in [(Plus::Space, true), (Plus::Literal, false)] {
            let mut out = b"x".to_vec();
            let got = decode_into(input, plus, 3, &mut out).map(|()| out[1..].to_vec());
            let want = reference::decode(input, is_space, 3)
                .map_err(|position| DecodeError::BadEscape { position });
            assert_eq!(got, want, "{input:?}");
        }
        let want =
            reference::form_decode(input).map_err(|position| DecodeError::BadEscape { position });
        assert_eq!(form_decode(input), want, "{input:?}");
    }
}

#[test]
fn decode_errors_point_at_the_escape() {
    assert_eq!(
        percent_decode("ab%4"),
        Err(DecodeError::BadEscape { position: 2 })
    );
    assert_eq!(
        percent_decode("%zz"),
        Err(DecodeError::BadEscape { position: 0 })
    );
    assert_eq!(
        form_decode(b"a=1&b=%x1").unwrap_err(),
        DecodeError::BadEscape { position: 6 }
    );
}

#[test]
fn octets_are_not_replaced() {
    let pairs = form_decode(b"a=%FF%FE").unwrap();
    assert_eq!(pairs[0].1, vec![0xFF, 0xFE]);
}

#[test]
fn form_plus_and_escaped_plus() {
    let pairs = form_decode(b"a=1+2&b=1%2B2&c+d=%20").unwrap();
    assert_eq!(pairs[0].1, b"1 2");
    assert_eq!(pairs[1].1, b"1+2");
    assert_eq!(pairs[2], (b"c d".to_vec(), b" ".to_vec()));
}

#[test]
fn empty_segments_and_values() {
    let pairs = form_decode(b"&a&&b=&=c&").unwrap();
    assert_eq!(
        pairs,
        vec![
            (b"a".to_vec(), b"".to_vec()),
            (b"b".to_vec(), b"".to_vec()),
            (b"".to_vec(), b"c".to_vec())
        ]
    );
}
