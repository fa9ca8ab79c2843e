//! `oauth1 authorize`, `oauth1 request` and `oauth1 profiles`: the dance and signed requests
//! from the command line, with profiles.

use std::io::{BufRead, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use oauth1_core::{Placement, Secret};
use oauth1_flow::{BlockingHttpClient, Callback, Flow, GenericProvider};
use oauth1_transport_ureq::UreqTransport;

use crate::hint::{Hint, NamingTransport};
use crate::profile::{default_path, Profile, ProfileError, Profiles};

/// How a command failed, by exit code: 1 the provider refused, 2 usage, 3 network.
#[derive(Debug)]
pub enum Failure {
    /// The provider answered with an error (exit 1).
    Provider(String),
    /// The command line or the profiles file is wrong (exit 2).
    Usage(String),
    /// The network failed (exit 3).
    Network(String),
}

impl Failure {
    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Provider(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Network(_) => 3,
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Failure::Provider(m) | Failure::Usage(m) | Failure::Network(m) => m,
        }
    }
}

impl From<ProfileError> for Failure {
    fn from(e: ProfileError) -> Self {
        Failure::Usage(e.to_string())
    }
}

impl From<oauth1_flow::Error> for Failure {
    fn from(e: oauth1_flow::Error) -> Self {
        match &e {
            oauth1_flow::Error::Transport { source, .. } => {
                let mut message = e.to_string();
                if let Some(hint) = crate::hint::network_hint(source) {
                    message.push('\n');
                    message.push_str(hint);
                }
                Failure::Network(message)
            }
            oauth1_flow::Error::Provider { step, error } => {
                let mut message = e.to_string();
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                if let Some(hint) = Hint::for_error(*step, error, now) {
                    message.push_str(&format!("\n{hint}"));
                }
                Failure::Provider(message)
            }
            oauth1_flow::Error::InvalidUrl { .. } | oauth1_flow::Error::Signing(_) => {
                Failure::Usage(e.to_string())
            }
            _ => Failure::Provider(e.to_string()),
        }
    }
}

/// The transport of every command: ureq's, naming the host and the proxy in its errors.
fn transport() -> NamingTransport {
    NamingTransport(
        UreqTransport::builder()
            .timeout(Duration::from_secs(30))
            .build(),
    )
}

fn profiles_path(config: &Option<PathBuf>) -> Result<PathBuf, Failure> {
    match config {
        Some(p) => Ok(p.clone()),
        None => Ok(default_path()?),
    }
}

/// Flags of `oauth1 authorize`.
#[derive(Debug, Clone, Args)]
pub struct AuthorizeArgs {
    /// The profile to store the result in.
    #[arg(long, default_value = "default")]
    pub profile: String,
    /// `twitter` (api.x.com; `--api-base` to change the host), or the name of a saved profile
    /// whose provider and client to authorize again.
    #[arg(long, conflicts_with = "local")]
    pub provider: Option<String>,
    /// A local provider (`oauth1 serve`) at this base URL; its default credentials unless given.
    #[arg(long, value_name = "BASE_URL")]
    pub local: Option<String>,
    /// Where the API lives (relative URLs of `oauth1 request` resolve against it).
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Temporary-credentials endpoint (for any other provider).
    #[arg(long, value_name = "URL", required_unless_present_any = ["provider", "local"])]
    pub request_token_url: Option<String>,
    /// Authorization page.
    #[arg(long, value_name = "URL", required_unless_present_any = ["provider", "local"])]
    pub authorize_url: Option<String>,
    /// Token-credentials endpoint.
    #[arg(long, value_name = "URL", required_unless_present_any = ["provider", "local"])]
    pub access_token_url: Option<String>,
    /// The consumer key.
    #[arg(long)]
    pub consumer_key: Option<String>,
    /// The consumer secret (or `OAUTH1_CONSUMER_SECRET`).
    #[arg(long, env = "OAUTH1_CONSUMER_SECRET", hide_env_values = true)]
    pub consumer_secret: Option<String>,
    /// The signature method.
    #[arg(long, default_value = "HMAC-SHA1")]
    pub signature_method: String,
    /// `oob` (a PIN, typed on stdin), an `http://127.0.0.1:PORT/path` callback (listened on
    /// once), or another URL (paste the URL you are sent to on stdin).
    #[arg(long, default_value = "oob")]
    pub callback: String,
    /// xAuth: this username, and the password on stdin (no browser).
    #[arg(long, requires = "xauth_password_stdin")]
    pub xauth_username: Option<String>,
    /// Read the xAuth password from stdin.
    #[arg(long, requires = "xauth_username")]
    pub xauth_password_stdin: bool,
    /// Open the authorization URL in a browser, when one is available.
    #[arg(long)]
    pub open: bool,
    /// The profiles file (default: `$OAUTH1_CONFIG`, else the user's config dir).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

fn profile_of(args: &AuthorizeArgs, saved: &Profiles) -> Result<Profile, Failure> {
    if let Some(name) = args.provider.as_deref().filter(|p| *p != "twitter") {
        let mut profile = saved
            .profiles
            .get(name)
            .cloned()
            .ok_or_else(|| Failure::Usage(format!("`--provider {name}`: neither `twitter` nor a saved profile (see `oauth1 profiles list`)")))?;
        if let Some(key) = &args.consumer_key {
            profile.consumer_key = key.clone();
        }
        if let Some(secret) = &args.consumer_secret {
            profile.consumer_secret = secret.clone();
        }
        if let Some(base) = &args.api_base {
            profile.api_base = Some(base.clone());
        }
        profile.token = None;
        profile.token_secret = None;
        profile.screen_name = None;
        return Ok(profile);
    }
    let (rt, auth, at, base) = if let Some(local) = &args.local {
        let base = local.trim_end_matches('/').to_owned();
        (
            format!("{base}/oauth/request_token"),
            format!("{base}/oauth/authorize"),
            format!("{base}/oauth/access_token"),
            Some(base),
        )
    } else if args.provider.is_some() {
        let t = oauth1_provider_twitter::Twitter::with_base(
            args.api_base
                .as_deref()
                .unwrap_or(oauth1_provider_twitter::API_BASE),
        );
        let e = oauth1_flow::ServiceProvider::endpoints(&t).clone();
        (
            e.request_token.url,
            e.authorize,
            e.access_token.url,
            Some(t.base().to_owned()),
        )
    } else {
        let need = |v: &Option<String>, flag: &str| {
            v.clone()
                .ok_or_else(|| Failure::Usage(format!("{flag} is required")))
        };
        (
            need(&args.request_token_url, "--request-token-url")?,
            need(&args.authorize_url, "--authorize-url")?,
            need(&args.access_token_url, "--access-token-url")?,
            args.api_base.clone(),
        )
    };
    let local_default = args.local.is_some();
    let consumer_key = match (&args.consumer_key, local_default) {
        (Some(k), _) => k.clone(),
        (None, true) => oauth1_server::DEFAULT_CONSUMER_KEY.to_owned(),
        (None, false) => return Err(Failure::Usage("--consumer-key is required".into())),
    };
    let consumer_secret = match (&args.consumer_secret, local_default) {
        (Some(s), _) => s.clone(),
        (None, true) => oauth1_server::DEFAULT_CONSUMER_SECRET.to_owned(),
        (None, false) => {
            return Err(Failure::Usage(
                "--consumer-secret (or OAUTH1_CONSUMER_SECRET) is required".into(),
            ))
        }
    };
    Ok(Profile {
        api_base: args.api_base.clone().or(base),
        request_token_url: rt,
        authorize_url: auth,
        access_token_url: at,
        signature_method: args.signature_method.clone(),
        consumer_key,
        consumer_secret,
        token: None,
        token_secret: None,
        screen_name: None,
    })
}

fn read_line(prompt: &str) -> Result<String, Failure> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
    Ok(line)
}

/// Waits for one request on the loopback callback and returns its target (path and query).
fn listen_once(callback: &str) -> Result<String, Failure> {
    let rest = callback.strip_prefix("http://").unwrap_or_default();
    let authority = rest.split('/').next().unwrap_or_default();
    let listener = TcpListener::bind(authority).map_err(|e| {
        Failure::Usage(format!(
            "cannot listen on {authority} for the callback: {e}"
        ))
    })?;
    eprintln!("Waiting for the provider to redirect to {callback} ...");
    let (mut stream, _) = listener
        .accept()
        .map_err(|e| Failure::Network(format!("callback listener: {e}")))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .ok_or_else(|| Failure::Provider("the callback request is not HTTP".into()))?
        .to_owned();
    let body = "<!DOCTYPE html><html><body><p>Authorized. You can close this window and go back to the terminal.</p></body></html>";
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    Ok(target)
}

fn open_browser(url: &str) {
    for opener in ["xdg-open", "open"] {
        if std::process::Command::new(opener)
            .arg(url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .is_ok()
        {
            return;
        }
    }
    eprintln!("(no browser found: open the URL yourself)");
}

/// Runs `oauth1 authorize`.
pub fn authorize(args: &AuthorizeArgs) -> Result<(), Failure> {
    let path = profiles_path(&args.config)?;
    let mut profiles = Profiles::load(&path)?;
    let mut profile = profile_of(args, &profiles)?;
    // The authorization page is the user's browser's business: nothing signed goes there.
    for url in [&profile.request_token_url, &profile.access_token_url] {
        crate::warning::plaintext_over_http(&profile.signature_method, url);
    }
    let flow = Flow::new(profile.provider()?, profile.client())?;
    let t = transport();
    let token = if let Some(user) = &args.xauth_username {
        let password = Secret::new(read_line("xAuth password: ")?.trim_end_matches(['\r', '\n']));
        flow.xauth_blocking(&t, user, &password)?
    } else {
        let callback = if args.callback == "oob" {
            Callback::Oob
        } else {
            Callback::Url(args.callback.clone())
        };
        let request_token = flow.request_token_blocking(&t, callback)?;
        let url = request_token.authorize_url(&flow, &[])?;
        eprintln!("Open this URL in a browser and authorize the app:");
        println!("{url}");
        let _ = std::io::stdout().flush();
        if args.open {
            open_browser(&url);
        }
        let verifier = if args.callback == "oob" {
            request_token.verifier_from_pin(&read_line("PIN: ")?)?
        } else if args.callback.starts_with("http://127.0.0.1:")
            || args.callback.starts_with("http://localhost:")
        {
            request_token.verifier_from_callback(&listen_once(&args.callback)?)?
        } else {
            request_token
                .verifier_from_callback(&read_line("Paste the URL the provider sent you to: ")?)?
        };
        flow.access_token_blocking(&t, &verifier)?
    };
    profile.token = Some(token.token().to_owned());
    profile.token_secret = Some(token.secret().secret().to_owned());
    profile.screen_name = token.field("screen_name").map(str::to_owned);
    let who = profile
        .screen_name
        .clone()
        .map_or_else(String::new, |n| format!(" as @{n}"));
    profiles.profiles.insert(args.profile.clone(), profile);
    profiles.active = Some(args.profile.clone());
    profiles.save(&path)?;
    eprintln!(
        "Authorized{who}; saved profile `{}` in {} (now active)",
        args.profile,
        path.display()
    );
    Ok(())
}

/// Flags of `oauth1 request`.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The URL; a path (`/1.1/...`) resolves against the profile's API base.
    pub url: String,
    /// The HTTP method (default GET, or POST with a body).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    pub method: Option<String>,
    /// A form parameter `name=value` (repeat for more); encoded and signed. With GET, they go
    /// in the query.
    #[arg(short = 'd', long = "data", value_name = "NAME=VALUE")]
    pub data: Vec<String>,
    /// A JSON body (not signed as parameters).
    #[arg(long, value_name = "JSON", conflicts_with = "data")]
    pub data_json: Option<String>,
    /// A header `Name: value` (repeat for more).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Where the protocol parameters go.
    #[arg(long, value_parser = ["header", "query", "body"], default_value = "header")]
    pub placement: String,
    /// Print the status line and the headers too.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Pretty-print a JSON body.
    #[arg(long)]
    pub pretty: bool,
    /// Print the body line by line as it arrives (for streams; Ctrl-C stops).
    #[arg(long)]
    pub stream: bool,
    /// The profile (default: the active one).
    #[arg(long)]
    pub profile: Option<String>,
    /// The profiles file.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

fn resolve(url: &str, profile: &Profile) -> Result<String, Failure> {
    if url.starts_with("http://") || url.starts_with("https://") {
        return Ok(url.to_owned());
    }
    let base = profile.api_base.as_deref().ok_or_else(|| {
        Failure::Usage(format!(
            "`{url}` is relative and the profile has no API base: give a full URL"
        ))
    })?;
    Ok(format!(
        "{}/{}",
        base.trim_end_matches('/'),
        url.trim_start_matches('/')
    ))
}

/// Runs `oauth1 request`, writing the answer to `out`.
pub fn request(args: &RequestArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let path = profiles_path(&args.config)?;
    let profiles = Profiles::load(&path)?;
    let profile = match &args.profile {
        Some(name) => profiles
            .profiles
            .get(name)
            .ok_or_else(|| ProfileError::Unknown(name.clone()))?,
        None => profiles.active()?.1,
    };
    let token = profile.access_token().ok_or_else(|| {
        Failure::Usage("the profile has no access token yet: run `oauth1 authorize`".into())
    })?;
    let flow: Flow<GenericProvider> = Flow::new(profile.provider()?, profile.client())?;
    let placement = match args.placement.as_str() {
        "query" => Placement::Query,
        "body" => Placement::Body,
        _ => Placement::Header,
    };
    let client = flow
        .signed_client(transport(), &token)?
        .placement(placement);
    let url = resolve(&args.url, profile)?;
    crate::warning::plaintext_over_http(&profile.signature_method, &url);
    let mut pairs = Vec::new();
    for d in &args.data {
        let (n, v) = d.split_once('=').unwrap_or((d.as_str(), ""));
        pairs.push((n, v));
    }
    let method = args.method.clone().map(|m| m.to_ascii_uppercase());
    let mut request = if let Some(json) = &args.data_json {
        client.prepare_post_json(&url, json.clone().into_bytes())?
    } else if !pairs.is_empty() && method.as_deref() != Some("GET") {
        client.prepare_post_form(&url, &pairs)?
    } else {
        client.prepare_get(&url, &pairs)?
    };
    if let Some(m) = method {
        *request.method_mut() = http::Method::from_bytes(m.as_bytes())
            .map_err(|_| Failure::Usage(format!("`{m}` is not an HTTP method")))?;
    }
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .ok_or_else(|| Failure::Usage(format!("header `{h}` is not `Name: value`")))?;
        let name = http::HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| Failure::Usage(format!("bad header name in `{h}`")))?;
        let value = http::HeaderValue::from_str(value.trim())
            .map_err(|_| Failure::Usage(format!("bad header value in `{h}`")))?;
        request.headers_mut().append(name, value);
    }
    let io = |e: std::io::Error| Failure::Network(format!("cannot write the output: {e}"));
    if args.stream {
        let response = client.stream_blocking(request, oauth1_flow::DEFAULT_MAX_LINE)?;
        if args.include {
            write_head(out, response.status(), response.headers()).map_err(io)?;
        }
        let mut lines = response.into_body();
        while let Some(line) = lines.next_line_blocking()? {
            out.write_all(&line).map_err(io)?;
            out.write_all(b"\n").map_err(io)?;
            out.flush().map_err(io)?;
        }
        return Ok(());
    }
    client.sign(&mut request, false)?;
    let response = client.transport().send(request).map_err(|e| {
        let mut message = e.to_string();
        if let Some(hint) = crate::hint::network_hint(&e) {
            message.push('\n');
            message.push_str(hint);
        }
        Failure::Network(message)
    })?;
    if args.include {
        write_head(out, response.status(), response.headers()).map_err(io)?;
    }
    let body = response.body();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) if args.pretty => {
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            writeln!(out, "{text}").map_err(io)?;
        }
        _ => {
            out.write_all(body).map_err(io)?;
            if !body.ends_with(b"\n") && !body.is_empty() {
                out.write_all(b"\n").map_err(io)?;
            }
        }
    }
    client.check(response)?;
    Ok(())
}

fn write_head(
    out: &mut dyn Write,
    status: http::StatusCode,
    headers: &http::HeaderMap,
) -> std::io::Result<()> {
    writeln!(out, "HTTP/1.1 {status}")?;
    for (name, value) in headers {
        writeln!(out, "{name}: {}", String::from_utf8_lossy(value.as_bytes()))?;
    }
    writeln!(out)
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
        name: String,
        /// The profiles file.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Remove a profile.
    Remove {
        /// The profile.
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
