//! `oauth1`: sign, explain and batch-sign OAuth 1.0a requests. Run `oauth1 --help`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    // A shell asking for completions (`COMPLETE=bash oauth1 ...`) is answered, and nothing else.
    oauth1_cli::complete::answer_the_shell();
    oauth1_cli::Cli::parse_and_warn().run()
}
