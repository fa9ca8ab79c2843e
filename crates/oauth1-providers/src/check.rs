//! A service's own checks of a signed request: [`Finding`]s that say what the service would
//! refuse, and why, in words a user can act on.

use std::fmt;

use oauth1_core::header::AuthorizationHeader;
use oauth1_core::Placement;

/// How bad a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The service accepts the request, but it is not what the service recommends.
    Warning,
    /// The service refuses the request.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One thing a service's check found in a signed request: which service, and what (see
/// [`FindingKind`]). `Display` writes a sentence that says what to change.
///
/// ```
/// use oauth1_providers::{FindingKind, Preset, PresetOptions};
///
/// let mut options = PresetOptions::default();
/// options.account = Some("1234567_SB1".into());
/// let netsuite = Preset::by_name("netsuite", &options)?;
/// // A request signed with HMAC-SHA1 and the realm in host form:
/// let request = http::Request::get("https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1")
///     .header("authorization", r#"OAuth realm="1234567-sb1", oauth_consumer_key="ck", oauth_token="t", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_nonce="n", oauth_signature="s""#)
///     .body(Vec::new())?;
/// let findings = netsuite.check(&request);
/// assert!(findings.iter().any(|f| matches!(f.kind, FindingKind::SignatureMethod { .. })));
/// assert!(findings.iter().any(|f| matches!(f.kind, FindingKind::RealmForm { .. })));
/// println!("{}", findings[0]); // netsuite: ... HMAC-SHA256 ...
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The preset's name (`netsuite`, `discogs`, …).
    pub service: &'static str,
    /// What was found.
    pub kind: FindingKind,
}

/// What a service's check found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FindingKind {
    /// No `oauth_signature` anywhere (header, query, form body): the request is not signed.
    NotSigned,
    /// The protocol parameters are in more than one place, or the wrong one.
    Placement {
        /// Where they were found.
        found: Placement,
        /// Where the service wants them.
        expected: Placement,
    },
    /// A signature method the service does not accept.
    SignatureMethod {
        /// The `oauth_signature_method` sent.
        found: String,
        /// The ones the service accepts.
        accepted: &'static [&'static str],
    },
    /// A signature method the service accepts but advises against.
    DiscouragedMethod {
        /// The `oauth_signature_method` sent.
        found: String,
        /// The one the service recommends.
        recommended: &'static str,
    },
    /// No `realm` where the service requires one.
    RealmMissing {
        /// The realm it expects.
        expected: String,
    },
    /// A `realm` in another form than the service's (NetSuite: `1234567_SB1`, not
    /// `1234567-sb1`).
    RealmForm {
        /// The realm sent.
        found: String,
        /// The realm expected.
        expected: String,
    },
    /// A `realm` that names another account.
    RealmMismatch {
        /// The realm sent.
        found: String,
        /// The realm of the preset's account.
        expected: String,
    },
    /// A header the service requires is missing (Discogs: `User-Agent`).
    MissingHeader {
        /// The header.
        name: &'static str,
    },
    /// A request over a scheme the service refuses for this kind of authentication
    /// (WooCommerce: OAuth 1.0a only over `http`; over `https` it uses HTTP Basic).
    Scheme {
        /// The scheme of the request.
        found: String,
        /// The scheme the service wants here.
        expected: &'static str,
    },
    /// An `oauth_token` where the service signs with the consumer alone (WooCommerce, LTI).
    UnexpectedToken,
    /// No `oauth_token` where the service needs one (a NetSuite TBA call).
    MissingToken,
    /// A host that is not the service's (NetSuite: another account's domain, or the generic
    /// `rest.netsuite.com`).
    Host {
        /// The host of the request.
        found: String,
        /// The host the preset expects.
        expected: String,
    },
    /// A protocol parameter with a value the service refuses (LTI: `oauth_callback` other
    /// than `about:blank`).
    ParameterValue {
        /// The parameter.
        name: &'static str,
        /// The value sent (cut to 64 characters).
        found: String,
        /// The value the service wants.
        expected: &'static str,
    },
    /// A parameter the service requires is missing (LTI: `lti_message_type`, `lti_version`,
    /// `resource_link_id`).
    MissingParameter {
        /// The parameter.
        name: &'static str,
    },
    /// A request method the service refuses here (an LTI launch is a form `POST`).
    Method {
        /// The method of the request.
        found: String,
        /// The method the service wants.
        expected: &'static str,
    },
}

impl Finding {
    pub(crate) fn new(service: &'static str, kind: FindingKind) -> Self {
        Finding { service, kind }
    }

    /// Whether the service refuses the request for it, or only advises against it.
    pub fn severity(&self) -> Severity {
        match self.kind {
            FindingKind::DiscouragedMethod { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

fn placement_name(p: Placement) -> &'static str {
    match p {
        Placement::Query => "the query string",
        Placement::Body => "the form body",
        _ => "the Authorization header",
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.service)?;
        match &self.kind {
            FindingKind::NotSigned => f.write_str(
                "the request carries no oauth_signature (header, query or form body): sign it",
            ),
            FindingKind::Placement { found, expected } => write!(
                f,
                "the OAuth parameters are in {}; the service reads them from {}",
                placement_name(*found),
                placement_name(*expected)
            ),
            FindingKind::SignatureMethod { found, accepted } => write!(
                f,
                "oauth_signature_method {found} is refused: sign with {}",
                accepted.join(" or ")
            ),
            FindingKind::DiscouragedMethod { found, recommended } => write!(
                f,
                "oauth_signature_method {found} is accepted but discouraged: prefer {recommended}"
            ),
            FindingKind::RealmMissing { expected } => write!(
                f,
                "the Authorization header has no realm: add realm=\"{expected}\""
            ),
            FindingKind::RealmForm { found, expected } => write!(
                f,
                "realm \"{found}\" is in the wrong form: write it \"{expected}\" (upper case, `_` for `-`)"
            ),
            FindingKind::RealmMismatch { found, expected } => write!(
                f,
                "realm \"{found}\" names another account than the preset's \"{expected}\": check the account id"
            ),
            FindingKind::MissingHeader { name } => write!(
                f,
                "the request has no {name} header, and the service refuses such requests: set one naming your application"
            ),
            FindingKind::Scheme { found, expected } => write!(
                f,
                "OAuth 1.0a over {found} is not what the service accepts here: use {expected}"
            ),
            FindingKind::UnexpectedToken => f.write_str(
                "the request carries an oauth_token, but the service signs with the consumer key alone: sign without a token",
            ),
            FindingKind::MissingToken => f.write_str(
                "the request carries no oauth_token: sign with the access token (token id and secret)",
            ),
            FindingKind::Host { found, expected } => write!(
                f,
                "host {found} is not the account's: send it to {expected}"
            ),
            FindingKind::ParameterValue {
                name,
                found,
                expected,
            } => write!(f, "{name} is \"{found}\"; the service wants \"{expected}\""),
            FindingKind::MissingParameter { name } => {
                write!(f, "the required parameter {name} is missing: add it")
            }
            FindingKind::Method { found, expected } => {
                write!(f, "the method is {found}; the service wants {expected}")
            }
        }
    }
}

/// What a check reads of a signed request: where the protocol parameters are, their values,
/// the realm, the scheme and host, the headers and the signed form fields.
#[derive(Debug, Default)]
pub(crate) struct Inspected {
    pub scheme: String,
    pub host: String,
    pub method: String,
    /// Each place protocol parameters (an `oauth_signature` at least) were found in.
    pub places: Vec<Placement>,
    /// The protocol parameters of the first place, decoded.
    pub oauth: Vec<(String, String)>,
    pub realm: Option<String>,
    /// The form body's fields, decoded (empty unless the body is a form).
    pub form: Vec<(String, String)>,
    pub has_user_agent: bool,
}

impl Inspected {
    pub fn read<B: AsRef<[u8]>>(request: &http::Request<B>) -> Self {
        let uri = request.uri();
        let mut out = Inspected {
            scheme: uri.scheme_str().unwrap_or("").to_ascii_lowercase(),
            host: uri
                .host()
                .map(str::to_ascii_lowercase)
                .or_else(|| {
                    request
                        .headers()
                        .get(http::header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase())
                })
                .unwrap_or_default(),
            method: request.method().as_str().to_owned(),
            has_user_agent: request
                .headers()
                .get(http::header::USER_AGENT)
                .is_some_and(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace)),
            ..Inspected::default()
        };
        let oauth_of = |pairs: &[(String, String)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .filter(|(n, _)| n.starts_with("oauth_"))
                .cloned()
                .collect()
        };
        if let Some(header) = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .filter(|v| {
                v.trim_start()
                    .get(..6)
                    .is_some_and(|s| s.eq_ignore_ascii_case("oauth "))
            })
        {
            if let Ok(parsed) = AuthorizationHeader::parse(header) {
                let params = oauth_of(parsed.params());
                if params.iter().any(|(n, _)| n == "oauth_signature") {
                    out.places.push(Placement::Header);
                    out.oauth = params;
                }
                out.realm = parsed.realm().map(str::to_owned);
            }
        }
        if let Some(query) = uri.query() {
            if let Ok(pairs) = oauth1_core::encode::form_decode_str(query) {
                let params = oauth_of(&pairs);
                if params.iter().any(|(n, _)| n == "oauth_signature") {
                    out.places.push(Placement::Query);
                    if out.oauth.is_empty() {
                        out.oauth = params;
                    }
                }
            }
        }
        let is_form = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(oauth1_core::is_form_content_type);
        if is_form {
            if let Ok(text) = std::str::from_utf8(request.body().as_ref()) {
                if let Ok(pairs) = oauth1_core::encode::form_decode_str(text) {
                    let params = oauth_of(&pairs);
                    if params.iter().any(|(n, _)| n == "oauth_signature") {
                        out.places.push(Placement::Body);
                        if out.oauth.is_empty() {
                            out.oauth = params;
                        }
                    }
                    out.form = pairs;
                }
            }
        }
        out
    }

    /// The value of protocol parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.oauth
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The signature method, when the request is signed.
    pub fn method_name(&self) -> Option<&str> {
        self.get("oauth_signature_method")
    }

    /// Whether a token was signed with (a non-empty `oauth_token`).
    pub fn has_token(&self) -> bool {
        self.get("oauth_token").is_some_and(|t| !t.is_empty())
    }
}

/// The checks every preset shares: signed at all, in the expected place, with an accepted
/// method. Returns `false` when the request is not signed (nothing else to check).
pub(crate) fn common(
    service: &'static str,
    seen: &Inspected,
    placement: Placement,
    accepted: &'static [&'static str],
    out: &mut Vec<Finding>,
) -> bool {
    if seen.places.is_empty() {
        out.push(Finding::new(service, FindingKind::NotSigned));
        return false;
    }
    for found in &seen.places {
        if *found != placement {
            out.push(Finding::new(
                service,
                FindingKind::Placement {
                    found: *found,
                    expected: placement,
                },
            ));
        }
    }
    if let Some(method) = seen.method_name() {
        if !accepted.contains(&method) {
            out.push(Finding::new(
                service,
                FindingKind::SignatureMethod {
                    found: crate::base::shown(method),
                    accepted,
                },
            ));
        }
    }
    true
}
