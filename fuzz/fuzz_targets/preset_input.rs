#![no_main]
//! Fuzz target `preset_input`: see `fuzz/checks_providers.rs` for what it checks.

#[path = "../checks_providers.rs"]
mod checks_providers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks_providers::preset_input(data));
