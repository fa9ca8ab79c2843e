#![no_main]
//! Fuzz target `form_decode`: see `fuzz/checks.rs` for the invariants it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::form_decode_check(data));
