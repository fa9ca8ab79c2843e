//! `oauth1 profiles`: list, choose or remove profiles; and what the other commands take from a
//! profile: the profiles file and the profile's [`Flow`] ([`Profile::flow`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use oauth1_core::{AnyMethod, RsaKey, RsaSha1, RsaSha256, RsaSha512};
use oauth1_flow::Flow;

use crate::failure::Failure;
use crate::profile::{default_path, Profile, ProfileError, Profiles};

/// The profiles file: `--config`, else the default one.
pub(crate) fn profiles_path(config: &Option<PathBuf>) -> Result<PathBuf, Failure> {
    match config {
        Some(p) => Ok(p.clone()),
        None => Ok(default_path()?),
    }
}

/// The signature method named `name` (any case), its RSA key read from `rsa_key_file` for the
/// RSA methods (as a file of secrets: not a link, not readable by others), as the `compat`
/// setting signs it when there is one.
pub(crate) fn method_of(
    name: &str,
    rsa_key_file: Option<&Path>,
    compat: Option<crate::case::Compat>,
) -> Result<AnyMethod, Failure> {
    let name = name.to_ascii_uppercase();
    let usage = |e: oauth1_core::Error| {
        let message = crate::case::CaseError::from(e).message;
        Failure::Usage(format!("the signature method `{name}`: {message}"))
    };
    if let Some(compat) = compat {
        return compat.method(&name).map_err(usage);
    }
    let with_key: fn(RsaKey) -> AnyMethod = match name.as_str() {
        "RSA-SHA1" => |k| AnyMethod::RsaSha1(RsaSha1::new(k)),
        "RSA-SHA256" => |k| AnyMethod::RsaSha256(RsaSha256::new(k)),
        "RSA-SHA512" => |k| AnyMethod::RsaSha512(RsaSha512::new(k)),
        _ => return AnyMethod::from_name(&name).map_err(usage),
    };
    let path = rsa_key_file.ok_or_else(|| {
        Failure::Usage(format!(
            "{name} signs with an RSA private key: give --rsa-key-file PATH (a PEM file)"
        ))
    })?;
    let pem = oauth1_flow::secret_file::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("the RSA key file: {}", oauth1_core::Chain(&e))))?;
    // The core refuses anything after the last PEM line, even a second newline.
    let key = RsaKey::from_private_pem(pem.trim()).map_err(|e| {
        Failure::Usage(format!(
            "the RSA key file {}: {e} (give a PEM RSA private key, PKCS#1 or PKCS#8)",
            path.display()
        ))
    })?;
    Ok(with_key(key))
}

impl Profile {
    /// The dance (and signed requests) with this profile's provider, client and signature
    /// method; an RSA method reads `rsa_key_file`, else the profile's key file.
    pub fn flow(
        &self,
        rsa_key_file: Option<&Path>,
    ) -> Result<Flow<crate::profile::Provider>, Failure> {
        let method = method_of(
            &self.signature_method,
            rsa_key_file.or(self.rsa_key_file.as_deref()),
            self.compat,
        )?;
        Ok(Flow::with_method(self.provider()?, self.client(), method))
    }
}

/// `oauth1 profiles ...`.
#[derive(Debug, Clone, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles (secrets hidden unless --show-secrets).
    List {
        /// Print the secrets too.
        #[arg(long)]
        show_secrets: bool,
        /// The profiles file.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Make a profile the active one.
    Use {
        /// The profile.
        #[arg(add = crate::complete::profile_names())]
        name: String,
        /// The profiles file.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Remove a profile.
    Remove {
        /// The profile.
        #[arg(add = crate::complete::profile_names())]
        name: String,
        /// The profiles file.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
}

/// Runs `oauth1 profiles ...`.
pub fn profiles(command: &ProfilesCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::Network(format!("cannot write the output: {e}"));
    match command {
        ProfilesCommand::List {
            show_secrets,
            config,
        } => {
            let path = profiles_path(config)?;
            let profiles = Profiles::load(&path)?;
            if profiles.profiles.is_empty() {
                writeln!(
                    out,
                    "No profiles in {} yet: run `oauth1 authorize`.",
                    path.display()
                )
                .map_err(io)?;
            }
            for (name, p) in &profiles.profiles {
                let active = profiles.active.as_deref() == Some(name.as_str());
                write!(out, "{}", p.describe(name, active, *show_secrets)).map_err(io)?;
            }
            Ok(())
        }
        ProfilesCommand::Use { name, config } => {
            let path = profiles_path(config)?;
            let mut profiles = Profiles::load(&path)?;
            if !profiles.profiles.contains_key(name) {
                return Err(ProfileError::Unknown(name.clone()).into());
            }
            profiles.active = Some(name.clone());
            profiles.save(&path)?;
            writeln!(out, "Active profile: {name}").map_err(io)
        }
        ProfilesCommand::Remove { name, config } => {
            let path = profiles_path(config)?;
            let mut profiles = Profiles::load(&path)?;
            if profiles.profiles.remove(name).is_none() {
                return Err(ProfileError::Unknown(name.clone()).into());
            }
            if profiles.active.as_deref() == Some(name.as_str()) {
                profiles.active = None;
            }
            profiles.save(&path)?;
            writeln!(out, "Removed profile {name}").map_err(io)
        }
    }
}
