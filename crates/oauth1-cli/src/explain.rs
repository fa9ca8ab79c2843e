//! `oauth1 sign --explain`: everything that goes into a signature, for a person debugging a
//! 401 "Could not authenticate you".

use std::fmt::Write as _;

use oauth1_core::encode::percent_encode;
use oauth1_core::{AnyMethod, Signed, Signer, Source};

use crate::case::{Case, Output, Placement};

/// How much of a secret to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mask {
    /// The first 4 characters and the length (secrets of fewer than 12 characters: the length).
    Partial,
    /// Only the length.
    Full,
    /// The whole secret: only with `--show-secrets`, never a `--mask` value.
    #[value(skip)]
    None,
}

/// `secret` masked as `mask` says, e.g. `kAcS… (43 chars)`.
pub fn mask(secret: &str, mask: Mask) -> String {
    let chars = secret.chars().count();
    match mask {
        Mask::None => secret.to_owned(),
        _ if chars == 0 => "(empty)".to_owned(),
        Mask::Partial if chars >= 12 => {
            let head: String = secret.chars().take(4).collect();
            format!("{head}… ({chars} chars)")
        }
        _ => format!("… ({chars} chars)"),
    }
}

pub(crate) fn source_name(source: Source) -> &'static str {
    match source {
        Source::Query => "query",
        Source::Body => "body",
        Source::Protocol => "oauth",
        _ => "other",
    }
}

/// Renders the explanation of a signed case.
pub fn render(
    case: &Case,
    signed: &Signed<'_>,
    signer: &Signer<AnyMethod>,
    secrets: Mask,
) -> String {
    use oauth1_core::SignatureMethod as _;
    let mut out = String::new();
    let method_name = signer.method().name();
    let plaintext = method_name == "PLAINTEXT";

    out.push_str("Request\n");
    let _ = writeln!(out, "  {} {}", case.method.to_ascii_uppercase(), case.url);
    if let Some(ct) = &case.content_type {
        let _ = writeln!(out, "  Content-Type: {ct}");
    }
    match &case.body {
        Some(body) => {
            let kind = match case.body() {
                oauth1_core::Body::Form(_) => "form parameters, signed",
                oauth1_core::Body::Other(_) if case.body_hash => {
                    "not a form: covered by oauth_body_hash only"
                }
                oauth1_core::Body::Other(_) => "not a form: not signed",
                oauth1_core::Body::None => "empty",
            };
            let _ = writeln!(out, "  Body ({kind}): {body}");
        }
        None => out.push_str("  (no body)\n"),
    }

    out.push_str(
        "\nParameters, in signing order (RFC 5849 §3.4.1.3; names and values percent-encoded)\n",
    );
    let rows: Vec<(&str, String, String)> = signed
        .parameters()
        .map(|p| (source_name(p.source), p.encoded_name(), p.encoded_value()))
        .collect();
    let name_width = rows.iter().map(|r| r.1.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "  {:<6} {:<name_width$}  value", "from", "name");
    for (source, name, value) in &rows {
        let _ = writeln!(out, "  {source:<6} {name:<name_width$}  {value}");
    }

    let base = signed.base_string();
    out.push_str(
        "\nSignature base string (§3.4.1.1: method & URI & parameters, each encoded again)\n",
    );
    let _ = writeln!(out, "  {base}");
    let mut parts = base.splitn(3, '&');
    for label in ["method", "URI", "parameters"] {
        let _ = writeln!(out, "  {label:<11}{}", parts.next().unwrap_or(""));
    }

    if method_name.starts_with("RSA") {
        out.push_str("\nSigning key: the RSA private key (the shared secrets are not used)\n");
    } else if let Some(crate::case::Compat::PeclOAuthProvider) = case.compat {
        let _ = writeln!(
            out,
            "\nSigning key (--compat {}: consumer secret & token secret as they are, not encoded as §3.4.2 says; a server that follows RFC 5849 refuses it when a secret holds anything but letters, digits and -._~{})",
            oauth1_core::compat::PeclOAuthProvider::SETTING,
            if secrets == Mask::None { "" } else { "; masked, --show-secrets reveals it" }
        );
        let _ = writeln!(
            out,
            "  {}&{}",
            mask(&case.consumer_secret, secrets),
            mask(case.effective_token_secret(), secrets)
        );
    } else {
        out.push_str("\nSigning key (§3.4.2: encode(consumer secret) & encode(token secret)");
        out.push_str(if secrets == Mask::None {
            ")\n"
        } else {
            "; masked, --show-secrets reveals it)\n"
        });
        let _ = writeln!(
            out,
            "  {}&{}",
            mask(&percent_encode(&case.consumer_secret), secrets),
            mask(&percent_encode(case.effective_token_secret()), secrets)
        );
        if case.token.is_none() && case.token_secret.as_deref().is_some_and(|s| !s.is_empty()) {
            out.push_str("  (a token secret was given without a token: it is not used)\n");
        }
    }

    let _ = writeln!(out, "\nSignature ({method_name})");
    let signature = if plaintext && secrets != Mask::None {
        "[the signing key itself: masked above]".to_owned()
    } else {
        signed.signature().to_owned()
    };
    let _ = writeln!(out, "  {signature}");

    let mask_signature = |text: String| -> String {
        if plaintext && secrets != Mask::None {
            let encoded = percent_encode(signed.signature()).into_owned();
            text.replace(&encoded, "[masked]")
        } else {
            text
        }
    };
    let title = match case.placement {
        Placement::Header => "Authorization header",
        Placement::Query => "URL to send (protocol parameters in the query)",
        Placement::Body => "Body to send (protocol parameters in the form body)",
    };
    let to_send = Output::new(case, signed).to_send(case.placement);
    let _ = writeln!(out, "\n{title}\n  {}", mask_signature(to_send));

    out.push_str(concat!(
        "\nIf the provider still answers 401 \"Could not authenticate you\", compare its base string\n",
        "with the one above, and check:\n",
        "  - the clock: oauth_timestamp must be within a few minutes of the provider's (Twitter error 135);\n",
        "  - `+` and `%20`: the body and query must be sent exactly as signed, not re-encoded;\n",
        "  - the body: form parameters are signed only with Content-Type application/x-www-form-urlencoded;\n",
        "  - the URL: scheme, host, port and path exactly as sent (http vs https, a trailing slash);\n",
        "  - the secrets: consumer and token secret not swapped, the token from this consumer key.\n",
    ));
    out
}

/// The checks of the preset `service` (`sign --explain --provider NAME`), as the explanation
/// ends with them: each finding with its severity, or a line saying there is none.
pub fn render_checks(service: &str, findings: &[oauth1_providers::Finding]) -> String {
    let mut out = format!("\nChecks of the {service} preset (what the service itself refuses)\n");
    if findings.is_empty() {
        out.push_str("  none failed\n");
    }
    for finding in findings {
        let _ = writeln!(out, "  {}: {finding}", finding.severity());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth1_core::Scratch;

    const CONSUMER_SECRET: &str = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    const TOKEN_SECRET: &str = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";

    /// Twitter's "Creating a signature" example.
    fn twitter() -> Case {
        serde_json::from_value(serde_json::json!({
            "method": "POST",
            "url": "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
            "body": "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
            "content_type": "application/x-www-form-urlencoded",
            "consumer_key": "xvz1evFS4wEEPTGEFPHBog",
            "consumer_secret": CONSUMER_SECRET,
            "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            "token_secret": TOKEN_SECRET,
            "signature_method": "HMAC-SHA1",
            "placement": "header",
            "nonce": "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
            "timestamp": "1318622958"
        }))
        .unwrap()
    }

    fn explain(case: &Case, secrets: Mask) -> String {
        case.with_signed(&mut Scratch::new(), |signed, signer| {
            render(case, signed, signer, secrets)
        })
        .unwrap()
    }

    #[test]
    fn twitter_example_is_rendered_exactly() {
        let text = explain(&twitter(), Mask::Partial);
        assert_eq!(text, include_str!("../tests/data/twitter_explain.txt"));
        assert!(!text.contains(CONSUMER_SECRET) && !text.contains(TOKEN_SECRET));
        assert!(!text.contains(&CONSUMER_SECRET[..5]) && !text.contains(&TOKEN_SECRET[..5]));
    }

    #[test]
    fn secrets_are_masked_unless_shown() {
        let full = explain(&twitter(), Mask::Full);
        assert!(full.contains("  … (43 chars)&… (41 chars)\n"), "{full}");
        assert!(!full.contains("kAcS") && !full.contains("Lsww"));
        let shown = explain(&twitter(), Mask::None);
        assert!(shown.contains(&format!("  {CONSUMER_SECRET}&{TOKEN_SECRET}\n")));
    }

    #[test]
    fn an_unused_token_secret_is_not_shown_as_used() {
        let mut case = twitter();
        case.token = None;
        let text = explain(&case, Mask::Partial);
        assert!(text.contains("  kAcS… (43 chars)&(empty)\n"), "{text}");
        assert!(text.contains("token secret was given without a token"));
    }

    #[test]
    fn a_plaintext_signature_is_masked() {
        let mut case = twitter();
        case.signature_method = "PLAINTEXT".into();
        case.placement = Placement::Query;
        let text = explain(&case, Mask::Partial);
        assert!(!text.contains(&CONSUMER_SECRET[..5]), "{text}");
        assert!(text.contains("oauth_signature=[masked]"), "{text}");
    }

    #[test]
    fn masks() {
        assert_eq!(
            mask("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", Mask::Partial),
            "kAcS… (43 chars)"
        );
        assert_eq!(mask("short", Mask::Partial), "… (5 chars)");
        assert_eq!(mask("kAcSOqF21Fu85e7", Mask::Full), "… (15 chars)");
        assert_eq!(mask("", Mask::Full), "(empty)");
        assert_eq!(mask("abc", Mask::None), "abc");
    }
}
