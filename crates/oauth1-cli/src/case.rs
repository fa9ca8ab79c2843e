//! One signing case: the input object of `oauth1 sign --batch` (and of single-shot `oauth1 sign`,
//! whose flags fill the same structure), and its signing.

use oauth1_core::{
    AnyMethod, Body, ClientCredentials, Error, Misuse, OAuthParams, Request, Scratch, Signed,
    Signer, TokenCredentials,
};
use serde::{Deserialize, Serialize};

/// Where the protocol parameters go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// The `Authorization: OAuth ...` header.
    Header,
    /// The URL's query string.
    Query,
    /// The form body.
    Body,
}

/// A request to sign, with everything that goes into its signature (see
/// `shared/spec/sign-batch.md`, copied in the module docs of [`crate::batch`]).
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// HTTP method, any case.
    pub method: String,
    /// Absolute URL, may carry a query and a fragment.
    pub url: String,
    /// The body as sent.
    #[serde(default)]
    pub body: Option<String>,
    /// The body's content type.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Consumer key.
    pub consumer_key: String,
    /// Consumer secret.
    pub consumer_secret: String,
    /// `oauth_token` (`None`: no token; `""`: an empty one).
    #[serde(default)]
    pub token: Option<String>,
    /// Token secret (`None` and `""` both mean empty).
    #[serde(default)]
    pub token_secret: Option<String>,
    /// `oauth_signature_method`.
    pub signature_method: String,
    /// PEM private key for the RSA methods.
    #[serde(default)]
    pub rsa_private_key: Option<String>,
    /// Where the protocol parameters go.
    pub placement: Placement,
    /// `realm` of the Authorization header.
    #[serde(default)]
    pub realm: Option<String>,
    /// `oauth_callback`.
    #[serde(default)]
    pub callback: Option<String>,
    /// `oauth_verifier`.
    #[serde(default)]
    pub verifier: Option<String>,
    /// `oauth_nonce`.
    pub nonce: String,
    /// `oauth_timestamp`, decimal seconds.
    pub timestamp: String,
    /// Whether `oauth_version="1.0"` is sent.
    #[serde(default = "yes")]
    pub version: bool,
    /// Whether `oauth_body_hash` is sent (non-form bodies).
    #[serde(default)]
    pub body_hash: bool,
    /// Further protocol parameters, `[name, value]`.
    #[serde(default)]
    pub extra_oauth_params: Vec<(String, String)>,
}

fn yes() -> bool {
    true
}

/// What signing a case produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Output {
    /// `oauth_signature`, not percent-encoded.
    pub signature: String,
    /// The signature base string.
    pub base_string: String,
    /// The Authorization header value for header placement.
    pub authorization: Option<String>,
    /// The URL to send.
    pub url: String,
    /// The body to send.
    pub body: Option<String>,
}

/// Why a case could not be signed: a stable machine-readable kind and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// Stable kind, e.g. `invalid_url`.
    pub kind: &'static str,
    /// What is wrong.
    pub message: String,
}

impl CaseError {
    /// An error of this kind.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        CaseError {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.kind)
    }
}

impl std::error::Error for CaseError {}

impl From<Error> for CaseError {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Url(_) => "invalid_url",
            Error::Decode { .. } => "invalid_encoding",
            Error::Key(_) => "invalid_rsa_key",
            Error::Misuse(Misuse::UnknownMethod(_)) => "unknown_signature_method",
            Error::Misuse(Misuse::RsaKeyRequired(_)) => "invalid_rsa_key",
            Error::Misuse(Misuse::BodyPlacementNeedsForm) => "invalid_placement",
            Error::Misuse(Misuse::BodyHashWithForm) => "invalid_body_hash",
            Error::Misuse(Misuse::ExtraParameter(_)) | Error::ParameterClash { .. } => {
                "invalid_parameter"
            }
            Error::Misuse(Misuse::InvalidMethod) => "invalid_method",
            _ => "signing_failed",
        };
        CaseError::new(kind, e.to_string())
    }
}

/// The signature method of a case, with its RSA key when it needs one.
pub fn method(case: &Case) -> Result<AnyMethod, CaseError> {
    let pem = || {
        case.rsa_private_key.as_deref().ok_or_else(|| {
            CaseError::new(
                "invalid_rsa_key",
                format!(
                    "{} needs rsa_private_key (a PEM private key)",
                    case.signature_method
                ),
            )
        })
    };
    match case.signature_method.as_str() {
        "RSA-SHA1" => {
            return Ok(AnyMethod::RsaSha1(oauth1_core::RsaSha1::from_private_pem(
                pem()?,
            )?))
        }
        "RSA-SHA256" => {
            return Ok(AnyMethod::RsaSha256(
                oauth1_core::RsaSha256::from_private_pem(pem()?)?,
            ))
        }
        "RSA-SHA512" => {
            return Ok(AnyMethod::RsaSha512(
                oauth1_core::RsaSha512::from_private_pem(pem()?)?,
            ))
        }
        _ => {}
    }
    Ok(AnyMethod::from_name(&case.signature_method)?)
}

/// The body as the core sees it.
pub fn body(case: &Case) -> Body<'_> {
    match &case.body {
        None => Body::None,
        Some(b) => Body::from_content_type(case.content_type.as_deref(), b.as_bytes()),
    }
}

/// The signer of a case.
pub fn signer(case: &Case) -> Result<Signer<AnyMethod>, CaseError> {
    let client = ClientCredentials::new(case.consumer_key.as_str(), case.consumer_secret.as_str());
    let token = case
        .token
        .as_ref()
        .map(|t| TokenCredentials::new(t.as_str(), case.token_secret.as_deref().unwrap_or("")));
    Ok(Signer::new(method(case)?, &client, token.as_ref())?)
}

/// The protocol values of a case.
pub fn oauth_params(case: &Case) -> Result<OAuthParams<'_>, CaseError> {
    let ts = &case.timestamp;
    if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CaseError::new(
            "invalid_timestamp",
            "timestamp must be a decimal number of seconds",
        ));
    }
    let timestamp = ts
        .parse::<u64>()
        .map_err(|_| CaseError::new("invalid_timestamp", "timestamp does not fit in 64 bits"))?;
    let mut oauth = OAuthParams::new(case.nonce.as_str(), timestamp)
        .version(case.version)
        .body_hash(case.body_hash);
    if let Some(r) = &case.realm {
        oauth = oauth.realm(r);
    }
    if let Some(c) = &case.callback {
        oauth = oauth.callback(c);
    }
    if let Some(v) = &case.verifier {
        oauth = oauth.verifier(v);
    }
    for (name, value) in &case.extra_oauth_params {
        oauth = oauth.extra(name, value);
    }
    Ok(oauth)
}

/// Signs a case in `scratch` and hands the result to `f` (for rendering) before it is dropped.
pub fn with_signed<R>(
    case: &Case,
    scratch: &mut Scratch,
    f: impl FnOnce(&Signed<'_>, &Signer<AnyMethod>) -> R,
) -> Result<R, CaseError> {
    let signer = signer(case)?;
    let oauth = oauth_params(case)?;
    let body = body(case);
    if case.placement == Placement::Body && !matches!(body, Body::Form(_) | Body::None) {
        return Err(Error::Misuse(Misuse::BodyPlacementNeedsForm).into());
    }
    let request = Request::new(&case.method, &case.url).with_body(body);
    let signed = signer.sign(scratch, &request, &oauth)?;
    Ok(f(&signed, &signer))
}

/// Signs a case: the sign-batch output.
pub fn sign(case: &Case, scratch: &mut Scratch) -> Result<Output, CaseError> {
    with_signed(case, scratch, |signed, _| {
        let url_without_fragment = case
            .url
            .split_once('#')
            .map_or(case.url.as_str(), |(u, _)| u);
        let (authorization, url, body) = match case.placement {
            Placement::Header => (
                Some(signed.authorization()),
                url_without_fragment.to_owned(),
                case.body.clone(),
            ),
            Placement::Query => (
                None,
                signed.url_with_parameters(&case.url),
                case.body.clone(),
            ),
            Placement::Body => {
                let body =
                    signed.form_with_parameters(case.body.as_deref().unwrap_or("").as_bytes());
                // The parameters appended are ASCII and the input body was a string.
                (
                    None,
                    url_without_fragment.to_owned(),
                    Some(String::from_utf8_lossy(&body).into_owned()),
                )
            }
        };
        Output {
            signature: signed.signature().to_owned(),
            base_string: signed.base_string().to_owned(),
            authorization,
            url,
            body,
        }
    })
}
