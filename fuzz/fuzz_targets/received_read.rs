#![no_main]
//! Fuzz target `received_read`: see `fuzz/checks.rs` for the invariants it checks.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::received_read(data));
