//! `oauth1 authorize`: the dance (or xAuth) from the command line, its access token saved as a
//! profile.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::Args;
use oauth1_core::Secret;
use oauth1_flow::Callback;

use crate::browser::{listen_once, open_browser};
use crate::failure::Failure;
use crate::net::NetArgs;
use crate::profile::{Profile, Profiles};
use crate::profiles::profiles_path;

/// Flags of `oauth1 authorize`. Its `Debug` leaves out the consumer secret.
#[derive(Clone, Args)]
pub struct AuthorizeArgs {
    /// The profile to store the result in.
    #[arg(long, default_value = "default", add = crate::complete::profile_names())]
    pub profile: String,
    /// A service preset (`oauth1 providers` lists them: `twitter`, `netsuite`, `jira`,
    /// `flickr`, …; their options are the flags below), or the name of a saved profile whose
    /// provider and client to authorize again.
    #[arg(long, add = crate::complete::providers())]
    pub provider: Option<String>,
    /// The options of the preset --provider names.
    #[command(flatten)]
    pub preset: crate::preset::PresetArgs,
    /// A local provider (`oauth1 serve`, or `oauth1 serve --as NAME` with --provider NAME) at
    /// this base URL; its default credentials unless given.
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
    /// The signature method (any case) [default: the preset's, else HMAC-SHA1].
    #[arg(long, value_name = "METHOD",
          value_parser = PossibleValuesParser::new(crate::sign::METHODS), ignore_case = true)]
    pub signature_method: Option<String>,
    /// Sign as a widely deployed peer that departs from RFC 5849 verifies
    /// (`pecl-oauth-provider`: PHP's OAuthProvider keys HMAC and PLAINTEXT with the secrets
    /// not encoded); the profile keeps it. See docs/interop.md.
    #[arg(long, value_enum, value_name = "PEER")]
    pub compat: Option<crate::case::Compat>,
    /// The PEM private key (PKCS#1 or PKCS#8) of an RSA signature method; the profile keeps
    /// its path for `oauth1 request`. Like ssh, it must be yours and not readable by others.
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub rsa_key_file: Option<PathBuf>,
    /// `oob` (a PIN, typed on stdin), an `http://127.0.0.1:PORT/path` callback (listened on
    /// once), or another URL (paste the URL you are sent to on stdin).
    #[arg(long, default_value = "oob")]
    pub callback: String,
    /// A token issued in the service's own interface (NetSuite's token-based authentication, a
    /// Magento integration's access token): saved with the profile, no dance. Its secret comes
    /// from OAUTH1_TOKEN_SECRET.
    #[arg(long, value_name = "TOKEN", conflicts_with_all = ["xauth_username", "callback"])]
    pub token: Option<String>,
    /// The issued token's secret (prefer the environment variable).
    #[arg(
        long,
        env = "OAUTH1_TOKEN_SECRET",
        hide_env_values = true,
        requires = "token"
    )]
    pub token_secret: Option<String>,
    /// xAuth: this username, and the password on stdin (no browser).
    #[arg(long, requires = "xauth_password_stdin")]
    pub xauth_username: Option<String>,
    /// Read the xAuth password from stdin.
    #[arg(long, requires = "xauth_username")]
    pub xauth_password_stdin: bool,
    /// Open the authorization URL in the default browser ($BROWSER on Linux and BSD); no
    /// browser is opened when the environment variable OAUTH1_NO_BROWSER is set.
    #[arg(long)]
    pub open: bool,
    /// Print nothing but the authorization URL and errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// --proxy, --timeout, --trace.
    #[command(flatten)]
    pub net: NetArgs,
    /// The profiles file (default: `$OAUTH1_CONFIG`, else the user's config dir).
    #[arg(long, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,
}

impl std::fmt::Debug for AuthorizeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizeArgs")
            .field("profile", &self.profile)
            .field("provider", &self.provider)
            .field("preset", &self.preset)
            .field("local", &self.local)
            .field("consumer_key", &self.consumer_key)
            .field("signature_method", &self.signature_method)
            .field("compat", &self.compat)
            .field("callback", &self.callback)
            .field("token", &self.token)
            .field("xauth_username", &self.xauth_username)
            .field("net", &self.net)
            .finish_non_exhaustive()
    }
}

fn profile_of(args: &AuthorizeArgs, saved: &Profiles) -> Result<Profile, Failure> {
    let preset_name = args
        .provider
        .as_deref()
        .filter(|p| *p != "twitter" && crate::preset::is_preset(p));
    if let Some(name) = preset_name {
        return preset_profile(args, name);
    }
    if args.provider.is_some() && !args.preset.given().is_empty() {
        return Err(Failure::Usage(
            "the preset options (--account, --perms, --base-url, …) go with --provider NAME of a preset other than twitter (see `oauth1 providers`)".into(),
        ));
    }
    if let Some(name) = args.provider.as_deref().filter(|p| *p != "twitter") {
        if args.local.is_some() {
            return Err(Failure::Usage(format!(
                "--local goes with a preset (`oauth1 providers`) or alone, not with the saved profile `{name}`"
            )));
        }
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
    let (rt, auth, at, base) = if let (Some(local), None) = (&args.local, &args.provider) {
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
                .or(args.local.as_deref())
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
    let signature_method = args
        .signature_method
        .as_deref()
        .unwrap_or("HMAC-SHA1")
        .to_ascii_uppercase();
    let (consumer_key, consumer_secret) = client_of(args, &signature_method)?;
    Ok(Profile {
        api_base: args.api_base.clone().or(base),
        request_token_url: rt,
        authorize_url: auth,
        access_token_url: at,
        signature_method,
        consumer_key,
        consumer_secret,
        token: None,
        token_secret: None,
        screen_name: None,
        rsa_key_file: None,
        preset: None,
        preset_options: Default::default(),
        compat: args.compat,
    })
}

/// The consumer key and secret of the flags (the local provider's defaults with --local; no
/// secret for an RSA method, which signs with the private key).
fn client_of(args: &AuthorizeArgs, signature_method: &str) -> Result<(String, String), Failure> {
    let local_default = args.local.is_some();
    let consumer_key = match (&args.consumer_key, local_default) {
        (Some(k), _) => k.clone(),
        (None, true) => oauth1_server::DEFAULT_CONSUMER_KEY.to_owned(),
        (None, false) => return Err(Failure::Usage("--consumer-key is required".into())),
    };
    let rsa = signature_method.starts_with("RSA-");
    let consumer_secret = match (&args.consumer_secret, local_default) {
        (Some(s), _) => s.clone(),
        (None, true) => oauth1_server::DEFAULT_CONSUMER_SECRET.to_owned(),
        // RSA signs with the private key: the consumer secret is not used.
        (None, false) if rsa => String::new(),
        (None, false) => {
            return Err(Failure::Usage(
                "--consumer-secret (or OAUTH1_CONSUMER_SECRET) is required".into(),
            ))
        }
    };
    Ok((consumer_key, consumer_secret))
}

/// The profile of the preset `name` with the preset flags (`--local URL` is its base URL
/// unless `--base-url` says otherwise).
fn preset_profile(args: &AuthorizeArgs, name: &str) -> Result<Profile, Failure> {
    use oauth1_flow::ServiceProvider as _;
    let mut options = args.preset.given();
    if let Some(local) = &args.local {
        options
            .entry("base-url".to_owned())
            .or_insert_with(|| local.trim_end_matches('/').to_owned());
    }
    let preset = crate::preset::preset(name, &options, args.signature_method.as_deref())?;
    let signature_method = args
        .signature_method
        .as_deref()
        .unwrap_or(preset.signature_method())
        .to_ascii_uppercase();
    let (consumer_key, consumer_secret) = client_of(args, &signature_method)?;
    let endpoints = preset.endpoints().clone();
    Ok(Profile {
        api_base: args
            .api_base
            .clone()
            .or_else(|| options.get("base-url").cloned()),
        request_token_url: endpoints.request_token.url,
        authorize_url: endpoints.authorize,
        access_token_url: endpoints.access_token.url,
        signature_method,
        consumer_key,
        consumer_secret,
        token: None,
        token_secret: None,
        screen_name: None,
        rsa_key_file: None,
        preset: Some(name.to_owned()),
        preset_options: options,
        compat: args.compat,
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

/// Runs `oauth1 authorize`.
pub fn authorize(args: &AuthorizeArgs) -> Result<(), Failure> {
    let path = profiles_path(&args.config)?;
    let mut profiles = Profiles::load(&path)?;
    let mut profile = profile_of(args, &profiles)?;
    if let Some(key) = &args.rsa_key_file {
        // Kept absolute, so that `oauth1 request` finds it from any directory.
        profile.rsa_key_file = Some(std::path::absolute(key).unwrap_or_else(|_| key.clone()));
    }
    // The authorization page is the user's browser's business: nothing signed goes there.
    for url in [&profile.request_token_url, &profile.access_token_url] {
        crate::warning::plaintext_over_http(&profile.signature_method, url);
    }
    if let Some(token) = &args.token {
        // A token the service issued in its own interface: nothing to ask it.
        let secret = args.token_secret.clone().ok_or_else(|| {
            Failure::Usage(
                "--token needs its secret: set OAUTH1_TOKEN_SECRET (or give --token-secret)".into(),
            )
        })?;
        profile.token = Some(token.clone());
        profile.token_secret = Some(secret);
        return save(
            args,
            &path,
            &mut profiles,
            profile,
            "Saved the issued token",
        );
    }
    if profile.one_legged() {
        return save(
            args,
            &path,
            &mut profiles,
            profile,
            "Nothing to authorize (the consumer signs alone)",
        );
    }
    if let Some(flows) = profile
        .preset
        .as_deref()
        .and_then(oauth1_providers::info)
        .map(|p| p.flows)
        .filter(|flows| !flows.contains(&oauth1_providers::FlowShape::ThreeLegged))
    {
        let flows: Vec<&str> = flows.iter().map(|f| f.as_str()).collect();
        return Err(Failure::Usage(format!(
            "the {} preset has no dance to run ({}): give the token the service issued with --token (its secret in OAUTH1_TOKEN_SECRET); docs/providers.md says where to find it",
            profile.preset.as_deref().unwrap_or_default(),
            flows.join(", ")
        )));
    }
    let flow = profile.flow(None)?;
    let t = args.net.transport(Some(crate::trace::Tracer::new(
        &profile.consumer_secret,
        true,
    )))?;
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
        if !args.quiet {
            eprintln!("Open this URL in a browser and authorize the app:");
        }
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
            request_token.verifier_from_callback(&listen_once(&args.callback, args.quiet)?)?
        } else {
            request_token
                .verifier_from_callback(&read_line("Paste the URL the provider sent you to: ")?)?
        };
        flow.access_token_blocking(&t, &verifier)?
    };
    profile.token = Some(token.token().to_owned());
    profile.token_secret = Some(token.secret().secret().to_owned());
    // Twitter says `screen_name`; Flickr and Zotero `username`.
    profile.screen_name = token
        .field("screen_name")
        .or_else(|| token.field("username"))
        .map(str::to_owned);
    let who = profile
        .screen_name
        .clone()
        .map_or_else(String::new, |n| format!(" as @{n}"));
    save(
        args,
        &path,
        &mut profiles,
        profile,
        &format!("Authorized{who}"),
    )
}

/// Saves `profile` under its name, makes it the active one, and says `done` (unless quiet).
fn save(
    args: &AuthorizeArgs,
    path: &std::path::Path,
    profiles: &mut Profiles,
    profile: Profile,
    done: &str,
) -> Result<(), Failure> {
    profiles.profiles.insert(args.profile.clone(), profile);
    profiles.active = Some(args.profile.clone());
    profiles.save(path)?;
    if !args.quiet {
        eprintln!(
            "{done}; saved profile `{}` in {} (now active)",
            args.profile,
            path.display()
        );
    }
    Ok(())
}
