//! `oauth1`: sign, explain and batch-sign OAuth 1.0a requests. Run `oauth1 --help`.
#![forbid(unsafe_code)]

use clap::Parser as _;

fn main() -> std::process::ExitCode {
    oauth1_cli::Cli::parse().run()
}
