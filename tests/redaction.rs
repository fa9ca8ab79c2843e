//! No `Debug` or `Display` of a public type that can hold a request or a credential shows a
//! secret, a password, a signature or a base string (issue 16, finding 4). Each value below is
//! built around planted secrets, formatted every way a log line would (`{:?}`, `{:#?}`, and
//! `{}` where there is one), and the text searched for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::{Debug, Display};

use oauth1_core::header::AuthorizationHeader;
use oauth1_core::{
    AnyMethod, Body, ClientCredentials, HmacSha1, OAuthParams, Placement, Plaintext, Received,
    Request, Scratch, Secret, SignatureMethod, Signer, TokenCredentials,
};
use oauth1_flow::{AccessToken, Flow, GenericProvider};
use oauth1_server::{
    LocalProviderConfig, MemoryCredentials, MemoryNonceStore, NonceRecord, Rejection, TokenKind,
    TokenRecord, Verifier,
};

const CONSUMER_SECRET: &str = "CSECRET-planted";
const TOKEN_SECRET: &str = "TSECRET-planted";
const PASSWORD: &str = "PASSWORD-planted";
const URL: &str = "https://api.example.com/oauth/access_token";
const NOW: u64 = 1_700_000_000;

/// Everything that must not show: the planted secrets, the password (also as its form field),
/// and the marks of a base string and of a signature.
struct Forbidden {
    signatures: Vec<String>,
}

impl Forbidden {
    fn check(&self, what: &str, text: &str) {
        let mut forbidden = vec![
            CONSUMER_SECRET,
            TOKEN_SECRET,
            PASSWORD,
            "x_auth_password%3D",
            // Every base string starts with the method, `&` and the encoded scheme.
            "POST&https%3A%2F%2F",
            "GET&https%3A%2F%2F",
        ];
        forbidden.extend(self.signatures.iter().map(String::as_str));
        for secret in forbidden {
            assert!(!text.contains(secret), "{what} shows `{secret}`: {text}");
        }
    }

    fn debug(&self, what: &str, value: &impl Debug) {
        self.check(what, &format!("{value:?}"));
        self.check(what, &format!("{value:#?}"));
    }

    fn both(&self, what: &str, value: &(impl Debug + Display)) {
        self.debug(what, value);
        self.check(what, &value.to_string());
    }
}

fn form() -> String {
    format!("x_auth_mode=client_auth&x_auth_password={PASSWORD}&x_auth_username=alice")
}

#[test]
fn no_public_type_shows_a_secret_a_password_a_signature_or_a_base_string() {
    let client = ClientCredentials::new("consumer-key", CONSUMER_SECRET);
    let token = TokenCredentials::new("token", TOKEN_SECRET);
    let form = form();
    let oauth = OAuthParams::new("nonce-1", NOW);
    let request = Request::new("POST", URL).with_body(Body::Form(form.as_bytes()));

    // Signatures of every kind over the same request; PLAINTEXT's is the secrets.
    let hmac = Signer::new(HmacSha1, &client, Some(&token)).unwrap();
    let plaintext = Signer::new(Plaintext, &client, Some(&token)).unwrap();
    let any = Signer::new(AnyMethod::HmacSha256, &client, Some(&token)).unwrap();
    let mut signatures = Vec::new();
    let mut headers = Vec::new();
    for (name, header) in [
        ("hmac", hmac.authorization(&request, &oauth).unwrap()),
        (
            "plaintext",
            plaintext.authorization(&request, &oauth).unwrap(),
        ),
        ("any", any.authorization(&request, &oauth).unwrap()),
    ] {
        let parsed = AuthorizationHeader::parse(&header).unwrap();
        let signature = parsed.get("oauth_signature").unwrap().to_owned();
        // Encoded as it stands in headers and query strings, and decoded.
        signatures.push(oauth1_core::encode::percent_encode(&signature).into_owned());
        signatures.push(signature);
        headers.push((name, header));
    }
    let forbidden = Forbidden { signatures };

    // The core: credentials, keys, signers, the request, what was signed, what was received.
    forbidden.debug("Secret", &Secret::new(CONSUMER_SECRET));
    forbidden.debug("ClientCredentials", &client);
    forbidden.debug("TokenCredentials", &token);
    forbidden.debug(
        "HmacKey",
        &HmacSha1
            .key(
                &Secret::new(CONSUMER_SECRET),
                Some(&Secret::new(TOKEN_SECRET)),
            )
            .unwrap(),
    );
    forbidden.debug(
        "AnyKey",
        &AnyMethod::Plaintext
            .key(
                &Secret::new(CONSUMER_SECRET),
                Some(&Secret::new(TOKEN_SECRET)),
            )
            .unwrap(),
    );
    forbidden.debug("Signer<HmacSha1>", &hmac);
    forbidden.debug("Signer<Plaintext>", &plaintext);
    forbidden.debug("Request", &request);
    forbidden.debug("Body", &request.body());
    forbidden.debug("OAuthParams", &oauth);
    let mut scratch = Scratch::new();
    {
        let signed = plaintext.sign(&mut scratch, &request, &oauth).unwrap();
        forbidden.debug("Signed", &signed);
        forbidden.debug("Parameters", &signed.parameters());
        for parameter in signed.parameters() {
            forbidden.debug("Parameter", &parameter);
        }
    }
    forbidden.debug("Scratch", &scratch);
    for (name, header) in &headers {
        forbidden.debug(name, &AuthorizationHeader::parse(header).unwrap());
        let received = Received::parse(&request, Some(header)).unwrap();
        forbidden.debug("Received", &received);
        for parameter in received.parameters() {
            forbidden.debug("received Parameter", &parameter);
        }
        // A failed verification says why, and nothing of what it compared.
        let error = received
            .verify_with_secrets(
                &HmacSha1,
                &Secret::new("wrong"),
                None,
                &oauth1_core::Policy::new(NOW),
                &mut |_: &oauth1_core::NonceUse<'_>| true,
            )
            .unwrap_err();
        forbidden.both("core Error", &error);
    }
    let mut http_request = http::Request::post(URL)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone().into_bytes())
        .unwrap();
    plaintext
        .sign_http(&mut http_request, Placement::Header, &oauth)
        .unwrap();
    // `http`'s own Debug: the header is marked sensitive, the body printed as numbers.
    forbidden.debug("signed http::Request", &http_request);

    // The flow: the dance's states, the session client, the signature info it reports.
    let provider = GenericProvider::builder(
        "https://api.example.com/oauth/request_token",
        "https://api.example.com/oauth/authorize",
        URL,
    )
    .xauth(true)
    .build()
    .unwrap();
    let flow = Flow::new(provider, client.clone()).unwrap();
    forbidden.debug("Flow", &flow);
    let (xauth, pending) = flow.prepare_xauth("alice", &Secret::new(PASSWORD)).unwrap();
    forbidden.debug("xAuth http::Request", &xauth);
    forbidden.debug("PendingAccessToken", &pending);
    let access = AccessToken::new("token", TOKEN_SECRET);
    forbidden.debug("AccessToken", &access);
    let session = flow
        .signed_client(oauth1_transport_reqwest::ReqwestTransport::new(), &access)
        .unwrap();
    forbidden.debug("SignedClient", &session);
    let mut to_sign = http::Request::post(URL)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone().into_bytes())
        .unwrap();
    let info = session.sign(&mut to_sign, false).unwrap();
    let header = info.authorization.clone().expect("header placement");
    let signature = AuthorizationHeader::parse(&header)
        .unwrap()
        .get("oauth_signature")
        .unwrap()
        .to_owned();
    let mut with_this_one = forbidden.signatures.clone();
    with_this_one.push(oauth1_core::encode::percent_encode(&signature).into_owned());
    with_this_one.push(signature);
    Forbidden {
        signatures: with_this_one,
    }
    .debug("SignatureInfo", &info);

    // The provider side: the verifier, what it accepts, why it refuses, what it stores.
    let credentials = MemoryCredentials::new().consumer("consumer-key", CONSUMER_SECRET);
    credentials.add_token(
        "token",
        TokenRecord {
            consumer_key: "consumer-key".into(),
            secret: Secret::new(TOKEN_SECRET),
            kind: TokenKind::Access,
        },
    );
    forbidden.debug("MemoryCredentials", &credentials);
    let verifier = Verifier::new(credentials, MemoryNonceStore::default())
        .allow_plaintext(true)
        .clock(oauth1_server::ManualClock::new(NOW));
    forbidden.debug("Verifier", &verifier);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let verified = runtime
        .block_on(verifier.verify(&http_request, "https"))
        .unwrap();
    forbidden.debug("Verified", &verified);
    let refused = runtime
        .block_on(verifier.verify(&http_request, "https"))
        .unwrap_err();
    forbidden.both("VerifyFailure", &refused);
    forbidden.both(
        "Rejection",
        &Rejection::Concealed(Box::new(Rejection::UnknownConsumer("consumer-key".into()))),
    );
    forbidden.debug(
        "TokenRecord",
        &TokenRecord {
            consumer_key: "consumer-key".into(),
            secret: Secret::new(TOKEN_SECRET),
            kind: TokenKind::Access,
        },
    );
    let nonce = oauth1_core::NonceUse {
        consumer_key: "consumer-key",
        token: Some("token"),
        nonce: "nonce-1",
        timestamp: NOW,
    };
    forbidden.debug(
        "NonceRecord",
        &NonceRecord {
            nonce,
            now: NOW,
            window: 300,
        },
    );
    let config = LocalProviderConfig::default()
        .client("consumer-key", CONSUMER_SECRET)
        .user("alice", PASSWORD);
    forbidden.debug("LocalProviderConfig", &config);
    let provider = runtime
        .block_on(oauth1_server::LocalProvider::start_with(config))
        .unwrap();
    forbidden.debug("LocalProvider", &provider);
    runtime.block_on(provider.shutdown());

    // Twitter: the provider and its client.
    let twitter = Flow::new(oauth1_provider_twitter::Twitter::new(), client).unwrap();
    forbidden.debug("Flow<Twitter>", &twitter);
    let twitter_client = oauth1_provider_twitter::TwitterClient::new(
        &twitter,
        oauth1_transport_reqwest::ReqwestTransport::new(),
        &access,
    )
    .unwrap();
    forbidden.debug("TwitterClient", &twitter_client);
}
