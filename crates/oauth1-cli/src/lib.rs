//! The `oauth1` command-line tool: sign, explain and batch-sign OAuth 1.0a (RFC 5849) requests.
//!
//! The binary is a thin layer over these modules, which other programs (and the tests) can use
//! directly:
//! - [`case`]: one signing case (the `sign --batch` input object) and its signing;
//! - [`batch`]: `oauth1 sign --batch`, JSON Lines in and out, with its stable error kinds;
//! - [`explain`]: `oauth1 sign --explain`, the human-readable account of a signature;
//! - [`sign`]: the flags of `oauth1 sign` and single-shot signing.
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

use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand};

pub mod batch;
pub mod case;
pub mod explain;
pub mod sign;

/// A command-line client for OAuth 1.0a (RFC 5849) APIs.
#[derive(Debug, Parser)]
#[command(
    name = "oauth1",
    version,
    about = "oauth1: sign OAuth 1.0a (RFC 5849) requests, explain their signatures, sign batches",
    after_help = TOP_EXAMPLES
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const TOP_EXAMPLES: &str = "\
Examples:
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
}

impl Cli {
    /// Runs the command, writing to stdout and stderr; returns the exit status.
    pub fn run(&self) -> ExitCode {
        match &self.command {
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
