//! The crate's error type. Messages never contain a secret: they name the part of the request
//! that is wrong and, where it helps, a byte position in it.
//!
//! A variant that wraps another error says only what failed at its own level and leaves the
//! cause to [`source`](std::error::Error::source), so that a reporter walking the chain
//! (`anyhow`, `eyre`, [`Chain`]) prints each thing once. To print the whole chain on one line,
//! use [`Chain`].

use thiserror::Error;

/// Every error this crate returns.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The request URL cannot be used to build the base string URI (RFC 5849 §3.4.1.2).
    #[error("invalid request URL")]
    Url(#[from] UrlError),
    /// The query string or form body has an escape that cannot be decoded.
    #[error("cannot decode the {part}")]
    Decode {
        /// Which part of the request holds the bad escape.
        part: RequestPart,
        /// What is wrong, and where.
        #[source]
        error: DecodeError,
    },
    /// An `Authorization` header could not be parsed.
    #[error("invalid Authorization header")]
    Header(#[from] HeaderError),
    /// The query or form body already carries a protocol parameter that the signer sets itself
    /// (for example a leftover `oauth_signature`): the result could not be verified.
    #[error("the {part} already has `{name}`, which the signer sets itself: remove it from the request (or do not set it in OAuthParams)")]
    ParameterClash {
        /// The parameter name.
        name: String,
        /// Where it is.
        part: RequestPart,
    },
    /// A received request failed verification.
    #[error("verification failed")]
    Verify(#[from] VerifyError),
    /// A signing key could not be loaded or used.
    #[error("the key cannot be used")]
    Key(#[from] KeyError),
    /// The operating system's random source failed.
    #[error("the operating system's random number source failed")]
    Random,
    /// The library was called in a way that cannot work. Never caused by untrusted data.
    #[error("API misuse (a bug in the calling code)")]
    Misuse(#[from] Misuse),
}

/// A part of an HTTP request, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestPart {
    /// The URL's query string.
    Query,
    /// The `application/x-www-form-urlencoded` body.
    FormBody,
    /// The `Authorization` header.
    AuthorizationHeader,
}

impl std::fmt::Display for RequestPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RequestPart::Query => "query string",
            RequestPart::FormBody => "form body",
            RequestPart::AuthorizationHeader => "Authorization header",
        })
    }
}

/// A percent-encoded text that cannot be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// `%` not followed by two hex digits.
    #[error(
        "`%` at byte {position} is not followed by two hex digits (write a literal `%` as `%25`)"
    )]
    BadEscape {
        /// Byte offset of the `%`.
        position: usize,
    },
    /// The decoded octets are not UTF-8 where text is required.
    #[error("decoded text is not valid UTF-8 (at decoded byte {position})")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        position: usize,
    },
}

/// Why a URL cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum UrlError {
    /// No `scheme://` prefix: OAuth signs absolute URLs only.
    #[error("the URL is not absolute: it must start with a scheme such as `https://`")]
    NotAbsolute,
    /// The scheme has characters RFC 3986 does not allow.
    #[error("the URL scheme is not valid")]
    InvalidScheme,
    /// The authority has no host.
    #[error("the URL has no host")]
    EmptyHost,
    /// The port is not a number from 0 to 65535.
    #[error("the URL port is not a number from 0 to 65535")]
    InvalidPort,
    /// A character that cannot appear in a URL authority (whitespace, control, `[`…`]` mismatch).
    #[error("the URL host contains an invalid character at byte {position}")]
    InvalidHost {
        /// Byte offset in the URL.
        position: usize,
    },
    /// The URL with the protocol parameters added is not a valid `http::Uri` (for example it
    /// has a raw space or non-ASCII character that the caller should percent-encode first).
    #[error("the URL cannot be an http::Uri once the protocol parameters are added: percent-encode spaces and non-ASCII characters in it first")]
    NotAnHttpUri,
    /// An `http::Request` whose URI has no scheme or authority and no `Host` header.
    #[error("the request URI has no scheme and host, and no Host header says where it goes")]
    NoAuthority,
}

/// Why an `Authorization` header could not be parsed (RFC 5849 §3.5.1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// The header does not use the `OAuth` scheme.
    #[error("the header does not start with the `OAuth` scheme")]
    NotOAuth,
    /// A parameter name percent-decodes to `realm`, which only appears unencoded.
    #[error("the parameter name `{raw}` decodes to `realm`; the realm must be written as `realm=\"...\"`")]
    EncodedRealm {
        /// The name as written.
        raw: String,
    },
    /// The header value is not visible ASCII.
    #[error("the header value is not ASCII text")]
    NotAscii,
    /// The header does not follow `OAuth name="value", name="value"`.
    #[error("syntax error at byte {position}: expected {expected}")]
    Syntax {
        /// Byte offset in the header value.
        position: usize,
        /// What the parser expected there.
        expected: &'static str,
    },
    /// A value is not enclosed in double quotes.
    #[error("the value of `{name}` is not in double quotes")]
    Unquoted {
        /// The parameter name.
        name: String,
    },
    /// A parameter appears twice.
    #[error("parameter `{name}` appears more than once")]
    Duplicate {
        /// The parameter name.
        name: String,
    },
    /// A name or value has an invalid percent-escape.
    #[error("cannot decode parameter `{name}`")]
    Decode {
        /// The parameter name (as received).
        name: String,
        /// The decoding problem.
        #[source]
        error: DecodeError,
    },
    /// The header value is longer than the limit ([`Limits::header_bytes`](crate::Limits)).
    #[error("the header is longer than {limit} bytes")]
    TooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The header has more parameters than the limit
    /// ([`Limits::protocol_parameters`](crate::Limits)).
    #[error("the header has more than {limit} parameters")]
    TooManyParameters {
        /// The limit.
        limit: usize,
    },
    /// A received header carries a parameter that is neither `realm` nor `oauth_*` (nor an
    /// `xoauth_*` extension): only protocol parameters go in the header (RFC 5849 §3.5.1);
    /// send the others in the query or the body.
    #[error("parameter `{name}` is not a protocol parameter (only `realm`, `oauth_*` and `xoauth_*` go in the header)")]
    NotProtocol {
        /// The parameter name (decoded, cut to 64 bytes).
        name: String,
    },
}

/// Why a received request was rejected. The messages are safe to log: they carry no secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No OAuth protocol parameters at all (no `OAuth` header, no `oauth_*` in query or body).
    #[error("the request carries no OAuth parameters")]
    NotSigned,
    /// A required protocol parameter is absent.
    #[error("missing parameter `{0}`")]
    Missing(&'static str),
    /// A protocol parameter was sent more than once (or in more than one place).
    #[error("parameter `{0}` was sent more than once")]
    Duplicate(String),
    /// A protocol parameter value is not UTF-8 text.
    #[error("parameter `{0}` is not valid UTF-8")]
    NotText(&'static str),
    /// `oauth_version` is present and not `1.0`.
    #[error("unsupported oauth_version (only \"1.0\" is accepted)")]
    UnsupportedVersion,
    /// The request is signed with another method than the verifier accepts.
    #[error("signature method `{received}` is not accepted here (expected `{expected}`)")]
    SignatureMethod {
        /// What the request says.
        received: String,
        /// What the verifier uses.
        expected: String,
    },
    /// `oauth_timestamp` is not a non-negative integer.
    #[error("oauth_timestamp is not a number of seconds")]
    InvalidTimestamp,
    /// The timestamp is outside the accepted window.
    #[error(
        "timestamp out of bounds: it is {skew} s away from the server clock (window ±{window} s)"
    )]
    TimestampOutOfWindow {
        /// `timestamp - now`, in seconds (positive: the client clock runs ahead).
        skew: i64,
        /// The accepted window in seconds.
        window: u64,
    },
    /// The nonce was used before with this timestamp and credentials.
    #[error("nonce already used (replayed request)")]
    NonceReused,
    /// The signature does not match.
    #[error("invalid signature")]
    InvalidSignature,
    /// `oauth_body_hash` does not match the body.
    #[error("oauth_body_hash does not match the request body")]
    BodyHashMismatch,
    /// `oauth_body_hash` was sent with a form-encoded body, which the extension forbids.
    #[error("oauth_body_hash must not be sent with a form-encoded body")]
    BodyHashOnForm,
    /// A protocol value is longer than its limit (see [`Limits`](crate::Limits)).
    #[error("parameter `{name}` is longer than {limit} bytes")]
    TooLong {
        /// The parameter name (cut to 64 bytes).
        name: String,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request carries more protocol parameters than the limit
    /// ([`Limits::protocol_parameters`](crate::Limits)).
    #[error("the request has more than {limit} protocol parameters (`realm` and `oauth_*`)")]
    TooManyParameters {
        /// The limit.
        limit: usize,
    },
}

/// `name` for an error message: at most 64 bytes of it (cut on a character boundary, marked
/// `…`), so that an error never carries more of a hostile request than a short line.
pub(crate) fn shown(name: &str) -> String {
    const MAX: usize = 64;
    if name.len() <= MAX {
        return name.to_owned();
    }
    let mut end = MAX;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &name[..end])
}

/// A key that cannot be loaded or used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM text could not be parsed as a PKCS#1 or PKCS#8 RSA key.
    #[error("cannot read the RSA key: expected a PEM `RSA PRIVATE KEY` (PKCS#1) or `PRIVATE KEY` (PKCS#8) block")]
    InvalidPem,
    /// The PEM text could not be parsed as an RSA public key.
    #[error(
        "cannot read the RSA public key: expected a PEM `PUBLIC KEY` or `RSA PUBLIC KEY` block"
    )]
    InvalidPublicPem,
    /// Signing needs a private key; only a public key was given.
    #[error("this RSA method has only a public key and can verify but not sign")]
    NoPrivateKey,
    /// The RSA operation failed (for example, a key too small for the digest).
    #[error("the RSA operation failed; is the key at least 1024 bits?")]
    Rsa,
}

/// A call that cannot work whatever the input: a bug in the calling code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Misuse {
    /// Body placement needs a form body (or none), not another content type.
    #[error("protocol parameters can go in the body only when it is application/x-www-form-urlencoded or empty; use header placement")]
    BodyPlacementNeedsForm,
    /// `oauth_body_hash` applies to non-form bodies only.
    #[error("oauth_body_hash applies only to bodies that are not form-encoded")]
    BodyHashWithForm,
    /// An extra protocol parameter whose name does not start with `oauth_` or `xoauth_`, or that
    /// the signer sets itself.
    #[error("extra protocol parameter `{0}` must start with `oauth_`/`xoauth_` and must not be one the signer sets")]
    ExtraParameter(String),
    /// The signature method name is unknown.
    #[error("unknown signature method `{0}` (HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, PLAINTEXT, RSA-SHA1, RSA-SHA256, RSA-SHA512)")]
    UnknownMethod(String),
    /// An RSA method was named without a key, or the `rsa` feature is off.
    #[error("{0} needs an RSA private key (and the `rsa` feature of oauth1-core)")]
    RsaKeyRequired(&'static str),
    /// The HTTP method is empty or not a token.
    #[error("the HTTP method is empty or has characters a method cannot have")]
    InvalidMethod,
    /// A key prepared for one method was used with another.
    #[error("the key was prepared for another signature method")]
    KeyMismatch,
    /// The realm has a control character or a byte outside ASCII, so it cannot be a quoted
    /// string in the Authorization header.
    #[error("the realm must be printable ASCII (spaces and tabs allowed): it goes into the Authorization header as a quoted string")]
    InvalidRealm,
    /// A value could not be put in an HTTP header.
    #[error("the Authorization value cannot be put in an HTTP header")]
    InvalidHeaderValue,
    /// A compatibility setting ([`compat`](crate::compat)) was asked for with a signature
    /// method it does not change.
    #[error("the {setting} compatibility setting signs with {methods}, not `{method}`")]
    NoCompatMethod {
        /// The setting's name, e.g. `pecl-oauth-provider`.
        setting: &'static str,
        /// The method asked for.
        method: String,
        /// The methods the setting has.
        methods: &'static str,
    },
}

/// An error followed by its causes, on one line: `a: b: c`. `Display` of an error says only
/// what failed at its level (the cause is its [`source`](std::error::Error::source)); print
/// this where a person reads the message and no error reporter walks the chain.
///
/// A cause whose text is already in the line is left out, so an error from another library
/// that repeats its source is still printed once.
///
/// ```
/// use oauth1_core::{Chain, Error, UrlError};
/// let error = Error::from(UrlError::NotAbsolute);
/// assert_eq!(error.to_string(), "invalid request URL");
/// assert_eq!(
///     Chain(&error).to_string(),
///     "invalid request URL: the URL is not absolute: it must start with a scheme such as `https://`"
/// );
/// ```
#[derive(Clone, Copy)]
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut line = self.0.to_string();
        let mut current = self.0.source();
        while let Some(cause) = current {
            let text = cause.to_string();
            if !text.is_empty() && !line.contains(&text) {
                line.push_str(": ");
                line.push_str(&text);
            }
            current = cause.source();
        }
        f.write_str(&line)
    }
}

impl std::fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}
