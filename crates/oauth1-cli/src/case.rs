//! One signing case: the input object of `oauth1 sign --batch` (and of single-shot `oauth1 sign`,
//! whose flags fill the same structure), and its signing.

use std::fmt;

use oauth1_core::{
    AnyMethod, Body, ClientCredentials, Error, Misuse, OAuthParams, Request, RsaKey, RsaSha1,
    RsaSha256, RsaSha512, Scratch, Signed, Signer, TokenCredentials,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

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

/// An opt-in departure from RFC 5849 for a server that verifies as a widely deployed peer does
/// ([`oauth1_core::compat`]; docs/interop.md has the base strings side by side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
pub enum Compat {
    /// PHP's PECL `oauth` `OAuthProvider`: HMAC-SHA1, HMAC-SHA256 and PLAINTEXT keyed with the
    /// secrets as they are, not percent-encoded; a server that follows the RFC then refuses a
    /// secret holding anything but letters, digits and `-._~`.
    #[serde(rename = "pecl-oauth-provider")]
    #[value(name = "pecl-oauth-provider")]
    PeclOAuthProvider,
}

impl Compat {
    /// The signature method `name` (HMAC-SHA1, ...) as this setting signs it.
    pub fn method(self, name: &str) -> Result<AnyMethod, Error> {
        match self {
            Compat::PeclOAuthProvider => {
                oauth1_core::compat::PeclOAuthProvider::from_name(name).map(AnyMethod::from)
            }
        }
    }
}

/// A request to sign, with everything that goes into its signature: the input object of the
/// `sign-batch` format (see [`crate::batch`]). Fields the format does not know are ignored.
///
/// Its `Debug` leaves out the secrets and the RSA key.
#[derive(Clone, Deserialize)]
pub struct Case {
    /// HTTP method, any case.
    pub method: String,
    /// Absolute URL, may carry a query and a fragment.
    pub url: String,
    /// The body as sent.
    #[serde(default)]
    pub body: Option<String>,
    /// The body's content type; only `application/x-www-form-urlencoded` makes the body's
    /// parameters part of the signature.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Consumer key.
    pub consumer_key: String,
    /// Consumer secret.
    pub consumer_secret: String,
    /// `oauth_token` (`None`: no token; `""`: an empty one is sent).
    #[serde(default)]
    pub token: Option<String>,
    /// Token secret (`None` and `""` both mean empty; ignored without a token).
    #[serde(default)]
    pub token_secret: Option<String>,
    /// `oauth_signature_method`.
    pub signature_method: String,
    /// PEM private key (PKCS#1 or PKCS#8) for the RSA methods; whitespace around it is ignored.
    #[serde(default)]
    pub rsa_private_key: Option<String>,
    /// A compatibility setting (`"pecl-oauth-provider"`) that changes how `signature_method`
    /// signs; none: RFC 5849.
    #[serde(default)]
    pub compat: Option<Compat>,
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
    /// Whether `oauth_body_hash` is sent (non-form bodies only).
    #[serde(default)]
    pub body_hash: bool,
    /// Further protocol parameters, `[name, value]`.
    #[serde(default)]
    pub extra_oauth_params: Vec<(String, String)>,
    /// The input's `id`, any JSON value (`null` included), echoed back as written.
    #[serde(default, deserialize_with = "present")]
    pub id: Option<Box<RawValue>>,
}

fn yes() -> bool {
    true
}

/// `Some` for any value, `null` included (a plain `Option` would turn `null` into `None`).
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(d).map(Some)
}

/// The secrets and the RSA key are wiped from memory when a case goes away.
impl Drop for Case {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.consumer_secret.zeroize();
        self.token_secret.zeroize();
        self.rsa_private_key.zeroize();
    }
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field("consumer_key", &self.consumer_key)
            .field("token", &self.token)
            .field("signature_method", &self.signature_method)
            .field("compat", &self.compat)
            .field("placement", &self.placement)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Case {
    /// The body as the core sees it: a form only with a form content type.
    pub fn body(&self) -> Body<'_> {
        match &self.body {
            None => Body::None,
            Some(b) => Body::from_content_type(self.content_type.as_deref(), b.as_bytes()),
        }
    }

    /// The token secret the signer uses: empty without a token.
    pub fn effective_token_secret(&self) -> &str {
        match &self.token {
            Some(_) => self.token_secret.as_deref().unwrap_or(""),
            None => "",
        }
    }

    /// The URL without its fragment (what is sent for header and body placement).
    pub fn url_without_fragment(&self) -> &str {
        self.url
            .split_once('#')
            .map_or(self.url.as_str(), |(u, _)| u)
    }

    /// The protocol values of the case.
    pub fn oauth_params(&self) -> Result<OAuthParams<'_>, CaseError> {
        let timestamp = parse_timestamp(&self.timestamp)?;
        let mut oauth = OAuthParams::new(self.nonce.as_str(), timestamp).version(self.version);
        if let Some(r) = &self.realm {
            oauth = oauth.realm(r);
        }
        if let Some(c) = &self.callback {
            oauth = oauth.callback(c);
        }
        if let Some(v) = &self.verifier {
            oauth = oauth.verifier(v);
        }
        for (name, value) in &self.extra_oauth_params {
            oauth = oauth.extra(name, value);
        }
        Ok(oauth.body_hash(self.body_hash))
    }

    /// Signs the case in `scratch` (reuse it for the next case: its buffers are kept) and
    /// returns the `sign-batch` output.
    pub fn sign(&self, scratch: &mut Scratch) -> Result<Output, CaseError> {
        self.with_signed(scratch, |signed, _| Output::new(self, signed))
    }

    /// Signs the case in `scratch` and hands the result and the signer to `f`, for rendering.
    pub fn with_signed<R>(
        &self,
        scratch: &mut Scratch,
        f: impl FnOnce(&Signed<'_>, &Signer<AnyMethod>) -> R,
    ) -> Result<R, CaseError> {
        let client =
            ClientCredentials::new(self.consumer_key.as_str(), self.consumer_secret.as_str());
        let token = self
            .token
            .as_deref()
            .map(|t| TokenCredentials::new(t, self.effective_token_secret()));
        let signer = Signer::new(self.any_method()?, &client, token.as_ref())?;
        let oauth = self.oauth_params()?;
        let body = self.body();
        if self.placement == Placement::Body && !matches!(body, Body::Form(_) | Body::None) {
            return Err(Error::Misuse(Misuse::BodyPlacementNeedsForm).into());
        }
        let request = Request::new(&self.method, &self.url).with_body(body);
        let signed = signer.sign(scratch, &request, &oauth)?;
        Ok(f(&signed, &signer))
    }

    /// The signature method, with its RSA key read when it needs one, as the `compat` setting
    /// signs it when there is one.
    pub fn any_method(&self) -> Result<AnyMethod, CaseError> {
        let name = self.signature_method.as_str();
        if let Some(compat) = self.compat {
            return Ok(compat.method(name)?);
        }
        let with_key: fn(RsaKey) -> AnyMethod = match name {
            "RSA-SHA1" => |k| AnyMethod::RsaSha1(RsaSha1::new(k)),
            "RSA-SHA256" => |k| AnyMethod::RsaSha256(RsaSha256::new(k)),
            "RSA-SHA512" => |k| AnyMethod::RsaSha512(RsaSha512::new(k)),
            _ => return Ok(AnyMethod::from_name(name)?),
        };
        let pem = self.rsa_private_key.as_deref().ok_or_else(|| {
            CaseError::new(
                "invalid_rsa_key",
                format!("{name} needs rsa_private_key (a PEM private key)"),
            )
        })?;
        // The core refuses anything after the last PEM line, even a second newline.
        Ok(with_key(RsaKey::from_private_pem(pem.trim())?))
    }
}

/// `oauth_timestamp` as a number: decimal digits only (no sign, no space), fitting in 64 bits.
fn parse_timestamp(ts: &str) -> Result<u64, CaseError> {
    if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CaseError::new(
            "invalid_timestamp",
            "timestamp must be a decimal number of seconds",
        ));
    }
    ts.parse::<u64>()
        .map_err(|_| CaseError::new("invalid_timestamp", "timestamp does not fit in 64 bits"))
}

/// What signing a case produces: the `sign-batch` output object (without `id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Output {
    /// `oauth_signature`, not percent-encoded.
    pub signature: String,
    /// The signature base string (for PLAINTEXT, the one the other methods would sign).
    pub base_string: String,
    /// The Authorization header value for header placement, else `None`.
    pub authorization: Option<String>,
    /// The URL to send: without its fragment, and with the protocol parameters for query
    /// placement.
    pub url: String,
    /// The body to send: with the protocol parameters for body placement, else the input body.
    pub body: Option<String>,
}

impl Output {
    /// The output of `case`, signed as `signed`.
    pub fn new(case: &Case, signed: &Signed<'_>) -> Self {
        let (authorization, url, body) = match case.placement {
            Placement::Header => (
                Some(signed.authorization()),
                case.url_without_fragment().to_owned(),
                case.body.clone(),
            ),
            Placement::Query => (
                None,
                signed.url_with_parameters(&case.url),
                case.body.clone(),
            ),
            Placement::Body => {
                let body = case.body.as_deref().unwrap_or("");
                let with = signed.form_with_parameters(body.as_bytes());
                // A string with ASCII parameters appended: always UTF-8, nothing is replaced.
                let with = String::from_utf8_lossy(&with).into_owned();
                (None, case.url_without_fragment().to_owned(), Some(with))
            }
        };
        Output {
            signature: signed.signature().to_owned(),
            base_string: signed.base_string().to_owned(),
            authorization,
            url,
            body,
        }
    }

    /// What to send, as single-shot `oauth1 sign` prints it: the `Authorization: OAuth ...`
    /// header line for header placement, else the URL (query) or the body (body placement).
    pub fn to_send(&self, placement: Placement) -> String {
        match (placement, &self.authorization, &self.body) {
            (Placement::Header, Some(authorization), _) => {
                format!("Authorization: {authorization}")
            }
            (Placement::Body, _, Some(body)) => body.clone(),
            _ => self.url.clone(),
        }
    }
}

/// Why a case could not be signed: a stable machine-readable kind (listed in [`crate::batch`])
/// and a message for people. Messages never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.kind)
    }
}

impl std::error::Error for CaseError {}

impl From<Error> for CaseError {
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Url(_) => "invalid_url",
            Error::Decode { .. } => "invalid_encoding",
            Error::Key(_) | Error::Misuse(Misuse::RsaKeyRequired(_)) => "invalid_rsa_key",
            Error::Misuse(Misuse::UnknownMethod(_) | Misuse::NoCompatMethod { .. }) => {
                "unknown_signature_method"
            }
            Error::Misuse(Misuse::BodyPlacementNeedsForm) => "invalid_placement",
            Error::Misuse(Misuse::BodyHashWithForm) => "invalid_body_hash",
            Error::Misuse(Misuse::ExtraParameter(_)) | Error::ParameterClash { .. } => {
                "invalid_parameter"
            }
            Error::Misuse(Misuse::InvalidMethod) => "invalid_method",
            Error::Misuse(Misuse::InvalidRealm) => "invalid_field",
            _ => "signing_failed",
        };
        // A misuse of the library is a mistake in the input here: its own words, without the
        // library's "API misuse (a bug in the calling code)".
        let message = match &e {
            Error::Misuse(misuse) => misuse.to_string(),
            _ => oauth1_core::Chain(&e).to_string(),
        };
        CaseError::new(kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secrets() {
        let case: Case = serde_json::from_str(
            r#"{"method": "GET", "url": "https://a.example/", "consumer_key": "k",
                "consumer_secret": "consumer-secret", "token": "t", "token_secret": "token-secret",
                "signature_method": "RSA-SHA1", "rsa_private_key": "-----BEGIN PRIVATE KEY-----",
                "placement": "header", "nonce": "n", "timestamp": "1"}"#,
        )
        .unwrap();
        let debug = format!("{case:?}");
        assert!(debug.contains("consumer_key: \"k\""), "{debug}");
        assert!(
            !debug.contains("secret") && !debug.contains("PRIVATE"),
            "{debug}"
        );
    }
}
