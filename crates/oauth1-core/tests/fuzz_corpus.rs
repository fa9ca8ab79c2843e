//! Replays every committed fuzz input through the same checks as the fuzz targets
//! (`fuzz/checks.rs`), so that plain `cargo test` on stable, without cargo-fuzz, covers what the
//! fuzzers found: `fuzz/corpus/<target>/` (hand-written `seed-*` files plus the inputs the
//! fuzzers kept) and `fuzz/regressions/<target>/` (inputs that once broke an invariant).
//! See `fuzz/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus");
const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/regressions");

/// The files of `dir`, sorted; `None` if it does not exist.
fn files(dir: &Path) -> Option<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    Some(paths)
}

fn replay(target: &str, check: fn(&[u8])) {
    let corpus_dir = Path::new(CORPUS).join(target);
    let corpus = files(&corpus_dir)
        .unwrap_or_else(|| panic!("no corpus directory {}", corpus_dir.display()));
    assert!(
        !corpus.is_empty(),
        "{} is empty: the replay must never pass on nothing",
        corpus_dir.display()
    );
    let regressions = files(&Path::new(REGRESSIONS).join(target)).unwrap_or_default();
    let failures: Vec<String> = corpus
        .iter()
        .chain(&regressions)
        .filter(|path| {
            let data = std::fs::read(path).expect("a readable corpus file");
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failures.is_empty(),
        "{target}: {} of {} inputs fail their check:\n{}",
        failures.len(),
        corpus.len() + regressions.len(),
        failures.join("\n")
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

#[test]
fn received_read() {
    replay("received_read", checks::received_read);
}

/// The hand-written seeds and regression inputs of `fuzz/checks.rs` are committed, byte for
/// byte. `OAUTH1_WRITE_FUZZ_SEEDS=1 cargo test -p oauth1-core --test fuzz_corpus` writes them.
#[test]
fn seeds_and_regressions_are_committed() {
    let write = std::env::var_os("OAUTH1_WRITE_FUZZ_SEEDS").is_some();
    let lists = [
        (CORPUS, "seed-", checks::seeds()),
        (REGRESSIONS, "", checks::regressions()),
    ];
    for (root, prefix, list) in lists {
        for (target, name, bytes) in list {
            let path = Path::new(root).join(target).join(format!("{prefix}{name}"));
            if write {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            } else {
                assert_eq!(
                    std::fs::read(&path).ok().as_deref(),
                    Some(&bytes[..]),
                    "{} is missing or stale: run with OAUTH1_WRITE_FUZZ_SEEDS=1",
                    path.display()
                );
            }
        }
    }
}
