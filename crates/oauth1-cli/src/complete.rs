//! Shell completions that know this machine's profiles: clap_complete's dynamic engine. The
//! shell asks the binary itself (`COMPLETE=bash oauth1 -- oauth1 request --profile …`), so the
//! profile names are read when completing, never baked into a script; the methods come from
//! the flags' possible values.
//!
//! `oauth1 completions SHELL` prints the script that registers `oauth1` with the shell (the
//! same script `COMPLETE=SHELL oauth1` prints).

use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::Shells;

use crate::profile::{default_path, Profiles};

/// The environment variable through which the shell asks for completions.
pub const COMPLETE_ENV: &str = "COMPLETE";

/// The names of the profiles in the default profiles file (none when it cannot be read).
fn names() -> Vec<String> {
    default_path()
        .ok()
        .and_then(|path| Profiles::load(&path).ok())
        .map(|profiles| profiles.profiles.keys().cloned().collect())
        .unwrap_or_default()
}

/// Completes an alias's name (with what it stands for).
pub fn alias_names() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        default_path()
            .ok()
            .and_then(|path| Profiles::load(&path).ok())
            .map(|profiles| {
                profiles
                    .aliases
                    .iter()
                    .map(|(name, target)| {
                        CompletionCandidate::new(name).help(Some(target.clone().into()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Completes a profile name.
pub fn profile_names() -> ArgValueCandidates {
    ArgValueCandidates::new(|| names().into_iter().map(CompletionCandidate::new).collect())
}

/// Completes `--provider`: a preset of the catalog (`oauth1 providers`), or a profile's name.
pub fn providers() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        oauth1_providers::catalog()
            .iter()
            .map(|p| CompletionCandidate::new(p.name).help(Some(p.service.into())))
            .chain(names().into_iter().map(CompletionCandidate::new))
            .collect()
    })
}

/// Completes an HTTP method (any other token is accepted too).
pub fn http_methods() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        crate::request::HTTP_METHODS
            .iter()
            .map(|m| CompletionCandidate::new(*m))
            .collect()
    })
}

/// Answers the shell when it asks for completions (and exits); returns otherwise.
pub fn answer_the_shell() {
    clap_complete::CompleteEnv::with_factory(<crate::Cli as clap::CommandFactory>::command)
        .var(COMPLETE_ENV)
        .complete();
}

/// Writes the registration script of `shell` to `out`.
pub fn registration(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer = shells.completer(&name).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!("no completions for {name}"),
        )
    })?;
    completer.write_registration(COMPLETE_ENV, "oauth1", "oauth1", "oauth1", out)
}
