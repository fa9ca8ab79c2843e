//! Warnings on stderr, each printed at most once a run: a secret given as a command-line
//! argument (every user of the machine can read it in `ps`, and the shell's history keeps it),
//! and PLAINTEXT signatures sent over `http://` (the secrets travel as they are, unencrypted).
//!
//! The warnings do not stop anything: the command does what it was asked.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::sync::Mutex;

use clap::parser::ValueSource;
use clap::ArgMatches;

/// A flag whose value is (or may hold) a secret.
struct SecretFlag {
    /// The subcommand it belongs to.
    subcommand: &'static str,
    /// Its clap id.
    id: &'static str,
    /// What the user typed.
    flag: &'static str,
    /// Whether this value holds a secret.
    secret: fn(&str) -> bool,
    /// What the user can do instead.
    instead: &'static str,
}

fn always(_: &str) -> bool {
    true
}

/// Whether a URL has a user or a password (`scheme://user:password@host/…`).
fn has_credentials(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.contains('@')
}

/// Every flag of the CLI that takes a secret (a test checks that no other flag is named like
/// one).
const SECRET_FLAGS: [SecretFlag; 7] = [
    SecretFlag {
        subcommand: "sign",
        id: "consumer_secret",
        flag: "--consumer-secret",
        secret: always,
        instead: "set OAUTH1_CONSUMER_SECRET instead, or name another variable with \
                  --consumer-secret-env VAR",
    },
    SecretFlag {
        subcommand: "sign",
        id: "token_secret",
        flag: "--token-secret",
        secret: always,
        instead: "set OAUTH1_TOKEN_SECRET instead, or name another variable with \
                  --token-secret-env VAR",
    },
    SecretFlag {
        subcommand: "authorize",
        id: "consumer_secret",
        flag: "--consumer-secret",
        secret: always,
        instead: "set OAUTH1_CONSUMER_SECRET instead (the profile keeps the secret after that)",
    },
    SecretFlag {
        subcommand: "serve",
        id: "redis",
        flag: "--redis",
        secret: has_credentials,
        instead: "set OAUTH1_REDIS_URL instead",
    },
    SecretFlag {
        subcommand: "request",
        id: "proxy",
        flag: "--proxy",
        secret: has_credentials,
        instead: "set HTTPS_PROXY (or HTTP_PROXY, ALL_PROXY) instead",
    },
    SecretFlag {
        subcommand: "authorize",
        id: "proxy",
        flag: "--proxy",
        secret: has_credentials,
        instead: "set HTTPS_PROXY (or HTTP_PROXY, ALL_PROXY) instead",
    },
    SecretFlag {
        subcommand: "authorize",
        id: "token_secret",
        flag: "--token-secret",
        secret: always,
        instead: "set OAUTH1_TOKEN_SECRET instead (the profile keeps the secret after that)",
    },
];

/// What was said already this run.
static SAID: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Prints `oauth1: warning: {message}` on stderr, unless it was printed already this run.
pub fn warn(message: &str) {
    let first = SAID
        .lock()
        .map_or(true, |mut said| said.insert(message.to_owned()));
    if first {
        let _ = writeln!(std::io::stderr(), "oauth1: warning: {message}");
    }
}

/// The warnings for the secrets that `matches` (the whole command line) took from arguments,
/// in order; a secret from the environment gives none.
pub fn secret_arguments(matches: &ArgMatches) -> Vec<String> {
    let Some((name, sub)) = matches.subcommand() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for flag in SECRET_FLAGS.iter().filter(|f| f.subcommand == name) {
        // `value_source` wants an id the subcommand has (it panics otherwise in debug builds).
        if !sub.ids().any(|id| id.as_str() == flag.id) {
            continue;
        }
        if sub.value_source(flag.id) != Some(ValueSource::CommandLine) {
            continue;
        }
        let value = sub
            .try_get_one::<String>(flag.id)
            .ok()
            .flatten()
            .map_or("", String::as_str);
        if (flag.secret)(value) {
            let what = if flag.id == "redis" || flag.id == "proxy" {
                "a URL with a password"
            } else {
                "a secret"
            };
            found.push(format!(
                "{} puts {what} on the command line, where other users can read it (`ps`) \
                 and the shell history keeps it; {}",
                flag.flag, flag.instead
            ));
        }
    }
    found
}

/// Warns about PLAINTEXT signatures for `http://` URLs (once a run): the consumer secret and
/// the token secret go over the network as they are, unencrypted.
pub fn plaintext_over_http(signature_method: &str, url: &str) {
    let http = url
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
    if http && signature_method.eq_ignore_ascii_case("PLAINTEXT") {
        warn(
            "PLAINTEXT sends the consumer secret and the token secret as they are, and http:// \
             does not encrypt them: anyone on the way can read them and sign as you; use an \
             https:// URL, or an HMAC signature method",
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use clap::CommandFactory as _;

    /// Flags named like a secret that take none.
    const NOT_SECRETS: [&str; 4] = [
        "consumer_secret_env",
        "token_secret_env",
        "show_secrets",
        "xauth_password_stdin",
    ];

    #[test]
    fn every_flag_named_like_a_secret_is_known() {
        let command = crate::Cli::command();
        let mut named = Vec::new();
        let mut stack = vec![(String::new(), &command)];
        while let Some((name, command)) = stack.pop() {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                let secret_like = ["secret", "password", "redis", "token_secret", "key"]
                    .iter()
                    .any(|word| id.contains(word));
                if secret_like && !NOT_SECRETS.contains(&id) {
                    named.push((name.clone(), id.to_owned()));
                }
            }
            for sub in command.get_subcommands() {
                stack.push((sub.get_name().to_owned(), sub));
            }
        }
        for (sub, id) in named {
            let known = SECRET_FLAGS
                .iter()
                .any(|f| f.subcommand == sub && f.id == id);
            // Keys and key files are not secrets (the RSA key file is read as a file of
            // secrets, with its permissions checked); the CA and an RSA public key are public;
            // Zotero's `key_access` is the permissions a new API key asks for.
            let public = [
                "consumer_key",
                "rsa_key_file",
                "rsa_public_key",
                "redis_ca",
                "key_access",
            ]
            .contains(&id.as_str());
            assert!(
                known || public,
                "`{sub} --{id}` looks like a secret: add it to SECRET_FLAGS"
            );
        }
    }

    fn said(args: &[&str]) -> Vec<String> {
        let matches = crate::Cli::command().try_get_matches_from(args).unwrap();
        secret_arguments(&matches)
    }

    #[test]
    fn secrets_from_arguments_only() {
        let sign = [
            "oauth1",
            "sign",
            "--consumer-key",
            "k",
            "https://a.example/",
        ];
        let with = |more: &[&'static str]| {
            let mut args = sign.to_vec();
            args.extend(more);
            said(&args)
        };
        assert!(with(&[]).is_empty());
        let one = with(&["--consumer-secret", "s"]);
        assert_eq!(one.len(), 1);
        assert!(one[0].starts_with("--consumer-secret puts a secret"));
        assert!(one[0].contains("OAUTH1_CONSUMER_SECRET"));
        assert!(!one[0].contains(" s "));
        assert_eq!(
            with(&["--consumer-secret=s", "--token", "t", "--token-secret", "u"]).len(),
            2
        );
        assert!(with(&["--consumer-secret-env", "X", "--token", "t"]).is_empty());
        assert!(said(&["oauth1", "serve", "--redis", "redis://127.0.0.1:1/"]).is_empty());
        let redis = said(&["oauth1", "serve", "--redis", "redis://:pw@127.0.0.1:1/"]);
        assert_eq!(redis.len(), 1);
        assert!(redis[0].contains("OAUTH1_REDIS_URL") && !redis[0].contains("pw@"));
    }

    #[test]
    fn the_advice_names_the_variables_the_commands_read() {
        use crate::serve::REDIS_URL_ENV;
        use crate::sign::{CONSUMER_SECRET_ENV, TOKEN_SECRET_ENV};
        for (flag, var) in [
            (&SECRET_FLAGS[0], CONSUMER_SECRET_ENV),
            (&SECRET_FLAGS[1], TOKEN_SECRET_ENV),
            (&SECRET_FLAGS[2], CONSUMER_SECRET_ENV),
            (&SECRET_FLAGS[3], REDIS_URL_ENV),
            (&SECRET_FLAGS[SECRET_FLAGS.len() - 1], TOKEN_SECRET_ENV),
        ] {
            assert!(flag.instead.contains(var), "{}", flag.instead);
        }
    }

    #[test]
    fn debug_of_the_parsed_command_line_holds_no_secret() {
        use clap::Parser as _;
        for args in [
            &[
                "oauth1",
                "sign",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "SECRET-1",
                "--token",
                "t",
                "--token-secret",
                "SECRET-2",
                "https://a.example/",
            ][..],
            &[
                "oauth1",
                "authorize",
                "--local",
                "http://127.0.0.1:1",
                "--consumer-secret",
                "SECRET-1",
                "--proxy",
                "http://u:SECRET-2@127.0.0.1:3",
            ][..],
            &[
                "oauth1",
                "request",
                "--proxy",
                "http://u:SECRET-1@127.0.0.1:3",
                "/x",
            ][..],
            &[
                "oauth1",
                "serve",
                "--redis",
                "redis://:SECRET-1@127.0.0.1:1/",
            ][..],
        ] {
            let cli = crate::Cli::try_parse_from(args).unwrap();
            let debug = format!("{cli:?}");
            assert!(!debug.contains("SECRET"), "{debug}");
        }
    }

    #[test]
    fn credentials_in_a_url() {
        assert!(has_credentials("redis://:pw@h:1/0"));
        assert!(has_credentials("rediss://user:pw@h/"));
        assert!(!has_credentials("redis://h:1/0"));
        assert!(!has_credentials("redis://h/0?x=a@b"));
    }
}
