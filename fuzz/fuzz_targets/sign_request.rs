#![no_main]
//! Fuzz target `sign_request`: see `fuzz/checks.rs` for the invariants it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::sign_request(data));
