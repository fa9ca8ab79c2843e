//! Replays every committed fuzz corpus and regression input (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same checks as the fuzz targets, so that plain
//! `cargo test` on stable covers what the fuzzers found. See `fuzz/README.md`.
#![cfg(feature = "rsa")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let dir = root.join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(
                result.is_ok(),
                "{target}: {} fails its check",
                path.display()
            );
            count += 1;
        }
    }
    assert!(
        count > 0,
        "no corpus for {target}: the replay must never pass empty"
    );
}

#[test]
fn header_parse() {
    replay("header_parse", checks::header_parse);
}

#[test]
fn form_decode() {
    replay("form_decode", checks::form_decode_check);
}

#[test]
fn url_normalize() {
    replay("url_normalize", checks::url_normalize);
}

#[test]
fn verify_request() {
    replay("verify_request", checks::verify_request);
}

#[test]
fn sign_request() {
    replay("sign_request", checks::sign_request);
}
