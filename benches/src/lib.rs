//! Benchmark inputs shared by the criterion benches (`benches/sign.rs`) and the allocation test
//! of `oauth1-core`: Twitter's documented example, the RFC 5849 §3.4.1 example, and a large
//! request of 50 parameters with a 4 KB form body.
#![forbid(unsafe_code)]

/// Twitter's documented consumer key and secret (public test values).
pub const CONSUMER: (&str, &str) = (
    "xvz1evFS4wEEPTGEFPHBog",
    "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
);
/// Twitter's documented access token and secret (public test values).
pub const TOKEN: (&str, &str) = (
    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
);
const NONCE: &str = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";

/// A request to sign in a benchmark, with its credentials and protocol values.
#[derive(Debug, Clone)]
pub struct Input {
    /// Name in the report.
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// URL with its query.
    pub url: String,
    /// Form body.
    pub body: String,
    /// Consumer key and secret.
    pub consumer: (&'static str, &'static str),
    /// Token and secret.
    pub token: (&'static str, &'static str),
    /// Nonce.
    pub nonce: &'static str,
    /// Timestamp.
    pub timestamp: u64,
    /// `realm`, if any.
    pub realm: Option<&'static str>,
    /// Whether `oauth_version` is sent.
    pub version: bool,
    /// The expected signature, where published.
    pub expected: Option<&'static str>,
}

/// (a) Twitter's "Creating a signature" example.
pub fn twitter() -> Input {
    Input {
        name: "a_twitter",
        method: "POST",
        url: "https://api.twitter.com/1.1/statuses/update.json?include_entities=true".into(),
        body: "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21".into(),
        consumer: CONSUMER,
        token: TOKEN,
        nonce: NONCE,
        timestamp: 1318622958,
        realm: None,
        version: true,
        expected: Some("hCtSmYh+iHYCEqBWrE7C7hYmtUk="),
    }
}

/// (b) RFC 5849 §3.4.1's example request (secrets of §3.1).
pub fn rfc() -> Input {
    Input {
        name: "b_rfc5849",
        method: "POST",
        url: "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b".into(),
        body: "c2&a3=2+q".into(),
        consumer: ("9djdj82h48djs9d2", "j49sk3j29djd"),
        token: ("kkk9d7dh3k39sjv7", "dh893hdasih9"),
        nonce: "7d8f3e4a",
        timestamp: 137131201,
        realm: Some("Example"),
        version: false,
        expected: Some("r6/TJjbCOr97/+UU0NsvSne7s5g="),
    }
}

/// (c) 50 parameters (10 in the query, 40 in a 4 KB form body), plain, reserved and non-ASCII.
pub fn large() -> Input {
    let value = |i: usize| -> String {
        match i % 5 {
            0 => "plain-value_0123456789".to_owned(),
            1 => "with spaces & symbols = ! * ' ( )"
                .replace(' ', "%20")
                .replace('&', "%26")
                .replace('=', "%3D"),
            2 => "caf%C3%A9%20%E2%98%83%20%F0%9F%A6%80".to_owned(),
            3 => "a+b+c%2Bd".to_owned(),
            _ => "UPPER~lower.dot-dash".to_owned(),
        }
    };
    let query: Vec<String> = (0..10).map(|i| format!("q{i:02}={}", value(i))).collect();
    let mut body: Vec<String> = (0..40)
        .map(|i| format!("field{i:02}={}", value(i)))
        .collect();
    // Pad the values so that the body is 4 KB.
    let mut len: usize = body.iter().map(|p| p.len() + 1).sum();
    let mut i = 0;
    while len < 4096 {
        body[i % 40].push('x');
        len += 1;
        i += 1;
    }
    Input {
        name: "c_large",
        method: "POST",
        url: format!(
            "https://api.example.com/1.1/items/update.json?{}",
            query.join("&")
        ),
        body: body.join("&"),
        consumer: CONSUMER,
        token: TOKEN,
        nonce: NONCE,
        timestamp: 1318622958,
        realm: None,
        version: true,
        expected: None,
    }
}

/// All three inputs.
pub fn all() -> Vec<Input> {
    vec![twitter(), rfc(), large()]
}
