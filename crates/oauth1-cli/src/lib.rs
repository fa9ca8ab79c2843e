//! The `oauth1` command-line tool: authorize with any OAuth 1.0a (RFC 5849) provider, send
//! signed requests with saved profiles, run the local provider, and sign, explain and
//! batch-sign requests.
//!
//! The binary is a thin layer over these modules, which other programs (and the tests) can use
//! directly:
//! - [`authorize`]: `oauth1 authorize`, the dance (or xAuth) saved as a profile;
//! - [`browser`]: the authorization page opened in a browser, the loopback callback caught;
//! - [`profiles`]: `oauth1 profiles`, and a profile's file and flow for the other commands;
//! - [`failure`]: how those commands fail, with their exit codes;
//! - [`request`]: `oauth1 request`, with curl's flags;
//! - [`body`]: the body flags (`-d`, `--data-raw`, `--data-binary`, `--data-urlencode`, `-F`),
//!   one meaning in every subcommand;
//! - [`net`]: `--proxy`, `--timeout` and `--trace`, and the transport they make;
//! - [`trace`]: `--trace`, the exchange on stderr with its signature explained, secrets masked;
//! - [`alias`]: `oauth1 alias NAME PATH`, and `oauth1 NAME` for `oauth1 request PATH`;
//! - [`complete`]: shell completions that know the profiles;
//! - [`profile`]: the profiles file (TOML, mode 0600, backed up before each write);
//! - [`serve`]: `oauth1 serve`, the local provider in the foreground;
//! - [`preset`]: the service presets (`oauth1 providers`, `--provider NAME` and its options);
//! - [`case`]: one signing case (the `sign --batch` input object) and its signing;
//! - [`batch`]: `oauth1 sign --batch`, JSON Lines in and out, with its stable error kinds;
//! - [`explain`]: `oauth1 sign --explain`, the human-readable account of a signature;
//! - [`hint`]: what to do about a provider's refusal or a network error;
//! - [`sign`]: the flags of `oauth1 sign` and single-shot signing;
//! - [`warning`]: the warnings on stderr (a secret given as an argument, PLAINTEXT over http).
//!
//! ```
//! use oauth1_cli::batch;
//! let input = r#"{"id":1,"method":"GET","url":"https://a.example/","consumer_key":"k","consumer_secret":"s","signature_method":"HMAC-SHA1","placement":"header","nonce":"n","timestamp":"1"}"#;
//! let mut output = Vec::new();
//! batch::run(input.as_bytes(), &mut output)?;
//! assert!(output.starts_with(br#"{"id":1,"signature":""#));
//! # Ok::<(), std::io::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The crate's README, whose examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

pub mod alias;
pub mod authorize;
pub mod batch;
pub mod body;
pub mod browser;
pub mod case;
pub mod complete;
pub mod explain;
pub mod failure;
pub mod hint;
pub mod net;
pub mod preset;
pub mod profile;
pub mod profiles;
pub mod request;
pub mod serve;
pub mod sign;
pub mod trace;
pub mod warning;

/// A command-line client for OAuth 1.0a (RFC 5849) APIs.
#[derive(Debug, Parser)]
#[command(
    name = "oauth1",
    version,
    about = "oauth1: authorize with any OAuth 1.0a (RFC 5849) provider, send signed requests, explain signatures, run a local provider",
    after_help = TOP_EXAMPLES
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const TOP_EXAMPLES: &str = "\
Examples:
  # A local provider, an authorization, a signed request (see docs/cli.md)
  oauth1 serve --auto-approve &
  oauth1 authorize --local http://127.0.0.1:PORT
  oauth1 request /1.1/account/verify_credentials.json --pretty

  # The Authorization header for a request (secrets from the environment)
  export OAUTH1_CONSUMER_SECRET=... OAUTH1_TOKEN_SECRET=...
  oauth1 sign --consumer-key KEY --token TOKEN 'https://api.x.com/2/users/me'

  # Every step of the signature, to debug a 401 \"Could not authenticate you\"
  oauth1 sign --explain --consumer-key KEY --token TOKEN 'https://api.x.com/2/users/me'

  # Many requests, as JSON Lines
  oauth1 sign --batch < cases.jsonl > signatures.jsonl

Run `oauth1 sign --help` for every option and more examples.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign a request: print its Authorization header (or URL, or body), explain the signature
    /// step by step (--explain), or sign JSON Lines from stdin (--batch).
    #[command(after_help = sign::SIGN_EXAMPLES)]
    Sign(Box<sign::SignArgs>),
    /// Run the dance (or xAuth) with a provider and save the access token as a profile.
    #[command(after_help = AUTHORIZE_EXAMPLES)]
    Authorize(Box<authorize::AuthorizeArgs>),
    /// Send a signed request with a profile's access token; print the answer.
    #[command(after_help = REQUEST_EXAMPLES)]
    Request(Box<request::RequestArgs>),
    /// List, choose or remove profiles.
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// Name a path you request often: `oauth1 alias h /1.1/statuses/home_timeline.json`, then
    /// `oauth1 h` (with any flag of `oauth1 request`). Without a path, shows the alias; without
    /// a name, lists them; --remove NAME removes one.
    Alias(alias::AliasArgs),
    /// List the service presets (NetSuite, Jira, WooCommerce, Magento, Flickr, …), or show one
    /// with its options: `oauth1 providers netsuite`.
    Providers(preset::ProvidersArgs),
    /// Run the local OAuth 1.0a provider in the foreground: Twitter-shaped, or another service
    /// with `--as NAME` (netsuite, jira, woocommerce, magento, flickr, ...).
    Serve(serve::ServeArgs),
    /// Print the script that registers completions with a shell (bash, zsh, fish, elvish,
    /// powershell); they complete subcommands, flags, signature and HTTP methods, and the names
    /// of your profiles.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// An alias (`oauth1 alias`): `oauth1 NAME FLAGS...` runs `oauth1 request PATH FLAGS...`.
    #[command(external_subcommand)]
    External(Vec<String>),
}

const AUTHORIZE_EXAMPLES: &str = "\
Examples:
  # Against the local provider (start it with `oauth1 serve` in another terminal)
  oauth1 authorize --local http://127.0.0.1:PORT

  # Twitter/X, PIN flow; the PIN is read from stdin
  OAUTH1_CONSUMER_SECRET=... oauth1 authorize --provider twitter --consumer-key KEY --profile me

  # Any provider, with a loopback callback the command listens on
  oauth1 authorize --request-token-url URL --authorize-url URL --access-token-url URL \\
    --consumer-key KEY --callback http://127.0.0.1:8765/callback --open

  # xAuth, password on stdin
  echo \"$PASSWORD\" | oauth1 authorize --local http://127.0.0.1:PORT --xauth-username alice --xauth-password-stdin";

const REQUEST_EXAMPLES: &str = "\
Examples:
  oauth1 request /1.1/account/verify_credentials.json --pretty
  oauth1 request --data-urlencode status='Hello world' /1.1/statuses/update.json
  oauth1 request -d 'status=Hello%20world' /1.1/statuses/update.json   # -d: sent as given, like curl
  oauth1 request --data-json '{\"text\":\"hello\"}' /2/tweets
  oauth1 request --stream /1.1/statuses/stream.json
  oauth1 request --stream --reconnect /1.1/statuses/stream.json   # stays up, X's backoff
  oauth1 request -i -X GET 'https://api.example.com/resource?a=1'
  oauth1 request -F status='a picture' -F media=@cat.png /1.1/statuses/update_with_media.json
  oauth1 request --data-binary @body.xml -H 'Content-Type: application/xml' /api/items
  oauth1 request -t /1.1/account/verify_credentials.json     # the exchange, explained, on stderr
  oauth1 request --proxy http://127.0.0.1:3128 --timeout 10 /1.1/account/verify_credentials.json

  # Reproduce a signature (compare with `oauth1 sign --explain --profile NAME`)
  oauth1 request --nonce abc --timestamp 1700000000 /1.1/account/verify_credentials.json";

/// Prints a failure of `authorize`, `request` or `profiles` and returns its exit status.
fn failed(result: Result<(), failure::Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "oauth1: {}", failure.message());
            ExitCode::from(failure.code())
        }
    }
}

impl Cli {
    /// Parses the process's arguments as [`Parser::parse`] does (a usage error prints clap's
    /// message and exits), and warns on stderr about each secret given as an argument.
    pub fn parse_and_warn() -> Self {
        let matches = Cli::command().get_matches();
        for message in warning::secret_arguments(&matches) {
            warning::warn(&message);
        }
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut Cli::command()).exit())
    }

    /// Runs the command, writing to stdout and stderr; returns the exit status.
    pub fn run(&self) -> ExitCode {
        match &self.command {
            Command::Authorize(args) => failed(authorize::authorize(args)),
            Command::Request(args) => failed(request::request(args, &mut std::io::stdout().lock())),
            Command::Alias(args) => failed(alias::run(args, &mut std::io::stdout().lock())),
            Command::Providers(args) => {
                failed(preset::providers(args, &mut std::io::stdout().lock()))
            }
            Command::External(words) => run_alias(words),
            Command::Profiles(command) => {
                failed(profiles::profiles(command, &mut std::io::stdout().lock()))
            }
            Command::Serve(args) => match serve::run(args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("oauth1: {e}");
                    ExitCode::from(3)
                }
            },
            Command::Completions { shell } => {
                match complete::registration(*shell, &mut std::io::stdout().lock()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("oauth1: {e}");
                        ExitCode::from(1)
                    }
                }
            }
            Command::Sign(args) => {
                let stdout = std::io::stdout();
                match sign::run(args, &mut stdout.lock()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(sign::Failure::Usage(message)) => usage_error("sign", &message),
                    Err(sign::Failure::Sign(e)) => {
                        eprintln!("oauth1: {e}");
                        ExitCode::from(1)
                    }
                    // The reader went away (`oauth1 sign --batch | head`): nothing to say.
                    Err(sign::Failure::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        ExitCode::SUCCESS
                    }
                    Err(sign::Failure::Io(e)) => {
                        let _ = writeln!(std::io::stderr(), "oauth1: {e}");
                        ExitCode::from(1)
                    }
                }
            }
        }
    }
}

/// Runs `oauth1 NAME REST...` as the `oauth1 request PATH REST...` the alias stands for.
fn run_alias(words: &[String]) -> ExitCode {
    let expanded = match alias::expand(words) {
        Ok(expanded) => expanded,
        Err(failure) => return failed(Err(failure)),
    };
    match Cli::command().try_get_matches_from(&expanded) {
        Ok(matches) => {
            for message in warning::secret_arguments(&matches) {
                warning::warn(&message);
            }
            match Cli::from_arg_matches(&matches) {
                Ok(cli) => cli.run(),
                Err(e) => clap_exit(&e),
            }
        }
        Err(e) => clap_exit(&e),
    }
}

/// Prints a clap error (or help) and returns its status.
fn clap_exit(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}

/// Prints a usage error for `subcommand` the way clap prints its own, and returns its status.
fn usage_error(subcommand: &str, message: &str) -> ExitCode {
    let mut command = Cli::command();
    command.build();
    let mut command = command
        .find_subcommand(subcommand)
        .cloned()
        .unwrap_or(command);
    let error = command.error(clap::error::ErrorKind::MissingRequiredArgument, message);
    let _ = error.print();
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}
