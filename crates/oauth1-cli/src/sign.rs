//! `oauth1 sign`: the flags, and single-shot signing (`--json`, `--explain`) from them.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::Args;

use oauth1_core::Scratch;

use crate::case::{Case, CaseError, Placement};
use crate::explain::{self, Mask};

/// The environment variable read for the consumer secret when no flag gives it.
pub const CONSUMER_SECRET_ENV: &str = "OAUTH1_CONSUMER_SECRET";
/// The environment variable read for the token secret when no flag gives it.
pub const TOKEN_SECRET_ENV: &str = "OAUTH1_TOKEN_SECRET";

/// The signature methods, by their `oauth_signature_method` names (what the completions offer).
pub const METHODS: [&str; 7] = [
    "HMAC-SHA1",
    "HMAC-SHA256",
    "HMAC-SHA512",
    "PLAINTEXT",
    "RSA-SHA1",
    "RSA-SHA256",
    "RSA-SHA512",
];

pub(crate) const SIGN_EXAMPLES: &str = "\
Examples:
  # The Authorization header for a GET with token credentials, secrets from the environment
  export OAUTH1_CONSUMER_SECRET=... OAUTH1_TOKEN_SECRET=...
  oauth1 sign --consumer-key KEY --token TOKEN \\
    'https://api.x.com/1.1/account/verify_credentials.json'

  # Use it with curl
  curl -H \"$(oauth1 sign --consumer-key KEY --token TOKEN 'https://api.x.com/2/users/me')\" \\
    'https://api.x.com/2/users/me'

  # A form POST: -d takes the body exactly as sent (already percent-encoded), like curl -d;
  # --data-urlencode encodes the value for you
  oauth1 sign -d 'status=hello%20world' --consumer-key KEY --token TOKEN \\
    'https://api.x.com/1.1/statuses/update.json'
  oauth1 sign --data-urlencode 'status=hello world' --consumer-key KEY --token TOKEN \\
    'https://api.x.com/1.1/statuses/update.json'

  # The credentials of a saved profile (no secret to copy by hand); a path uses its API base
  oauth1 sign --explain --profile default -X POST -d status=hi /1.1/statuses/update.json

  # Why does the provider say \"Could not authenticate you\"? Explain every step
  # (Twitter's documented example; its published test credentials):
  oauth1 sign --explain -X POST -d 'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21' \\
    --consumer-key xvz1evFS4wEEPTGEFPHBog --consumer-secret kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw \\
    --token 370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb --token-secret LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE \\
    --nonce kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg --timestamp 1318622958 \\
    'https://api.twitter.com/1.1/statuses/update.json?include_entities=true'

  # RSA-SHA1 with a PEM key; the protocol parameters in the query string
  oauth1 sign --signature-method RSA-SHA1 --rsa-key-file key.pem --consumer-key KEY \\
    --placement query 'https://photos.example.net/photos?file=vacation.jpg'

  # Sign many requests: one JSON object a line in, one a line out (the sign-batch format)
  oauth1 sign --batch < cases.jsonl > signatures.jsonl
  echo '{\"method\":\"GET\",\"url\":\"https://a.example/\",\"consumer_key\":\"k\",\"consumer_secret\":\"s\",\"signature_method\":\"HMAC-SHA1\",\"placement\":\"header\",\"nonce\":\"n\",\"timestamp\":\"1\"}' \\
    | oauth1 sign --batch

Exit status: 0 signed, 1 the request cannot be signed (the reason on stderr), 2 usage error.";

/// The flags of `oauth1 sign`. Its `Debug` leaves out the secrets.
#[derive(Args)]
pub struct SignArgs {
    /// Absolute URL to sign, with its query string, exactly as it will be sent.
    #[arg(required_unless_present = "batch")]
    pub url: Option<String>,

    /// HTTP method [default: GET, or POST with a body] (`--method` is the old spelling).
    #[arg(short = 'X', long = "request", visible_alias = "method", value_name = "METHOD",
          add = crate::complete::http_methods())]
    pub method: Option<String>,

    /// Take the consumer key, the token, their secrets, the signature method, the RSA key and
    /// the API base (for a URL that is a path) from this profile; a flag given too wins.
    #[arg(long, value_name = "NAME", add = crate::complete::profile_names())]
    pub profile: Option<String>,

    /// The profiles file of --profile.
    #[arg(long, value_name = "PATH", requires = "profile", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Consumer key (oauth_consumer_key).
    #[arg(long, required_unless_present_any = ["batch", "profile"], value_name = "KEY")]
    pub consumer_key: Option<String>,

    /// Consumer secret. Prefer the environment: --consumer-secret-env or OAUTH1_CONSUMER_SECRET
    /// (read when neither flag is given; not needed for RSA methods).
    #[arg(long, value_name = "SECRET")]
    pub consumer_secret: Option<String>,

    /// Read the consumer secret from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "consumer_secret")]
    pub consumer_secret_env: Option<String>,

    /// Token (oauth_token): an access token, or the request token when getting an access token.
    /// Without it no oauth_token is sent; `--token ''` sends an empty one.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Token secret. Prefer the environment: --token-secret-env or OAUTH1_TOKEN_SECRET (read
    /// when neither flag is given, and not used without --token).
    #[arg(long, value_name = "SECRET", requires = "token")]
    pub token_secret: Option<String>,

    /// Read the token secret from this environment variable.
    #[arg(
        long,
        value_name = "VAR",
        conflicts_with = "token_secret",
        requires = "token"
    )]
    pub token_secret_env: Option<String>,

    /// Signature method (any case) [default: the profile's, else HMAC-SHA1].
    #[arg(
        long,
        value_name = "METHOD",
        value_parser = PossibleValuesParser::new(METHODS),
        ignore_case = true
    )]
    pub signature_method: Option<String>,

    /// Sign as a widely deployed peer that departs from RFC 5849 verifies
    /// (`pecl-oauth-provider`: PHP's OAuthProvider keys HMAC-SHA1, HMAC-SHA256 and PLAINTEXT
    /// with the secrets not encoded) [default: the profile's, else none]. See docs/interop.md.
    #[arg(long, value_enum, value_name = "PEER")]
    pub compat: Option<crate::case::Compat>,

    /// PEM file with the RSA private key (PKCS#1 or PKCS#8), for the RSA methods; like ssh, it
    /// must be yours and not readable by others (`chmod 600 PATH`).
    #[arg(long, value_name = "PATH")]
    pub rsa_key_file: Option<PathBuf>,

    /// Where the protocol parameters go [default: the preset's, else header].
    #[arg(long, value_enum)]
    pub placement: Option<Placement>,

    /// realm of the Authorization header (header placement only) [default: the preset's].
    #[arg(long)]
    pub realm: Option<String>,

    /// Sign as this service wants (`oauth1 providers` lists the presets): its signature
    /// method, placement and realm unless given; --explain adds the service's own checks (a
    /// NetSuite realm in the wrong form, Discogs without a User-Agent, ...). A profile made
    /// with a preset uses it without this flag.
    #[arg(long, value_name = "NAME", add = crate::complete::providers())]
    pub provider: Option<String>,

    /// The options of the preset --provider names.
    #[command(flatten)]
    pub preset: crate::preset::PresetArgs,

    /// A header the request will carry (`NAME: VALUE`, repeatable), for the preset's checks
    /// (Discogs refuses a request without `User-Agent`); headers are not signed.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// oauth_callback (a URL, or `oob`), for a request-token request.
    #[arg(long, value_name = "URL")]
    pub callback: Option<String>,

    /// oauth_verifier, for an access-token request.
    #[arg(long)]
    pub verifier: Option<String>,

    /// oauth_nonce [default: 24 random letters and digits].
    #[arg(long)]
    pub nonce: Option<String>,

    /// oauth_timestamp in seconds since 1970 [default: now].
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<u64>,

    /// Do not send oauth_version="1.0" (it is optional; a few providers reject it).
    #[arg(long)]
    pub no_version: bool,

    /// Send oauth_body_hash (base64 SHA-1 of the body), for a body that is not a form.
    #[arg(long)]
    pub body_hash: bool,

    /// The body flags, as `oauth1 request` (and curl) read them.
    #[command(flatten)]
    pub data: crate::body::BodyArgs,

    /// A body of any kind, exactly as sent; say what it is with --content-type (only a form
    /// body's parameters are signed).
    #[arg(long, value_name = "TEXT",
          conflicts_with_all = ["data", "data_raw", "data_binary", "data_urlencode"])]
    pub body: Option<String>,

    /// Content-Type of the body.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// A further protocol parameter NAME=VALUE (oauth_* or xoauth_*); repeatable.
    #[arg(long = "extra", value_name = "NAME=VALUE", value_parser = name_value)]
    pub extra: Vec<(String, String)>,

    /// Explain the signature step by step: parameters, base string, masked key, header, and
    /// what to check when the provider still refuses it.
    #[arg(long, conflicts_with = "json")]
    pub explain: bool,

    /// With --explain: how much of the secrets to show.
    #[arg(long, value_enum, default_value = "partial", requires = "explain")]
    pub mask: Mask,

    /// With --explain: show the secrets in full.
    #[arg(long, requires = "explain", conflicts_with = "mask")]
    pub show_secrets: bool,

    /// Print the sign-batch output object (JSON) instead of the header, URL or body.
    #[arg(long)]
    pub json: bool,

    /// Read sign-batch input objects (JSON Lines) on stdin and write one output object per line
    /// on stdout (see the sign-batch format in the oauth1-cli documentation).
    #[arg(long, conflicts_with_all = [
        "url", "method", "consumer_key", "consumer_secret", "consumer_secret_env", "token",
        "token_secret", "token_secret_env", "signature_method", "compat", "rsa_key_file", "placement",
        "realm", "callback", "verifier", "nonce", "timestamp", "no_version", "body_hash", "data",
        "data_raw", "data_binary", "data_urlencode", "body", "content_type", "extra", "explain",
        "json", "profile", "config", "provider", "headers",
    ])]
    pub batch: bool,
}

impl std::fmt::Debug for SignArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignArgs")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("profile", &self.profile)
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret_env", &self.consumer_secret_env)
            .field("token", &self.token)
            .field("token_secret_env", &self.token_secret_env)
            .field("signature_method", &self.signature_method)
            .field("compat", &self.compat)
            .field("rsa_key_file", &self.rsa_key_file)
            .field("placement", &self.placement)
            .field("provider", &self.provider)
            .field("preset", &self.preset)
            .field("explain", &self.explain)
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

fn name_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

/// Why `oauth1 sign` failed.
#[derive(Debug)]
pub enum Failure {
    /// The command line is incomplete (exit status 2, like clap's own errors).
    Usage(String),
    /// The request cannot be signed (exit status 1).
    Sign(CaseError),
    /// Reading the input or writing the output failed (exit status 1).
    Io(io::Error),
}

impl From<CaseError> for Failure {
    fn from(e: CaseError) -> Self {
        Failure::Sign(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// Runs `oauth1 sign` with these flags, writing to `out` (and reading stdin for `--batch`).
pub fn run(args: &SignArgs, out: &mut impl Write) -> Result<(), Failure> {
    if args.batch {
        return Ok(crate::batch::run(io::stdin().lock(), out)?);
    }
    let (case, preset) = case_and_preset(args)?;
    crate::warning::plaintext_over_http(&case.signature_method, &case.url);
    let mut scratch = Scratch::new();
    let output = case.sign(&mut scratch)?;
    let findings = match &preset {
        Some(preset) => preset.check(&as_sent(&case, &output, &args.headers)?),
        None => Vec::new(),
    };
    if args.explain {
        let secrets = if args.show_secrets {
            Mask::None
        } else {
            args.mask
        };
        let mut text = case.with_signed(&mut scratch, |signed, signer| {
            explain::render(&case, signed, signer, secrets)
        })?;
        if let Some(preset) = &preset {
            text.push_str(&explain::render_checks(preset.name(), &findings));
        }
        out.write_all(text.as_bytes())?;
        return Ok(out.flush()?);
    }
    for finding in &findings {
        crate::warning::warn(&finding.to_string());
    }
    if args.json {
        serde_json::to_writer(&mut *out, &output).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}", output.to_send(case.placement))?;
    }
    Ok(out.flush()?)
}

/// The request as it will be sent (for a preset's checks): the signed URL, the
/// `Authorization` header, the content type and the `-H` headers, the signed body.
fn as_sent(
    case: &Case,
    output: &crate::case::Output,
    headers: &[String],
) -> Result<http::Request<Vec<u8>>, Failure> {
    let mut request = http::Request::builder()
        .method(case.method.to_ascii_uppercase().as_str())
        .uri(output.url.as_str());
    if let Some(authorization) = &output.authorization {
        request = request.header(http::header::AUTHORIZATION, authorization);
    }
    if let Some(content_type) = &case.content_type {
        request = request.header(http::header::CONTENT_TYPE, content_type);
    }
    for h in headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| Failure::Usage(format!("-H `{h}`: give `NAME: VALUE`")))?;
        request = request.header(name.trim(), value.trim());
    }
    let body = output.body.clone().unwrap_or_default().into_bytes();
    request
        .body(body)
        .map_err(|e| Failure::Usage(format!("the request cannot be checked: {e}")))
}

/// A secret from its flag, else from the variable its `--*-env` flag names, else from the
/// profile (`from_profile`: `Some` when a profile supplies this secret, with its value), else
/// from the default variable (`None` if that is unset too).
fn secret(
    flag: Option<&String>,
    env_flag: Option<&String>,
    env_flag_name: &str,
    from_profile: Option<Option<String>>,
    default_var: &str,
) -> Result<Option<String>, Failure> {
    if let Some(value) = flag {
        return Ok(Some(value.clone()));
    }
    if let (None, Some(saved)) = (env_flag, from_profile) {
        return Ok(saved);
    }
    let read = |var: &str| match std::env::var(var) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::Usage(format!(
            "the environment variable {var} is not valid UTF-8"
        ))),
    };
    match env_flag {
        Some(var) => read(var)?.map(Some).ok_or_else(|| {
            Failure::Usage(format!(
                "{env_flag_name} {var}: the environment variable {var} is not set"
            ))
        }),
        None => read(default_var),
    }
}

/// The profile `--profile` names, if any.
fn profile_of(args: &SignArgs) -> Result<Option<crate::profile::Profile>, Failure> {
    let Some(name) = &args.profile else {
        return Ok(None);
    };
    let path = match &args.config {
        Some(p) => p.clone(),
        None => crate::profile::default_path()
            .map_err(|e| Failure::Usage(oauth1_core::Chain(&e).to_string()))?,
    };
    let profiles = crate::profile::Profiles::load(&path)
        .map_err(|e| Failure::Usage(oauth1_core::Chain(&e).to_string()))?;
    profiles
        .profiles
        .get(name)
        .cloned()
        .map(Some)
        .ok_or_else(|| {
            Failure::Usage(crate::profile::ProfileError::Unknown(name.clone()).to_string())
        })
}

/// The preset the request is signed for: `--provider`'s, else the profile's (its options,
/// with the flags given added).
fn preset_of(
    args: &SignArgs,
    profile: Option<&crate::profile::Profile>,
) -> Result<Option<oauth1_providers::Preset>, Failure> {
    let saved = profile.and_then(|p| Some((p.preset.as_ref()?, &p.preset_options)));
    let (name, options) = match (&args.provider, saved) {
        (Some(name), _) => (name, args.preset.given()),
        (None, Some((name, options))) => {
            let mut options = options.clone();
            options.extend(args.preset.given());
            (name, options)
        }
        (None, None) if args.preset.given().is_empty() => return Ok(None),
        (None, None) => {
            return Err(Failure::Usage(
                "the preset options (--account, --perms, --base-url, …) go with --provider NAME (see `oauth1 providers`)".into(),
            ))
        }
    };
    let method = args
        .signature_method
        .as_deref()
        .or(profile.map(|p| p.signature_method.as_str()));
    crate::preset::preset(name, &options, method)
        .map(Some)
        .map_err(|f| Failure::Usage(f.message().to_owned()))
}

/// The case the flags describe.
pub fn case_from_args(args: &SignArgs) -> Result<Case, Failure> {
    Ok(case_and_preset(args)?.0)
}

/// The case the flags describe, and the preset it is signed for (see [`preset_of`]).
fn case_and_preset(args: &SignArgs) -> Result<(Case, Option<oauth1_providers::Preset>), Failure> {
    use oauth1_flow::ServiceProvider as _;
    let missing = |what: &str| Failure::Usage(format!("{what} is required"));
    let profile = profile_of(args)?;
    let preset = preset_of(args, profile.as_ref())?;
    let signature_method = args
        .signature_method
        .clone()
        .or_else(|| profile.as_ref().map(|p| p.signature_method.clone()))
        .or_else(|| preset.as_ref().map(|p| p.signature_method().to_owned()))
        .unwrap_or_else(|| "HMAC-SHA1".to_owned())
        .to_ascii_uppercase();
    let compat = args
        .compat
        .or_else(|| profile.as_ref().and_then(|p| p.compat));
    if let Some(compat) = compat {
        compat
            .method(&signature_method)
            .map_err(|e| Failure::Usage(crate::case::CaseError::from(e).message))?;
    }
    let rsa = signature_method.starts_with("RSA-");
    let consumer_secret = secret(
        args.consumer_secret.as_ref(),
        args.consumer_secret_env.as_ref(),
        "--consumer-secret-env",
        profile.as_ref().map(|p| Some(p.consumer_secret.clone())),
        CONSUMER_SECRET_ENV,
    )?;
    let consumer_secret = match consumer_secret {
        Some(s) => s,
        // RSA signs with the private key: the shared secrets are not used.
        None if rsa => String::new(),
        None => {
            return Err(missing(
                "the consumer secret (--consumer-secret, --consumer-secret-env VAR or OAUTH1_CONSUMER_SECRET)",
            ))
        }
    };
    let token = args
        .token
        .clone()
        .or_else(|| profile.as_ref().and_then(|p| p.token.clone()));
    // The profile's token secret goes with the profile's token only, not with `--token`.
    let token_secret = secret(
        args.token_secret.as_ref(),
        args.token_secret_env.as_ref(),
        "--token-secret-env",
        profile
            .as_ref()
            .filter(|_| args.token.is_none())
            .map(|p| p.token_secret.clone()),
        TOKEN_SECRET_ENV,
    )?;
    let rsa_key_file = args
        .rsa_key_file
        .clone()
        .or_else(|| profile.as_ref().and_then(|p| p.rsa_key_file.clone()));
    let rsa_private_key = match (&rsa_key_file, rsa) {
        // A private key: read as a file of secrets (not through a link, only when no other
        // user may read it), like ssh reads one.
        (Some(path), true) => Some(
            oauth1_flow::secret_file::read_to_string(path)
                .map_err(|e| {
                    CaseError::new(
                        "invalid_rsa_key",
                        format!("the RSA key file: {}", oauth1_core::Chain(&e)),
                    )
                })?
                .to_string(),
        ),
        (None, true) => return Err(missing(&format!("--rsa-key-file for {signature_method}"))),
        (Some(_), false) if args.rsa_key_file.is_some() => {
            return Err(Failure::Usage(format!(
                "--rsa-key-file is for the RSA signature methods, not {signature_method}"
            )))
        }
        (_, false) => None,
    };
    let data = args
        .data
        .read()
        .map_err(|e| Failure::Usage(oauth1_core::Chain(&e).to_string()))?
        .map(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                Failure::Usage(
                    "the body is not UTF-8 text: `oauth1 sign` prints what it signs; sign a binary body with --content-type and no body (it is not signed), or use `oauth1 request`".into(),
                )
            })
        })
        .transpose()?;
    let (body, content_type) = match data {
        None => (args.body.clone(), args.content_type.clone()),
        Some(data) => {
            let form = "application/x-www-form-urlencoded";
            let content_type = args.content_type.as_deref().unwrap_or(form);
            (Some(data), Some(content_type.to_owned()))
        }
    };
    let method = match &args.method {
        Some(m) => m.clone(),
        None if body.is_some() => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    let nonce = match &args.nonce {
        Some(n) => n.clone(),
        None => oauth1_core::nonce::random_nonce().map_err(CaseError::from)?,
    };
    let timestamp = args.timestamp.unwrap_or_else(oauth1_core::nonce::unix_time);
    let url = args.url.clone().ok_or_else(|| missing("the URL"))?;
    let url = match &profile {
        Some(p) if !url.contains("://") => {
            crate::request::resolve(&url, p).map_err(|e| Failure::Usage(e.message().to_owned()))?
        }
        _ => url,
    };
    let consumer_key = args
        .consumer_key
        .clone()
        .or_else(|| profile.as_ref().map(|p| p.consumer_key.clone()))
        .ok_or_else(|| missing("--consumer-key"))?;
    let placement = args
        .placement
        .unwrap_or(match preset.as_ref().map(|p| p.placement()) {
            Some(oauth1_core::Placement::Query) => Placement::Query,
            Some(oauth1_core::Placement::Body) => Placement::Body,
            _ => Placement::Header,
        });
    let realm = args
        .realm
        .clone()
        .or_else(|| preset.as_ref().and_then(|p| p.realm().map(str::to_owned)));
    let case = Case {
        method,
        url,
        body,
        content_type,
        consumer_key,
        consumer_secret,
        token,
        token_secret,
        signature_method,
        rsa_private_key,
        compat,
        placement,
        realm,
        callback: args.callback.clone(),
        verifier: args.verifier.clone(),
        nonce,
        timestamp: timestamp.to_string(),
        version: !args.no_version,
        body_hash: args.body_hash,
        extra_oauth_params: args.extra.clone(),
        id: None,
    };
    Ok((case, preset))
}
