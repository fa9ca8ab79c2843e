#![no_main]
//! Fuzz target `url_normalize`: see `fuzz/checks.rs` for the invariants it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::url_normalize(data));
