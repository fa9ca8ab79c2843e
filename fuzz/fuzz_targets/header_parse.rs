#![no_main]
//! Fuzz target `header_parse`: see `fuzz/checks.rs` for the invariants it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::header_parse(data));
