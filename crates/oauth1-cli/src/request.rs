//! `oauth1 request`: a signed request with a profile's access token, curl's flags.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use oauth1_core::Placement;
use oauth1_flow::{BlockingHttpClient, Flow, SignedClient, Stamp};

use crate::body::{BodyArgs, FormPart};
use crate::failure::Failure;
use crate::net::{CliTransport, NetArgs};
use crate::profile::{Profile, ProfileError, Profiles};
use crate::profiles::profiles_path;

/// HTTP methods, offered by the completions (any other token is accepted too).
pub const HTTP_METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// Flags of `oauth1 request`.
#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The URL; a path (`/1.1/...`) resolves against the profile's API base.
    pub url: String,
    /// The HTTP method [default: GET, or POST with a body].
    #[arg(short = 'X', long = "request", visible_alias = "method", value_name = "METHOD",
          add = crate::complete::http_methods())]
    pub method: Option<String>,
    /// The body flags (curl's meanings).
    #[command(flatten)]
    pub body: BodyArgs,
    /// A multipart/form-data part, like curl -F: `NAME=VALUE`, or `NAME=@FILE[;type=TYPE]` for
    /// a file (repeat for more). Only the protocol parameters and the query are signed.
    #[arg(short = 'F', long = "form", value_name = "NAME=VALUE",
          conflicts_with_all = ["data", "data_raw", "data_binary", "data_urlencode", "data_json"])]
    pub form: Vec<String>,
    /// A JSON body (Content-Type: application/json; not signed as parameters).
    #[arg(long, value_name = "JSON",
          conflicts_with_all = ["data", "data_raw", "data_binary", "data_urlencode"])]
    pub data_json: Option<String>,
    /// A header `Name: value` (repeat for more); a Content-Type here replaces the body's.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Where the protocol parameters go [default: the profile's preset's, else header].
    #[arg(long, value_parser = ["header", "query", "body"])]
    pub placement: Option<String>,
    /// Print the status line and the headers too.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Pretty-print a JSON body.
    #[arg(long)]
    pub pretty: bool,
    /// Print the body line by line as it arrives (for streams; Ctrl-C stops).
    #[arg(long)]
    pub stream: bool,
    /// With --stream: when the connection drops, connect again (signed afresh) with X's
    /// backoff (at once after a healthy connection; network errors 250 ms steps to 16 s; 5xx
    /// from 5 s doubling to 320 s; 420/429 from 60 s doubling), each reconnect said on stderr;
    /// 401, 403 and other 4xx stop it.
    #[arg(long, requires = "stream")]
    pub reconnect: bool,
    /// Print nothing on success (the exit status tells); errors still go to stderr.
    #[arg(short = 'q', long, conflicts_with_all = ["include", "pretty"])]
    pub quiet: bool,
    /// oauth_nonce [default: 24 random letters and digits]: to reproduce a signature.
    #[arg(long)]
    pub nonce: Option<String>,
    /// oauth_timestamp in seconds since 1970 [default: now]: to reproduce a signature.
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<u64>,
    /// The RSA private key (PEM) for a profile signed with an RSA method [default: the
    /// profile's]; `chmod 600` it.
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub rsa_key_file: Option<PathBuf>,
    /// --proxy, --timeout, --trace.
    #[command(flatten)]
    pub net: NetArgs,
    /// The profile (default: the active one).
    #[arg(long, add = crate::complete::profile_names())]
    pub profile: Option<String>,
    /// The profiles file.
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,
}

/// `--nonce` and `--timestamp`, each fresh when not given.
struct FixedStamp {
    nonce: Option<String>,
    timestamp: Option<u64>,
}

impl Stamp for FixedStamp {
    fn stamp(&self) -> Result<(String, u64), oauth1_flow::Error> {
        let nonce = match &self.nonce {
            Some(n) => n.clone(),
            None => oauth1_core::nonce::random_nonce()?,
        };
        let timestamp = self.timestamp.unwrap_or_else(oauth1_core::nonce::unix_time);
        Ok((nonce, timestamp))
    }
}

/// `url`, resolved against the profile's API base when it is a path.
pub(crate) fn resolve(url: &str, profile: &Profile) -> Result<String, Failure> {
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

/// The profile `name` names, else the active one.
pub(crate) fn pick<'a>(
    profiles: &'a Profiles,
    name: Option<&String>,
) -> Result<&'a Profile, ProfileError> {
    match name {
        Some(name) => profiles
            .profiles
            .get(name)
            .ok_or_else(|| ProfileError::Unknown(name.clone())),
        None => Ok(profiles.active()?.1),
    }
}

fn header(h: &str) -> Result<(http::HeaderName, http::HeaderValue), Failure> {
    let (name, value) = h
        .split_once(':')
        .ok_or_else(|| Failure::Usage(format!("header `{h}` is not `Name: value`")))?;
    let name = http::HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| Failure::Usage(format!("bad header name in `{h}`")))?;
    let value = http::HeaderValue::from_str(value.trim())
        .map_err(|_| Failure::Usage(format!("bad header value in `{h}`")))?;
    Ok((name, value))
}

/// The unsigned request the flags describe.
fn build(args: &RequestArgs, url: &str) -> Result<http::Request<Vec<u8>>, Failure> {
    let form_type = "application/x-www-form-urlencoded";
    let method = args.method.as_ref().map(|m| m.to_ascii_uppercase());
    let data = args.body.read()?;
    let (url, content_type, body) = if let Some(json) = &args.data_json {
        (
            url.to_owned(),
            Some("application/json".to_owned()),
            json.clone().into_bytes(),
        )
    } else if !args.form.is_empty() {
        let parts = args
            .form
            .iter()
            .map(|f| FormPart::parse(f))
            .collect::<Result<Vec<_>, _>>()?;
        let (content_type, body) = crate::body::multipart(&parts)?;
        (url.to_owned(), Some(content_type), body)
    } else if let Some(data) = data {
        if method.as_deref() == Some("GET") {
            // curl -G: the data goes in the query.
            let text = String::from_utf8(data).map_err(|_| {
                Failure::Usage("with -X GET the data goes in the query, and must be text".into())
            })?;
            let sep = if url.contains('?') { '&' } else { '?' };
            (format!("{url}{sep}{text}"), None, Vec::new())
        } else {
            (url.to_owned(), Some(form_type.to_owned()), data)
        }
    } else {
        (url.to_owned(), None, Vec::new())
    };
    let method = method.unwrap_or_else(|| {
        if content_type.is_some() {
            "POST"
        } else {
            "GET"
        }
        .to_owned()
    });
    let method = http::Method::from_bytes(method.as_bytes())
        .map_err(|_| Failure::Usage(format!("`{method}` is not an HTTP method")))?;
    let uri: http::Uri = url
        .parse()
        .map_err(|e| Failure::Usage(format!("`{url}` is not a URL: {e}")))?;
    let mut request = http::Request::builder()
        .method(method)
        .uri(uri)
        .body(body)
        .map_err(|e| Failure::Usage(format!("cannot build the request: {e}")))?;
    if let Some(ct) = content_type {
        let value = http::HeaderValue::from_str(&ct)
            .map_err(|_| Failure::Usage(format!("bad content type `{ct}`")))?;
        request
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    for h in &args.headers {
        let (name, value) = header(h)?;
        if name == http::header::CONTENT_TYPE {
            request.headers_mut().insert(name, value);
        } else {
            request.headers_mut().append(name, value);
        }
    }
    Ok(request)
}

/// Runs `oauth1 request`, writing the answer to `out`.
pub fn request(args: &RequestArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let path = profiles_path(&args.config)?;
    let profiles = Profiles::load(&path)?;
    let profile = pick(&profiles, args.profile.as_ref())?;
    // A one-legged preset (WooCommerce, an LTI launch) signs with the consumer alone.
    let token = match profile.access_token() {
        Some(token) => Some(token),
        None if profile.one_legged() => None,
        None => {
            return Err(Failure::Usage(
                "the profile has no access token yet: run `oauth1 authorize`".into(),
            ))
        }
    };
    let flow: Flow<crate::profile::Provider> =
        profile
            .flow(args.rsa_key_file.as_deref())?
            .stamp(FixedStamp {
                nonce: args.nonce.clone(),
                timestamp: args.timestamp,
            });
    let placement = match args.placement.as_deref() {
        Some("query") => Placement::Query,
        Some("body") => Placement::Body,
        Some(_) => Placement::Header,
        None => oauth1_flow::ServiceProvider::placement(flow.provider()),
    };
    let tracer = crate::trace::Tracer::new(&profile.consumer_secret, false);
    if let (Some(t), Some(s)) = (&profile.token, &profile.token_secret) {
        tracer.learn(t, s);
    }
    let transport = args.net.transport(Some(tracer))?;
    let client: SignedClient<CliTransport> = match &token {
        Some(token) => flow.signed_client(transport, token)?,
        None => flow.consumer_client(transport)?,
    }
    .placement(placement);
    let url = resolve(&args.url, profile)?;
    crate::warning::plaintext_over_http(&profile.signature_method, &url);
    let mut request = build(args, &url)?;
    let io = |e: std::io::Error| Failure::Network(format!("cannot write the output: {e}"));
    if args.stream && args.reconnect {
        return reconnecting(args, &client, request, out);
    }
    if args.stream {
        let response = client.stream_blocking(request, oauth1_flow::DEFAULT_MAX_LINE)?;
        if args.include {
            write_head(out, response.status(), response.headers()).map_err(io)?;
        }
        let mut lines = response.into_body();
        while let Some(line) = lines.next_line_blocking()? {
            if args.quiet {
                continue;
            }
            out.write_all(&line).map_err(io)?;
            out.write_all(b"\n").map_err(io)?;
            out.flush().map_err(io)?;
        }
        return Ok(());
    }
    client.sign(&mut request, false)?;
    let response = client.transport().send(request).map_err(|e| {
        let mut message = oauth1_core::Chain(&e).to_string();
        if let Some(hint) = crate::hint::network_hint(&e) {
            message.push('\n');
            message.push_str(hint);
        }
        Failure::Network(message)
    })?;
    if !args.quiet {
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
                // A line break after text that lacks one; bytes that are not text as they are.
                let text = std::str::from_utf8(body).is_ok();
                if text && !body.ends_with(b"\n") && !body.is_empty() {
                    out.write_all(b"\n").map_err(io)?;
                }
            }
        }
    }
    client.check(response)?;
    Ok(())
}

/// `--stream --reconnect`: the lines of every connection, each reconnect on stderr, until the
/// policy stops (the error) or the provider ends the stream for good.
fn reconnecting(
    args: &RequestArgs,
    client: &SignedClient<CliTransport>,
    request: http::Request<Vec<u8>>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    use oauth1_flow::reconnect::{BlockingReconnectingStream, StreamEvent};
    let io = |e: std::io::Error| Failure::Network(format!("cannot write the output: {e}"));
    let mut stream = BlockingReconnectingStream::new(client, request);
    while let Some(event) = stream.next_blocking()? {
        match event {
            StreamEvent::Connected { status, headers } if args.include => {
                write_head(out, status, &headers).map_err(io)?;
            }
            StreamEvent::Line(line) if !args.quiet => {
                out.write_all(&line).map_err(io)?;
                out.write_all(b"\n").map_err(io)?;
                out.flush().map_err(io)?;
            }
            StreamEvent::Reconnecting(r) => {
                let why = r.error.as_ref().map_or_else(
                    || "the stream ended".to_owned(),
                    |e| oauth1_core::Chain(e).to_string(),
                );
                let when = if r.wait.is_zero() {
                    "at once".to_owned()
                } else {
                    format!("in {:?}", r.wait)
                };
                let _ = writeln!(
                    std::io::stderr(),
                    "oauth1: reconnecting {when} (attempt {}): {why}",
                    r.attempt
                );
            }
            _ => {}
        }
    }
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
