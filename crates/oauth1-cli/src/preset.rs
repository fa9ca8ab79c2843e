//! The service presets on the command line (the `oauth1-providers` catalog): the option flags
//! that `oauth1 authorize --provider NAME` and `oauth1 sign --provider NAME` share, how a
//! profile keeps a preset and its options, and `oauth1 providers`, which lists them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use clap::Args;
use oauth1_providers::{catalog, info, Preset, PresetInfo, PresetOptions};

use crate::failure::Failure;

/// The options of a preset, one flag each (`oauth1 providers NAME` says which a preset takes).
#[derive(Debug, Clone, Default, Args)]
pub struct PresetArgs {
    /// NetSuite: the account id, as in its hosts (`1234567-sb1`) or its realm (`1234567_SB1`).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// Every host of the service at this URL: a self-hosted Jira, Magento or WooCommerce, an
    /// LTI tool's launch URL, or `oauth1 serve --as NAME`.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Flickr: `read`, `write` or `delete`.
    #[arg(long, value_name = "PERMS")]
    pub perms: Option<String>,
    /// Trello's `name`, Zotero's key name: the application's name on the authorization page.
    #[arg(long, value_name = "NAME")]
    pub app_name: Option<String>,
    /// Trello: comma-separated `read`, `write`, `account`.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
    /// Trello: `1hour`, `1day`, `30days` or `never`.
    #[arg(long, value_name = "WHEN")]
    pub expiration: Option<String>,
    /// SmugMug: `Public` or `Full`.
    #[arg(long, value_name = "ACCESS")]
    pub access: Option<String>,
    /// SmugMug: `Read`, `Add` or `Modify`.
    #[arg(long, value_name = "PERMISSIONS")]
    pub permissions: Option<String>,
    /// Discogs (required there): the application's `User-Agent`, e.g. `MyApp/1.0 +https://myapp.example`.
    #[arg(long, value_name = "AGENT")]
    pub user_agent: Option<String>,
    /// Zotero: comma-separated `library`, `notes`, `write`.
    #[arg(long, value_name = "ACCESS")]
    pub key_access: Option<String>,
    /// Zotero: `none`, `read` or `write` for all the user's groups.
    #[arg(long, value_name = "ACCESS")]
    pub all_groups: Option<String>,
}

impl PresetArgs {
    /// The options given, by their catalog names, as a profile keeps them.
    pub fn given(&self) -> BTreeMap<String, String> {
        [
            ("account", &self.account),
            ("base-url", &self.base_url),
            ("perms", &self.perms),
            ("app-name", &self.app_name),
            ("scope", &self.scope),
            ("expiration", &self.expiration),
            ("access", &self.access),
            ("permissions", &self.permissions),
            ("user-agent", &self.user_agent),
            ("key-access", &self.key_access),
            ("all-groups", &self.all_groups),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value.clone()?)))
        .collect()
    }
}

/// The preset `name` with `options` (catalog names, as [`PresetArgs::given`] and a profile's
/// `preset_options` have them) and the signature method `method` where the preset offers a
/// choice.
pub fn preset(
    name: &str,
    options: &BTreeMap<String, String>,
    method: Option<&str>,
) -> Result<Preset, Failure> {
    let mut o = PresetOptions::default();
    for (option, value) in options {
        if !o.set(option, value.as_str()) {
            return Err(Failure::Usage(format!(
                "the {name} preset's option `{option}` is not one oauth1 knows (a profile written by a newer oauth1?)"
            )));
        }
    }
    if let Some(m) = method {
        let offers_choice = info(name).is_some_and(|i| i.option("method").is_some());
        if offers_choice {
            o.set("method", m.to_ascii_uppercase());
        }
    }
    Preset::by_name(name, &o).map_err(|e| Failure::Usage(oauth1_core::Chain(&e).to_string()))
}

/// Whether `name` is a preset of the catalog.
pub fn is_preset(name: &str) -> bool {
    info(name).is_some()
}

/// The flags of `oauth1 providers`.
#[derive(Debug, Clone, Args)]
pub struct ProvidersArgs {
    /// A preset to describe in full (its flows, signature methods and options).
    pub name: Option<String>,
}

/// Runs `oauth1 providers`: the catalog, or one preset in full.
pub fn providers(args: &ProvidersArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let text = match &args.name {
        None => list(),
        Some(name) => {
            let preset = info(name).ok_or_else(|| {
                let names: Vec<&str> = catalog().iter().map(|p| p.name).collect();
                Failure::Usage(format!(
                    "no preset is named `{name}`: use one of {}",
                    names.join(", ")
                ))
            })?;
            describe(preset)
        }
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Network(format!("cannot write the output: {e}")))
}

fn list() -> String {
    let mut out = String::new();
    let flows = |p: &PresetInfo| {
        p.flows
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let width = catalog().iter().map(|p| flows(p).len()).max().unwrap_or(5);
    let _ = writeln!(
        out,
        "{:<12} {:<width$}  {:<22} about",
        "name", "flows", "signature"
    );
    for p in catalog() {
        let _ = writeln!(
            out,
            "{:<12} {:<width$}  {:<22} {}",
            p.name,
            flows(p),
            p.methods.join(", "),
            p.description
        );
    }
    out.push_str(
        "\n`oauth1 providers NAME` shows a preset's options; `oauth1 authorize --provider NAME`\n\
         and `oauth1 sign --provider NAME` use it; `oauth1 serve --as NAME` plays the service\n\
         locally. The guide to each service: docs/providers.md.\n",
    );
    out
}

fn describe(p: &PresetInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", p.name, p.service);
    let _ = writeln!(out, "  {}", p.description);
    let flows: Vec<&str> = p.flows.iter().map(|f| f.as_str()).collect();
    let _ = writeln!(out, "  flows:     {}", flows.join(", "));
    let _ = writeln!(out, "  signature: {}", p.methods.join(", "));
    if p.options.is_empty() {
        out.push_str("  options:   none\n");
    } else {
        out.push_str("  options:\n");
        for o in p.options {
            let flag = if o.name == "method" {
                "--signature-method".to_owned()
            } else {
                format!("--{}", o.name)
            };
            let required = if o.required { " (required)" } else { "" };
            let _ = writeln!(out, "    {flag}{required}: {}", o.help);
            if !o.values.is_empty() {
                let _ = writeln!(out, "      one of: {}", o.values.join(", "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_option_has_a_flag() {
        let flags = PresetArgs {
            account: Some(String::new()),
            base_url: Some(String::new()),
            perms: Some(String::new()),
            app_name: Some(String::new()),
            scope: Some(String::new()),
            expiration: Some(String::new()),
            access: Some(String::new()),
            permissions: Some(String::new()),
            user_agent: Some(String::new()),
            key_access: Some(String::new()),
            all_groups: Some(String::new()),
        }
        .given();
        for preset in catalog() {
            for option in preset.options {
                assert!(
                    option.name == "method" || flags.contains_key(option.name),
                    "{}: --{} has no flag",
                    preset.name,
                    option.name
                );
            }
        }
    }

    #[test]
    fn options_reach_the_preset_and_bad_ones_say_what_is_valid() {
        let options = BTreeMap::from([("account".to_owned(), "1234567-sb1".to_owned())]);
        let netsuite = preset("netsuite", &options, None).unwrap();
        assert_eq!(
            oauth1_flow::ServiceProvider::realm(&netsuite),
            Some("1234567_SB1")
        );
        let bad = BTreeMap::from([("perms".to_owned(), "all".to_owned())]);
        let Err(Failure::Usage(message)) = preset("flickr", &bad, None) else {
            panic!("flickr took perms=all");
        };
        assert!(
            message.contains("read") && message.contains("delete"),
            "{message}"
        );
        let Err(Failure::Usage(message)) = preset("flikr", &BTreeMap::new(), None) else {
            panic!("a preset named flikr");
        };
        assert!(message.contains("flickr"), "{message}");
    }

    #[test]
    fn the_listing_names_every_preset_and_a_description_its_options() {
        let listing = list();
        for p in catalog() {
            assert!(listing.contains(p.name), "{listing}");
        }
        let netsuite = describe(info("netsuite").unwrap());
        assert!(netsuite.contains("--account (required)"), "{netsuite}");
        assert!(netsuite.contains("HMAC-SHA256"), "{netsuite}");
    }
}
