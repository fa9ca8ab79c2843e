//! `oauth1`: sign, explain and batch-sign OAuth 1.0a requests. Run `oauth1 --help`.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use oauth1_cli::case::{self, Case, CaseError, Placement};
use oauth1_cli::explain::{self, Mask};
use oauth1_core::Scratch;

/// A command-line client for OAuth 1.0a (RFC 5849) APIs.
#[derive(Parser)]
#[command(name = "oauth1", version, about, long_about = None, after_help = "Run `oauth1 sign --help` for examples.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a request: print its Authorization header (or URL, or body), explain it, or sign a
    /// batch of JSON Lines.
    #[command(after_help = SIGN_EXAMPLES)]
    Sign(Box<SignArgs>),
}

const SIGN_EXAMPLES: &str = "\
Examples:
  # The Authorization header for a GET with token credentials (secrets from the environment)
  OAUTH1_CONSUMER_SECRET=... OAUTH1_TOKEN_SECRET=... \\
    oauth1 sign --consumer-key KEY --token TOKEN 'https://api.x.com/1.1/account/verify_credentials.json'

  # Why does the provider say \"Could not authenticate you\"? Explain every step:
  oauth1 sign --explain -X POST -d 'status=hello%20world' --consumer-key KEY \\
    --consumer-secret SECRET 'https://api.x.com/1.1/statuses/update.json'

  # Sign many requests: JSON Lines in, JSON Lines out (see the sign-batch format)
  oauth1 sign --batch < cases.jsonl > signatures.jsonl";

#[derive(Args)]
struct SignArgs {
    /// Absolute URL to sign (with its query string).
    #[arg(required_unless_present = "batch")]
    url: Option<String>,

    /// HTTP method [default: GET, or POST with -d/--body].
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    method: Option<String>,

    /// Consumer key (oauth_consumer_key).
    #[arg(long, required_unless_present = "batch", value_name = "KEY")]
    consumer_key: Option<String>,

    /// Consumer secret.
    #[arg(
        long,
        env = "OAUTH1_CONSUMER_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    consumer_secret: Option<String>,

    /// Token (oauth_token): an access token or a request token.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,

    /// Token secret.
    #[arg(
        long,
        env = "OAUTH1_TOKEN_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    token_secret: Option<String>,

    /// Signature method: HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, PLAINTEXT, RSA-SHA1, RSA-SHA256,
    /// RSA-SHA512.
    #[arg(long, default_value = "HMAC-SHA1", value_name = "METHOD")]
    signature_method: String,

    /// PEM file with the RSA private key (PKCS#1 or PKCS#8), for the RSA methods.
    #[arg(long, value_name = "PATH")]
    rsa_key_file: Option<std::path::PathBuf>,

    /// Where the protocol parameters go.
    #[arg(long, value_enum, default_value = "header")]
    placement: Placement,

    /// realm of the Authorization header.
    #[arg(long)]
    realm: Option<String>,

    /// oauth_callback (a URL, or `oob`), for a request-token request.
    #[arg(long, value_name = "URL")]
    callback: Option<String>,

    /// oauth_verifier, for an access-token request.
    #[arg(long)]
    verifier: Option<String>,

    /// oauth_nonce [default: 32 random alphanumeric characters].
    #[arg(long)]
    nonce: Option<String>,

    /// oauth_timestamp in seconds since 1970 [default: now].
    #[arg(long)]
    timestamp: Option<String>,

    /// Do not send oauth_version="1.0".
    #[arg(long)]
    no_version: bool,

    /// Send oauth_body_hash (base64 SHA-1 of a body that is not a form).
    #[arg(long)]
    body_hash: bool,

    /// Form body data, exactly as sent (already percent-encoded), like curl -d; repeat to join
    /// with `&`. Sets Content-Type: application/x-www-form-urlencoded.
    #[arg(
        short = 'd',
        long = "data",
        value_name = "DATA",
        conflicts_with = "body"
    )]
    data: Vec<String>,

    /// A raw body (use --content-type to say what it is; only a form body is signed).
    #[arg(long, value_name = "TEXT")]
    body: Option<String>,

    /// Content-Type of --body.
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,

    /// A further protocol parameter, NAME=VALUE (oauth_* or xoauth_*); repeatable.
    #[arg(long = "extra", value_name = "NAME=VALUE")]
    extra: Vec<String>,

    /// Explain the signature step by step (parameters, base string, masked key, header).
    #[arg(long, conflicts_with_all = ["json", "batch"])]
    explain: bool,

    /// With --explain: how to mask secrets.
    #[arg(long, value_enum, default_value = "partial")]
    mask: Mask,

    /// With --explain: show secrets in full.
    #[arg(long)]
    show_secrets: bool,

    /// Print the sign-batch output object (JSON) instead of the header.
    #[arg(long)]
    json: bool,

    /// Read sign-batch input objects (JSON Lines) on stdin and write one output object per line.
    #[arg(long)]
    batch: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Sign(args) => match sign(*args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("oauth1: {e}");
                ExitCode::from(1)
            }
        },
    }
}

fn sign(args: SignArgs) -> Result<(), Box<dyn std::error::Error>> {
    if args.batch {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        oauth1_cli::batch::run(stdin.lock(), stdout.lock())?;
        return Ok(());
    }
    let case = case_from_args(&args)?;
    let mut scratch = Scratch::new();
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    if args.explain {
        let secrets = if args.show_secrets {
            Mask::None
        } else {
            args.mask
        };
        let text = case::with_signed(&case, &mut scratch, |signed, signer| {
            explain::render(&case, signed, signer, secrets)
        })?;
        stdout.write_all(text.as_bytes())?;
        return Ok(());
    }
    let out = case::sign(&case, &mut scratch)?;
    if args.json {
        writeln!(stdout, "{}", serde_json::to_string(&out)?)?;
        return Ok(());
    }
    match case.placement {
        Placement::Header => writeln!(
            stdout,
            "Authorization: {}",
            out.authorization.unwrap_or_default()
        )?,
        Placement::Query => writeln!(stdout, "{}", out.url)?,
        Placement::Body => writeln!(stdout, "{}", out.body.unwrap_or_default())?,
    }
    Ok(())
}

fn case_from_args(args: &SignArgs) -> Result<Case, CaseError> {
    let missing = |what: &str| CaseError::new("missing_field", format!("{what} is required"));
    let (body, content_type) = if !args.data.is_empty() {
        (
            Some(args.data.join("&")),
            Some(
                args.content_type
                    .clone()
                    .unwrap_or_else(|| "application/x-www-form-urlencoded".to_owned()),
            ),
        )
    } else {
        (args.body.clone(), args.content_type.clone())
    };
    let method = args
        .method
        .clone()
        .unwrap_or_else(|| if body.is_some() { "POST" } else { "GET" }.to_owned());
    let rsa_private_key = match &args.rsa_key_file {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            CaseError::new(
                "invalid_rsa_key",
                format!("cannot read the RSA key file {}: {e}", path.display()),
            )
        })?),
        None => None,
    };
    let nonce = match &args.nonce {
        Some(n) => n.clone(),
        None => oauth1_core::nonce::random_nonce().map_err(CaseError::from)?,
    };
    let timestamp = args
        .timestamp
        .clone()
        .unwrap_or_else(|| oauth1_core::nonce::unix_time().to_string());
    let extra_oauth_params = args
        .extra
        .iter()
        .map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| {
                    CaseError::new(
                        "invalid_parameter",
                        format!("--extra `{kv}` is not NAME=VALUE"),
                    )
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(Case {
        method,
        url: args.url.clone().ok_or_else(|| missing("the URL"))?,
        body,
        content_type,
        consumer_key: args
            .consumer_key
            .clone()
            .ok_or_else(|| missing("--consumer-key"))?,
        consumer_secret: args
            .consumer_secret
            .clone()
            .ok_or_else(|| missing("--consumer-secret (or OAUTH1_CONSUMER_SECRET)"))?,
        token: args.token.clone(),
        token_secret: args.token_secret.clone(),
        signature_method: args.signature_method.clone(),
        rsa_private_key,
        placement: args.placement,
        realm: args.realm.clone(),
        callback: args.callback.clone(),
        verifier: args.verifier.clone(),
        nonce,
        timestamp,
        version: !args.no_version,
        body_hash: args.body_hash,
        extra_oauth_params,
    })
}
