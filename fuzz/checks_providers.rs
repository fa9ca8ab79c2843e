//! The invariants of the fuzz target `preset_input` (the service presets of `oauth1-providers`),
//! shared by the target (`fuzz_targets/preset_input.rs`) and by the corpus replay test
//! (`crates/oauth1-providers/tests/fuzz_corpus.rs`). Kept apart from `checks.rs`, whose replay
//! runs in `oauth1-core`, which cannot depend on the presets.
//!
//! One input is read three ways, as the presets meet outside bytes: Magento's activation form
//! (what a store posts to the integration), each preset's error body (what the service answers),
//! and each preset's `check` of a request whose `Authorization` header and form body are the
//! input (`oauth1 sign --explain --provider`). None may panic; an activation that parses has
//! every field; a parsed error stays small whatever the body's size.

#![allow(dead_code)]

use oauth1_flow::ServiceProvider;
use oauth1_providers::magento::Activation;
use oauth1_providers::{catalog, Preset, PresetOptions};

/// The most a parsed error may print: a message, a code and a snippet, never the whole body.
const MAX_ERROR_TEXT: usize = 4096;

/// Every preset of the catalog, built with its required options.
fn presets() -> Vec<Preset> {
    catalog()
        .iter()
        .map(|info| {
            let mut options = PresetOptions::default();
            for option in info.options.iter().filter(|o| o.required) {
                let value = match option.name {
                    "account" => "1234567_SB1",
                    "base-url" => "https://service.example",
                    "user-agent" => "fuzz/1.0",
                    _ => option.values.first().copied().unwrap_or("x"),
                };
                assert!(options.set(option.name, value), "{}", option.name);
            }
            Preset::by_name(info.name, &options).unwrap_or_else(|e| {
                panic!("the {} preset cannot be built for fuzzing: {e}", info.name)
            })
        })
        .collect()
}

pub fn preset_input(data: &[u8]) {
    if let Ok(activation) = Activation::parse(data) {
        assert!(!activation.consumer_key().is_empty());
        assert!(!activation.consumer_secret().secret().is_empty());
        let store = activation.store_base_url();
        assert!(
            store.starts_with("http://") || store.starts_with("https://"),
            "{store}"
        );
    }
    let text = String::from_utf8_lossy(data);
    for preset in presets() {
        for status in [400u16, 401, 403, 500] {
            let status = http::StatusCode::from_u16(status).unwrap_or_default();
            let error = preset.parse_error(status, &http::HeaderMap::new(), data);
            let shown = error.to_string();
            assert!(
                shown.len() <= MAX_ERROR_TEXT,
                "{}: a {}-byte body gives a {}-byte error",
                preset.name(),
                data.len(),
                shown.len()
            );
        }
        let url = preset.endpoints().access_token.url.clone();
        let mut request = http::Request::post(url.as_str())
            .header("content-type", "application/x-www-form-urlencoded");
        if let Ok(value) = http::HeaderValue::from_bytes(data) {
            request = request.header("authorization", value);
        }
        if let Ok(request) = request.body(data.to_vec()) {
            for finding in preset.check(&request) {
                let _ = finding.to_string();
            }
        }
        // The same bytes as the query of a GET (Flickr and WooCommerce read parameters there).
        let query = format!("{url}?{}", text.replace(['#', ' '], ""));
        if let Ok(request) = http::Request::get(query.as_str()).body(Vec::<u8>::new()) {
            let _ = preset.check(&request);
        }
    }
}
