//! `oauth1`: sign, explain and batch-sign OAuth 1.0a requests. Run `oauth1 --help`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    oauth1_cli::Cli::parse_and_warn().run()
}
