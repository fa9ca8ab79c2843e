//! Profiles: providers, client credentials and access tokens, kept in a TOML file in the
//! user's config directory (or `$OAUTH1_CONFIG`), read and written through
//! [`oauth1_flow::secret_file`]: written with mode 0600 (the directory 0700 when it is created)
//! through a new temporary file, and refused on load when it is a link, belongs to another user
//! or other users may read it (the error says `chmod 600 PATH`).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use oauth1_core::ClientCredentials;
use oauth1_flow::secret_file::{self, SecretFileError};
use oauth1_flow::{AccessToken, GenericProvider, ServiceProvider};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// The environment variable that names the profiles file.
pub const CONFIG_ENV: &str = "OAUTH1_CONFIG";

/// One provider, client and (once authorized) access token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Where relative request URLs resolve (e.g. `https://api.x.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    /// Temporary-credentials endpoint.
    pub request_token_url: String,
    /// Authorization page.
    pub authorize_url: String,
    /// Token-credentials endpoint.
    pub access_token_url: String,
    /// `HMAC-SHA1` unless said otherwise.
    #[serde(default = "hmac_sha1")]
    pub signature_method: String,
    /// The consumer key.
    pub consumer_key: String,
    /// The consumer secret.
    pub consumer_secret: String,
    /// The access token, once authorized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Its secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_secret: Option<String>,
    /// Who authorized it, when the provider said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_name: Option<String>,
    /// The PEM private key of an RSA signature method (the file, not the key: it is read,
    /// under the rules of a file of secrets, each time it is needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rsa_key_file: Option<PathBuf>,
    /// The service preset the profile was made with (`oauth1 providers`), whose rules its
    /// requests follow: realm, placement, headers, error bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The preset's options, by name (`account = "1234567-sb1"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub preset_options: BTreeMap<String, String>,
    /// A compatibility setting its requests are signed with (`compat = "pecl-oauth-provider"`,
    /// `oauth1 authorize --compat`); none: RFC 5849.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compat: Option<crate::case::Compat>,
}

/// A provider chosen at run time: a profile's preset, or its plain endpoints.
pub type Provider = std::sync::Arc<dyn ServiceProvider + Send + Sync>;

fn hmac_sha1() -> String {
    "HMAC-SHA1".to_owned()
}

/// The secrets are wiped from memory when a profile goes away.
impl Drop for Profile {
    fn drop(&mut self) {
        self.consumer_secret.zeroize();
        if let Some(secret) = self.token_secret.as_mut() {
            secret.zeroize();
        }
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("api_base", &self.api_base)
            .field("request_token_url", &self.request_token_url)
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("screen_name", &self.screen_name)
            .field("rsa_key_file", &self.rsa_key_file)
            .field("preset", &self.preset)
            .field("preset_options", &self.preset_options)
            .field("compat", &self.compat)
            .finish_non_exhaustive()
    }
}

impl Profile {
    /// The provider: the profile's preset with its options, else a description of its
    /// endpoints (xAuth allowed: the provider decides).
    pub fn provider(&self) -> Result<Provider, crate::failure::Failure> {
        if let Some(name) = &self.preset {
            let preset =
                crate::preset::preset(name, &self.preset_options, Some(&self.signature_method))?;
            return Ok(std::sync::Arc::new(preset));
        }
        let generic = GenericProvider::builder(
            self.request_token_url.clone(),
            self.authorize_url.clone(),
            self.access_token_url.clone(),
        )
        .signature_method(self.signature_method.clone())
        .xauth(true)
        .build()?;
        Ok(std::sync::Arc::new(generic))
    }

    /// The client credentials.
    pub fn client(&self) -> ClientCredentials {
        ClientCredentials::new(self.consumer_key.clone(), self.consumer_secret.as_str())
    }

    /// Whether the profile's preset signs with the consumer alone (WooCommerce, an LTI
    /// launch): its requests need no access token.
    pub fn one_legged(&self) -> bool {
        self.preset
            .as_deref()
            .and_then(oauth1_providers::info)
            .is_some_and(|p| {
                p.flows.iter().all(|f| {
                    matches!(
                        f,
                        oauth1_providers::FlowShape::OneLegged
                            | oauth1_providers::FlowShape::Launch
                    )
                })
            })
    }

    /// The access token, if the profile has one.
    pub fn access_token(&self) -> Option<AccessToken> {
        Some(AccessToken::new(
            self.token.clone()?,
            self.token_secret.clone()?.as_str(),
        ))
    }

    /// The profile for display: secrets masked unless `show_secrets`.
    pub fn describe(&self, name: &str, active: bool, show_secrets: bool) -> String {
        let secret = |s: &str| {
            if show_secrets {
                s.to_owned()
            } else {
                "[hidden: --show-secrets]".to_owned()
            }
        };
        let mut out = format!("{}{name}\n", if active { "* " } else { "  " });
        if let Some(base) = &self.api_base {
            out.push_str(&format!("    api base:      {base}\n"));
        }
        if let Some(preset) = &self.preset {
            let options: Vec<String> = self
                .preset_options
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" ({})", options.join(", "))
            };
            out.push_str(&format!("    preset:        {preset}{options}\n"));
        }
        if let Some(crate::case::Compat::PeclOAuthProvider) = self.compat {
            out.push_str(&format!(
                "    compat:        {} (the secrets keyed as PHP's OAuthProvider keys them, not as RFC 5849 says)\n",
                oauth1_core::compat::PeclOAuthProvider::SETTING
            ));
        }
        out.push_str(&format!("    request token: {}\n", self.request_token_url));
        out.push_str(&format!("    consumer key:  {}\n", self.consumer_key));
        out.push_str(&format!(
            "    consumer secret: {}\n",
            secret(&self.consumer_secret)
        ));
        match (&self.token, &self.token_secret) {
            (Some(t), Some(s)) => {
                out.push_str(&format!("    token:         {t}\n"));
                out.push_str(&format!("    token secret:  {}\n", secret(s)));
            }
            _ if self.one_legged() => {
                out.push_str("    token:         none (one-legged: the consumer signs alone)\n")
            }
            _ => out.push_str("    token:         (not authorized yet: run `oauth1 authorize`)\n"),
        }
        if let Some(name) = &self.screen_name {
            out.push_str(&format!("    user:          @{name}\n"));
        }
        out
    }
}

/// The profiles file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The profile `oauth1 request` uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    /// Aliases (`oauth1 alias NAME PATH`): `oauth1 NAME` runs `oauth1 request PATH`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, String>,
    /// By name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// A profiles file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file (or its backup) cannot be read or written, or is not safe to read: a link,
    /// another user's, or readable by others (the message says what to do).
    #[error(transparent)]
    File(#[from] SecretFileError),
    /// The file is not valid profiles TOML.
    #[error("{path}: {message}\n(fix the file by hand, or move it away to start over; it is never overwritten without a backup)")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line and column.
        message: String,
    },
    /// No such profile.
    #[error("no profile named `{0}` (see `oauth1 profiles list`)")]
    Unknown(String),
    /// No profile is active.
    #[error("no active profile: run `oauth1 authorize` first, or `oauth1 profiles use NAME`")]
    NoneActive,
    /// No config directory could be found.
    #[error("no config directory: set HOME, or {CONFIG_ENV} to the profiles file")]
    NoConfigDir,
}

/// Where the profiles live: `$OAUTH1_CONFIG`, else `oauth1/profiles.toml` in the user's
/// config directory ([`dirs::config_dir`]: `$XDG_CONFIG_HOME` or `~/.config` on Linux,
/// `~/Library/Application Support` on macOS, the roaming AppData folder on Windows).
///
/// Earlier versions used `$XDG_CONFIG_HOME/oauth1` or `~/.config/oauth1` on every OS: where that
/// differs from the config directory (macOS), a profiles file there is still used as long as
/// there is none in the config directory, so that existing profiles keep working.
pub fn default_path() -> Result<PathBuf, ProfileError> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let native = dirs::config_dir()
        .ok_or(ProfileError::NoConfigDir)?
        .join("oauth1")
        .join("profiles.toml");
    Ok(choose_path(native, legacy_path()))
}

/// Where earlier versions kept the profiles: `$XDG_CONFIG_HOME/oauth1/profiles.toml`, else
/// `~/.config/oauth1/profiles.toml`.
pub fn legacy_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")))?;
    Some(base.join("oauth1").join("profiles.toml"))
}

/// `native`, unless it does not exist and `legacy` does (a link counts as existing: reading it
/// is refused with the reason, which is better than silently starting anew).
pub fn choose_path(native: PathBuf, legacy: Option<PathBuf>) -> PathBuf {
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    match legacy {
        Some(legacy) if legacy != native && !exists(&native) && exists(&legacy) => legacy,
        _ => native,
    }
}

/// Where and why `text` is not a profiles file, without quoting the offending line: it may
/// hold a secret (toml's own message shows it).
fn parse_message(text: &str, error: &toml::de::Error) -> String {
    let Some(span) = error.span() else {
        return error.message().to_owned();
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {}", error.message())
}

impl Profiles {
    /// Reads `path` (an absent file is an empty set of profiles).
    pub fn load(path: &Path) -> Result<Self, ProfileError> {
        let text = match secret_file::read_to_string(path) {
            Ok(text) => text,
            Err(SecretFileError::NotFound { .. }) => return Ok(Profiles::default()),
            Err(e) => return Err(e.into()),
        };
        toml::from_str(&text).map_err(|e| ProfileError::Parse {
            path: path.to_owned(),
            message: parse_message(&text, &e),
        })
    }

    /// Writes to `path` (mode 0600), keeping the previous file as `path.bak` (mode 0600 too).
    pub fn save(&self, path: &Path) -> Result<(), ProfileError> {
        let text = toml::to_string_pretty(self)
            .map(Zeroizing::new)
            .map_err(|e| ProfileError::Parse {
                path: path.to_owned(),
                message: e.to_string(),
            })?;
        match secret_file::read(path) {
            Ok(previous) => {
                let mut backup = path.as_os_str().to_owned();
                backup.push(".bak");
                secret_file::write(Path::new(&backup), &previous)?;
            }
            Err(SecretFileError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        Ok(secret_file::write(path, text.as_bytes())?)
    }

    /// The active profile.
    pub fn active(&self) -> Result<(&str, &Profile), ProfileError> {
        let name = self.active.as_deref().ok_or(ProfileError::NoneActive)?;
        let profile = self
            .profiles
            .get(name)
            .ok_or_else(|| ProfileError::Unknown(name.to_owned()))?;
        Ok((name, profile))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_location_is_read_while_the_new_one_has_no_file() {
        let dir = std::env::temp_dir().join(format!("oauth1-choose-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("new")).unwrap();
        std::fs::create_dir_all(dir.join("old")).unwrap();
        let native = dir.join("new/profiles.toml");
        let legacy = dir.join("old/profiles.toml");
        // Neither: the new location (where the first profile will be written).
        assert_eq!(choose_path(native.clone(), Some(legacy.clone())), native);
        assert_eq!(choose_path(native.clone(), None), native);
        // Only the old one: keep using it.
        std::fs::write(&legacy, "").unwrap();
        assert_eq!(choose_path(native.clone(), Some(legacy.clone())), legacy);
        // Both: the new one.
        std::fs::write(&native, "").unwrap();
        assert_eq!(choose_path(native.clone(), Some(legacy.clone())), native);
        // The same path (Linux): no question.
        assert_eq!(choose_path(legacy.clone(), Some(legacy.clone())), legacy);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
