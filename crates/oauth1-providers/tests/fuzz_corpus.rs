//! Replays every committed input of the fuzz target `preset_input` through the same checks
//! (`fuzz/checks_providers.rs`), so that plain `cargo test` on stable covers what the fuzzer
//! found: `fuzz/corpus/preset_input/` (hand-written `seed-*` files and the inputs the fuzzer
//! kept) and `fuzz/regressions/preset_input/`. Reads `fuzz/`, so it runs in the workspace and is
//! left out of the package.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../../fuzz/checks_providers.rs"]
mod checks_providers;

use std::path::{Path, PathBuf};

const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz");

/// The files of `dir`, sorted (none if it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

#[test]
fn preset_input() {
    let corpus = files(&Path::new(FUZZ).join("corpus/preset_input"));
    assert!(
        corpus.len() >= 7,
        "the preset_input corpus is missing: the replay must never pass on nothing"
    );
    let regressions = files(&Path::new(FUZZ).join("regressions/preset_input"));
    let failures: Vec<String> = corpus
        .iter()
        .chain(&regressions)
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            std::panic::catch_unwind(|| checks_providers::preset_input(&data)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failures.is_empty(), "inputs that fail: {failures:#?}");
}
