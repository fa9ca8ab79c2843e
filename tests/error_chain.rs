//! Errors say each thing once (issue 19).
//!
//! An error that wraps another says what failed at its own level ("invalid request URL",
//! "resource request failed") and leaves the cause to [`Error::source`]: reporters such as
//! `anyhow`, `eyre` and [`oauth1_core::Chain`] print the chain of sources after it, so a
//! `Display` that repeats its source (`#[error("invalid request URL: {0}")]`) shows the cause
//! twice.
//!
//! This test builds every variant of every public error type the crates can produce (by calling
//! the API with bad input where that is practical, directly where it is not), walks `source()`
//! to the end, and fails when a message contains the text of an error further down its chain,
//! or repeats the text of one further up.
//!
//! # Adding an error type (or a variant)
//! Add its values to the function of its crate below (`core_errors`, `flow_errors`,
//! `server_errors`, `transport_errors`, `twitter_errors`, `cli_errors`; a new crate gets a new
//! function, listed in [`all`]): one value per variant, each with a label `Type::Variant`.
//! Produce it through the API if a few lines can; build it directly otherwise. Give a wrapping
//! variant a real source (one whose own message is not empty), so the test can see a repeat.

// The helpers that build the errors are not `#[test]` functions, which the workspace's clippy
// settings allow to unwrap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::error::Error;
use std::path::PathBuf;

use oauth1_core::{Chain, DecodeError, HeaderError, KeyError, Misuse, RequestPart, UrlError};
use oauth1_flow::{Step, TransportError, TransportErrorKind};

/// A labelled error.
type Case = (&'static str, Box<dyn Error + Send + Sync + 'static>);

fn case(label: &'static str, error: impl Error + Send + Sync + 'static) -> Case {
    (label, Box::new(error))
}

/// The texts of `error` and of its sources, in order.
fn chain_texts(error: &(dyn Error + 'static)) -> Vec<String> {
    let mut texts = Vec::new();
    let mut current = Some(error);
    while let Some(e) = current {
        texts.push(e.to_string());
        current = e.source();
    }
    texts
}

/// What is wrong with the chain of `error`, if anything.
fn repeats(label: &str, error: &(dyn Error + 'static)) -> Vec<String> {
    let texts = chain_texts(error);
    let mut problems = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        if text.trim().is_empty() {
            problems.push(format!(
                "{label}: level {i} of the chain has an empty message"
            ));
            continue;
        }
        for (j, other) in texts.iter().enumerate().skip(i + 1) {
            if other.trim().is_empty() {
                continue;
            }
            if text.contains(other.as_str()) {
                problems.push(format!(
                    "{label}: level {i} `{text}` repeats the text of its source at level {j} \
                     `{other}`: say what failed at this level and leave the cause to source()"
                ));
            } else if other.contains(text.as_str()) {
                problems.push(format!(
                    "{label}: level {j} `{other}` repeats the text of level {i} `{text}` above it"
                ));
            }
        }
    }
    problems
}

fn io_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused")
}

fn transport_error() -> TransportError {
    TransportError::with_source(
        TransportErrorKind::Connect,
        "127.0.0.1:1: check that the host is up",
        io_error(),
    )
}

fn core_error() -> oauth1_core::Error {
    // Produced: a relative URL cannot be signed.
    let signer = oauth1_core::Signer::new(
        oauth1_core::HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    signer
        .authorization(
            &oauth1_core::Request::new("GET", "photos.example.net/photos"),
            &oauth1_core::OAuthParams::new("nonce", 1),
        )
        .unwrap_err()
}

fn core_errors() -> Vec<Case> {
    use oauth1_core::Error as E;
    use oauth1_core::VerifyError as V;
    let decode = DecodeError::BadEscape { position: 3 };
    let url = core_error();
    assert!(matches!(url, E::Url(UrlError::NotAbsolute)), "{url:?}");
    vec![
        case("core::Error::Url (produced)", url),
        case(
            "core::Error::Decode",
            E::Decode {
                part: RequestPart::Query,
                error: decode,
            },
        ),
        case(
            "core::Error::Header",
            E::Header(HeaderError::Decode {
                name: "oauth_nonce".into(),
                error: decode,
            }),
        ),
        case(
            "core::Error::ParameterClash",
            E::ParameterClash {
                name: "oauth_signature".into(),
                part: RequestPart::FormBody,
            },
        ),
        case("core::Error::Verify", E::Verify(V::InvalidSignature)),
        case("core::Error::Key", E::Key(KeyError::InvalidPem)),
        case("core::Error::Random", E::Random),
        case("core::Error::Misuse", E::Misuse(Misuse::InvalidRealm)),
        case("core::DecodeError::BadEscape", decode),
        case(
            "core::DecodeError::InvalidUtf8",
            DecodeError::InvalidUtf8 { position: 1 },
        ),
        case("core::UrlError::NotAbsolute", UrlError::NotAbsolute),
        case("core::UrlError::InvalidScheme", UrlError::InvalidScheme),
        case("core::UrlError::EmptyHost", UrlError::EmptyHost),
        case("core::UrlError::InvalidPort", UrlError::InvalidPort),
        case(
            "core::UrlError::InvalidHost",
            UrlError::InvalidHost { position: 9 },
        ),
        case("core::UrlError::NotAnHttpUri", UrlError::NotAnHttpUri),
        case("core::UrlError::NoAuthority", UrlError::NoAuthority),
        case("core::HeaderError::NotOAuth", HeaderError::NotOAuth),
        case(
            "core::HeaderError::EncodedRealm",
            HeaderError::EncodedRealm {
                raw: "re%61lm".into(),
            },
        ),
        case("core::HeaderError::NotAscii", HeaderError::NotAscii),
        case(
            "core::HeaderError::Syntax",
            HeaderError::Syntax {
                position: 6,
                expected: "`=`",
            },
        ),
        case(
            "core::HeaderError::Unquoted",
            HeaderError::Unquoted {
                name: "oauth_nonce".into(),
            },
        ),
        case(
            "core::HeaderError::Duplicate",
            HeaderError::Duplicate {
                name: "oauth_nonce".into(),
            },
        ),
        case(
            "core::HeaderError::Decode",
            HeaderError::Decode {
                name: "oauth_nonce".into(),
                error: decode,
            },
        ),
        case(
            "core::HeaderError::TooLong",
            HeaderError::TooLong { limit: 8192 },
        ),
        case(
            "core::HeaderError::TooManyParameters",
            HeaderError::TooManyParameters { limit: 32 },
        ),
        case(
            "core::HeaderError::NotProtocol",
            HeaderError::NotProtocol {
                name: "status".into(),
            },
        ),
        case("core::VerifyError::NotSigned", V::NotSigned),
        case("core::VerifyError::Missing", V::Missing("oauth_nonce")),
        case(
            "core::VerifyError::Duplicate",
            V::Duplicate("oauth_nonce".into()),
        ),
        case("core::VerifyError::NotText", V::NotText("oauth_nonce")),
        case(
            "core::VerifyError::UnsupportedVersion",
            V::UnsupportedVersion,
        ),
        case(
            "core::VerifyError::SignatureMethod",
            V::SignatureMethod {
                received: "PLAINTEXT".into(),
                expected: "HMAC-SHA1".into(),
            },
        ),
        case("core::VerifyError::InvalidTimestamp", V::InvalidTimestamp),
        case(
            "core::VerifyError::TimestampOutOfWindow",
            V::TimestampOutOfWindow {
                skew: 900,
                window: 300,
            },
        ),
        case("core::VerifyError::NonceReused", V::NonceReused),
        case("core::VerifyError::InvalidSignature", V::InvalidSignature),
        case("core::VerifyError::BodyHashMismatch", V::BodyHashMismatch),
        case("core::VerifyError::BodyHashOnForm", V::BodyHashOnForm),
        case(
            "core::VerifyError::TooLong",
            V::TooLong {
                name: "oauth_nonce".into(),
                limit: 256,
            },
        ),
        case(
            "core::VerifyError::TooManyParameters",
            V::TooManyParameters { limit: 32 },
        ),
        case("core::KeyError::InvalidPem", KeyError::InvalidPem),
        case(
            "core::KeyError::InvalidPublicPem",
            KeyError::InvalidPublicPem,
        ),
        case("core::KeyError::NoPrivateKey", KeyError::NoPrivateKey),
        case("core::KeyError::Rsa", KeyError::Rsa),
        case(
            "core::Misuse::BodyPlacementNeedsForm",
            Misuse::BodyPlacementNeedsForm,
        ),
        case("core::Misuse::BodyHashWithForm", Misuse::BodyHashWithForm),
        case(
            "core::Misuse::ExtraParameter",
            Misuse::ExtraParameter("status".into()),
        ),
        case(
            "core::Misuse::UnknownMethod",
            Misuse::UnknownMethod("HMAC-MD5".into()),
        ),
        case(
            "core::Misuse::RsaKeyRequired",
            Misuse::RsaKeyRequired("RSA-SHA1"),
        ),
        case("core::Misuse::InvalidMethod", Misuse::InvalidMethod),
        case("core::Misuse::KeyMismatch", Misuse::KeyMismatch),
        case("core::Misuse::InvalidRealm", Misuse::InvalidRealm),
        case(
            "core::Misuse::InvalidHeaderValue",
            Misuse::InvalidHeaderValue,
        ),
        case(
            "core::Misuse::NoCompatMethod",
            oauth1_core::compat::PeclOAuthProvider::from_name("RSA-SHA1").unwrap_err(),
        ),
    ]
}

fn flow_errors(dir: &std::path::Path) -> Vec<Case> {
    use oauth1_flow::secret_file::{self, Operation, SecretFileError as S};
    use oauth1_flow::Error as E;
    let http_error = http::Request::builder()
        .uri("http://example.com/a b")
        .body(())
        .unwrap_err();
    let provider_error = oauth1_flow::ProviderError::parse(
        http::StatusCode::UNAUTHORIZED,
        &http::HeaderMap::new(),
        b"oauth_problem=signature_invalid",
    );
    // Produced: files of secrets that cannot be read or written.
    let missing = dir.join("missing");
    let not_found = secret_file::read(&missing).unwrap_err();
    assert!(matches!(not_found, S::NotFound { .. }), "{not_found:?}");
    let plain = dir.join("plain");
    std::fs::write(&plain, b"x").unwrap();
    // A path through a regular file: the system says "not a directory".
    let io = secret_file::read(&plain.join("below")).unwrap_err();
    assert!(matches!(io, S::Io { .. }), "{io:?}");
    let not_regular = secret_file::read(dir).unwrap_err();
    assert!(
        matches!(not_regular, S::NotRegular { .. }),
        "{not_regular:?}"
    );
    let garbage = dir.join("token.json");
    secret_file::write(&garbage, b"not json").unwrap();
    let format = oauth1_flow::AccessToken::load(&garbage).unwrap_err();
    assert!(
        matches!(format, oauth1_flow::TokenFileError::Format { .. }),
        "{format:?}"
    );
    let file = oauth1_flow::AccessToken::load(&missing).unwrap_err();
    let path = PathBuf::from("/home/me/.config/oauth1/token.json");
    vec![
        case(
            "flow::Error::Transport",
            E::Transport {
                step: Step::Resource,
                source: transport_error(),
            },
        ),
        case("flow::Error::Signing (produced)", E::Signing(core_error())),
        case(
            "flow::Error::Provider",
            E::Provider {
                step: Step::AccessToken,
                error: Box::new(provider_error),
            },
        ),
        case(
            "flow::Error::NotFormEncoded",
            E::NotFormEncoded {
                step: Step::RequestToken,
                content_type: "text/html".into(),
                snippet: "<html>".into(),
            },
        ),
        case(
            "flow::Error::MissingField",
            E::MissingField {
                step: Step::RequestToken,
                field: "oauth_token",
            },
        ),
        case("flow::Error::CallbackNotConfirmed", E::CallbackNotConfirmed),
        case("flow::Error::TokenMismatch", E::TokenMismatch),
        case("flow::Error::MissingVerifier", E::MissingVerifier),
        case("flow::Error::Denied", E::Denied),
        case("flow::Error::EmptyPin", E::EmptyPin),
        case(
            "flow::Error::BadCallback",
            E::BadCallback(DecodeError::BadEscape { position: 0 }),
        ),
        case("flow::Error::XAuthNotOffered", E::XAuthNotOffered),
        case("flow::Error::NoEndpoint", E::NoEndpoint("invalidate-token")),
        case(
            "flow::Error::InvalidUrl",
            E::InvalidUrl {
                what: "request-token",
                url: "example.com".into(),
            },
        ),
        case("flow::Error::LineTooLong", E::LineTooLong { limit: 1024 }),
        case("flow::Error::Request", E::Request(http_error)),
        case("flow::TransportError (with a source)", transport_error()),
        case(
            "flow::TransportError",
            TransportError::new(TransportErrorKind::Timeout, "no answer within 30 s"),
        ),
        case("flow::SecretFileError::NotFound (produced)", not_found),
        case("flow::SecretFileError::Io (produced)", io),
        case(
            "flow::SecretFileError::Io",
            S::Io {
                path: path.clone(),
                operation: Operation::Read,
                source: io_error(),
            },
        ),
        case(
            "flow::SecretFileError::Symlink",
            S::Symlink { path: path.clone() },
        ),
        case("flow::SecretFileError::NotRegular (produced)", not_regular),
        case(
            "flow::SecretFileError::Owner",
            S::Owner {
                path: path.clone(),
                owner: 0,
                user: 1000,
            },
        ),
        case(
            "flow::SecretFileError::Permissions",
            S::Permissions {
                path: path.clone(),
                mode: 0o644,
            },
        ),
        case(
            "flow::SecretFileError::TooLarge",
            S::TooLarge {
                path: path.clone(),
                limit: 1 << 20,
            },
        ),
        case(
            "flow::SecretFileError::NotUtf8",
            S::NotUtf8 { path: path.clone() },
        ),
        case(
            "flow::SecretFileError::UnsafeDirectory",
            S::UnsafeDirectory {
                dir: PathBuf::from("/tmp"),
                mode: 0o777,
            },
        ),
        case(
            "flow::SecretFileError::NoFileName",
            S::NoFileName {
                path: PathBuf::from("/"),
            },
        ),
        case("flow::TokenFileError::File (produced)", file),
        case("flow::TokenFileError::Format (produced)", format),
    ]
}

fn server_errors() -> Vec<Case> {
    use oauth1_server::{Rejection as R, ServerError, StoreError, VerifyFailure};
    // Produced: the local provider cannot listen on a port that is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = runtime.block_on(oauth1_server::LocalProvider::start_with(
        oauth1_server::LocalProviderConfig::default().addr(addr),
    ));
    let Err(bind) = started else {
        panic!("the local provider started on a port that is taken")
    };
    assert!(matches!(bind, ServerError::Bind { .. }), "{bind:?}");
    let store = || StoreError::new("nonce", "Redis command: Io (io)").with_source(io_error());
    vec![
        case("server::Rejection::NotSigned", R::NotSigned),
        case(
            "server::Rejection::Malformed",
            R::Malformed(Chain(&core_error()).to_string()),
        ),
        case(
            "server::Rejection::UnknownConsumer",
            R::UnknownConsumer("key".into()),
        ),
        case("server::Rejection::UnknownToken", R::UnknownToken),
        case(
            "server::Rejection::WrongToken",
            R::WrongToken("an access token"),
        ),
        case(
            "server::Rejection::UnsupportedMethod",
            R::UnsupportedMethod("HMAC-MD5".into()),
        ),
        case("server::Rejection::BadSignature", R::BadSignature),
        case(
            "server::Rejection::StaleTimestamp",
            R::StaleTimestamp {
                skew: 900,
                window: 300,
                now: 1_700_000_000,
            },
        ),
        case("server::Rejection::ReplayedNonce", R::ReplayedNonce),
        case("server::Rejection::BodyHash", R::BodyHash),
        case(
            "server::Rejection::BodyTooLarge",
            R::BodyTooLarge { limit: 1 << 20 },
        ),
        case("server::Rejection::BodyUnreadable", R::BodyUnreadable),
        case("server::Rejection::PlaintextOverHttp", R::PlaintextOverHttp),
        case(
            "server::Rejection::Concealed",
            R::Concealed(Box::new(R::BadSignature)),
        ),
        case(
            "server::VerifyFailure::Rejected",
            VerifyFailure::Rejected(R::BadSignature),
        ),
        case(
            "server::VerifyFailure::Store",
            VerifyFailure::Store(store()),
        ),
        case("server::StoreError", store()),
        case(
            "server::StoreError (no source)",
            StoreError::new("credential", "database unreachable"),
        ),
        case("server::ServerError::Bind (produced)", bind),
        case(
            "server::ServerError::CallbackPrefix",
            ServerError::CallbackPrefix {
                consumer_key: "key".into(),
                prefix: "ftp://example.com".into(),
            },
        ),
        case(
            "server::ServerError::RsaKey",
            ServerError::RsaKey {
                consumer_key: "jira-consumer".into(),
            },
        ),
        case(
            "server::ServerError::ActivationEndpoint",
            ServerError::ActivationEndpoint("https://app.example/activate".into()),
        ),
        case(
            "server::ServerError::Activation",
            ServerError::Activation {
                endpoint: "http://127.0.0.1:9/activate".into(),
                source: io_error(),
            },
        ),
        case("server::ServerError::Io", ServerError::Io(io_error())),
        case("server::NotVerified", oauth1_server::NotVerified),
        case(
            "server::testkit::Failure",
            oauth1_server::testkit::Failure {
                step: "request token",
                message: Chain(&oauth1_flow::Error::Transport {
                    step: Step::RequestToken,
                    source: transport_error(),
                })
                .to_string(),
            },
        ),
    ]
}

fn transport_errors() -> Vec<Case> {
    use oauth1_flow::BlockingHttpClient;
    use oauth1_transport_reqwest::{BuildError, OAuth1RequestBuilderExt, SignError};
    use oauth1_transport_ureq::UreqTransport;
    // Produced: reqwest refuses a URL that is not one.
    let client = oauth1_transport_reqwest::client_builder()
        .unwrap()
        .build()
        .unwrap();
    let builder_error = client.clone().get("not a url").build().unwrap_err();
    let signer = oauth1_core::Signer::new(
        oauth1_core::HmacSha1,
        &oauth1_core::ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let Err(build) = client.clone().get("not a url").oauth1(&signer) else {
        panic!("reqwest built a request to `not a url`")
    };
    assert!(matches!(build, SignError::Build(_)), "{build:?}");
    // Produced: nothing listens on a port just closed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = UreqTransport::new()
        .send(
            http::Request::get(format!("http://127.0.0.1:{port}/"))
                .body(Vec::new())
                .unwrap(),
        )
        .unwrap_err();
    vec![
        case(
            "reqwest::BuildError::Client",
            BuildError::Client(builder_error),
        ),
        case("reqwest::SignError::Build (produced)", build),
        case("reqwest::SignError::Sign", SignError::Sign(core_error())),
        case(
            "reqwest::SignError::StreamingBody",
            SignError::StreamingBody,
        ),
        case("ureq::TransportError (produced)", refused),
    ]
}

fn twitter_errors() -> Vec<Case> {
    use oauth1_provider_twitter::{ApiError, Error as E};
    let json = serde_json::from_slice::<serde_json::Value>(b"{\"id\": ").unwrap_err();
    let api = ApiError {
        error: oauth1_flow::ProviderError::parse(
            http::StatusCode::TOO_MANY_REQUESTS,
            &http::HeaderMap::new(),
            br#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
        ),
        rate_limit: None,
    };
    vec![
        case(
            "twitter::Error::Flow",
            E::Flow(oauth1_flow::Error::Signing(core_error())),
        ),
        case("twitter::Error::Api", E::Api(Box::new(api))),
        case("twitter::Error::Body", E::Body(json)),
    ]
}

fn providers_errors() -> Vec<Case> {
    use oauth1_providers::discogs::UserAgentError;
    use oauth1_providers::jira::JiraKeyError;
    use oauth1_providers::lti::LaunchError;
    use oauth1_providers::magento::ActivationError;
    use oauth1_providers::netsuite::AccountIdError;
    use oauth1_providers::{BaseUrlError, PresetError};
    let base = || BaseUrlError::NotAbsolute {
        shown: "shop.example".into(),
    };
    let request = http::Request::builder()
        .uri("not a uri")
        .body(())
        .unwrap_err();
    vec![
        case(
            "providers::PresetError::Unknown",
            PresetError::Unknown {
                name: "flikr".into(),
                valid: vec!["flickr", "netsuite"],
            },
        ),
        case(
            "providers::PresetError::Missing",
            PresetError::Missing {
                preset: "netsuite",
                option: "account",
                help: "the account id",
            },
        ),
        case(
            "providers::PresetError::NotTaken",
            PresetError::NotTaken {
                preset: "tumblr",
                option: "perms",
                takes: vec!["base-url"],
            },
        ),
        case(
            "providers::PresetError::BadValue",
            PresetError::BadValue {
                preset: "flickr",
                option: "perms",
                value: "all".into(),
                valid: &["read", "write", "delete"],
            },
        ),
        case(
            "providers::PresetError::Account",
            PresetError::Account(AccountIdError::Invalid {
                shown: "12 34".into(),
            }),
        ),
        case(
            "providers::PresetError::BaseUrl",
            PresetError::BaseUrl {
                preset: "jira",
                source: base(),
            },
        ),
        case(
            "providers::PresetError::UserAgent",
            PresetError::UserAgent(UserAgentError::Empty),
        ),
        case("providers::AccountIdError::Empty", AccountIdError::Empty),
        case(
            "providers::AccountIdError::Host",
            AccountIdError::Host {
                shown: "1234567.app.netsuite.com".into(),
            },
        ),
        case(
            "providers::BaseUrlError::Missing",
            BaseUrlError::Missing {
                service: "Jira",
                example: "https://jira.example.com",
            },
        ),
        case(
            "providers::BaseUrlError::QueryOrFragment",
            BaseUrlError::QueryOrFragment {
                shown: "https://shop.example/?a=1".into(),
            },
        ),
        case(
            "providers::UserAgentError::Invalid",
            UserAgentError::Invalid,
        ),
        case(
            "providers::ActivationError::TooLarge",
            ActivationError::TooLarge { limit: 8192 },
        ),
        case(
            "providers::ActivationError::NotForm",
            ActivationError::NotForm,
        ),
        case(
            "providers::ActivationError::Encoding",
            ActivationError::Encoding,
        ),
        case(
            "providers::ActivationError::Missing",
            ActivationError::Missing("oauth_verifier"),
        ),
        case(
            "providers::ActivationError::Duplicate",
            ActivationError::Duplicate("oauth_consumer_key"),
        ),
        case(
            "providers::ActivationError::StoreUrl",
            ActivationError::StoreUrl(base()),
        ),
        case(
            "providers::JiraKeyError::Key",
            JiraKeyError::Key(core_error()),
        ),
        case(
            "providers::LaunchError::EmptyResourceLink",
            LaunchError::EmptyResourceLink,
        ),
        case(
            "providers::LaunchError::Reserved",
            LaunchError::Reserved("oauth_nonce".into()),
        ),
        case(
            "providers::LaunchError::Signing",
            LaunchError::Signing(core_error()),
        ),
        case(
            "providers::LaunchError::Request",
            LaunchError::Request(request),
        ),
    ]
}

fn cli_errors(dir: &std::path::Path) -> Vec<Case> {
    use oauth1_cli::body::BodyError;
    use oauth1_cli::profile::ProfileError;
    // Produced: a profiles file that is not there to read is a file error.
    let profiles = oauth1_flow::secret_file::read(&dir.join("profiles.toml")).unwrap_err();
    vec![
        case("cli::ProfileError::File", ProfileError::File(profiles)),
        case(
            "cli::ProfileError::Parse",
            ProfileError::Parse {
                path: PathBuf::from("profiles.toml"),
                message: "expected `=` at line 1 column 5".into(),
            },
        ),
        case(
            "cli::ProfileError::Unknown",
            ProfileError::Unknown("work".into()),
        ),
        case("cli::ProfileError::NoneActive", ProfileError::NoneActive),
        case("cli::ProfileError::NoConfigDir", ProfileError::NoConfigDir),
        case(
            "cli::BodyError::File",
            BodyError::File {
                flag: "-d",
                path: PathBuf::from("body.txt"),
                source: io_error(),
            },
        ),
        case("cli::BodyError::Form", BodyError::Form("name".into())),
        case(
            "cli::BodyError::TooLarge",
            BodyError::TooLarge("--data-binary @video.mp4".into()),
        ),
        case(
            "cli::BodyError::NotText",
            BodyError::NotText("--data-urlencode @body.bin is not UTF-8 text".into()),
        ),
        case(
            "cli::CaseError",
            oauth1_cli::case::CaseError::from(core_error()),
        ),
    ]
}

/// Every error value, labelled.
fn all(dir: &std::path::Path) -> Vec<Case> {
    let mut cases = core_errors();
    cases.extend(flow_errors(dir));
    cases.extend(server_errors());
    cases.extend(transport_errors());
    cases.extend(twitter_errors());
    cases.extend(providers_errors());
    cases.extend(cli_errors(dir));
    cases
}

fn temp_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("oauth1-error-chain-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn no_error_repeats_its_source() {
    let dir = temp_dir("repeats");
    let cases = all(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let problems: Vec<String> = cases
        .iter()
        .flat_map(|(label, error)| repeats(label, error.as_ref()))
        .collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn wrapping_errors_have_their_cause_as_source() {
    // The wrapping variants keep the cause as a source (not as text), so that the chain has
    // more than one level; otherwise the test above would have nothing to compare.
    let dir = temp_dir("sources");
    let cases = all(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    for label in [
        "core::Error::Url (produced)",
        "core::Error::Header",
        "core::HeaderError::Decode",
        "flow::Error::Transport",
        "flow::Error::Signing (produced)",
        "flow::Error::BadCallback",
        "flow::Error::Request",
        "flow::SecretFileError::Io (produced)",
        "server::VerifyFailure::Rejected",
        "server::ServerError::Bind (produced)",
        "reqwest::BuildError::Client",
        "reqwest::SignError::Build (produced)",
        "twitter::Error::Body",
        "cli::BodyError::File",
    ] {
        let (_, error) = cases.iter().find(|(l, _)| *l == label).unwrap();
        assert!(error.source().is_some(), "{label} has no source");
    }
}

#[test]
fn a_chain_prints_each_cause_once() {
    let error = oauth1_flow::Error::Signing(core_error());
    assert_eq!(error.to_string(), "signing failed");
    assert_eq!(
        Chain(&error).to_string(),
        "signing failed: invalid request URL: the URL is not absolute: it must start with a \
         scheme such as `https://`"
    );
    // The check above finds a repeat: an error whose Display prints its source.
    #[derive(Debug, thiserror::Error)]
    #[error("invalid request URL: {0}")]
    struct Doubled(#[source] UrlError);
    assert_eq!(
        repeats("Doubled", &Doubled(UrlError::NotAbsolute)).len(),
        1,
        "the check must see a message that repeats its source"
    );
}
