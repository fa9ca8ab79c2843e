//! An LTI 1.1 tool: the launch endpoint an LMS (Moodle, Canvas, Blackboard, D2L) posts to
//! when a student or teacher opens the tool, verified with `OAuthLayer`.
//!
//! An LTI 1.1 launch is a form POST signed with OAuth 1.0a HMAC-SHA1, the protocol parameters
//! in the body, `oauth_callback=about:blank`, and no token (two-legged): the tool looks the
//! consumer secret up by `oauth_consumer_key`, checks the signature, the timestamp and the
//! nonce, then trusts the launch parameters (user, roles, course).
//!
//! `cargo run --example lti_launch` starts the tool on 127.0.0.1, plays the LMS (signs the
//! published sample launch and posts it), then replays the same launch, which is refused.
//! `LTI_SERVE=1` keeps the tool running for your own LMS (`LTI_ADDR`, default
//! 127.0.0.1:8765; consumer key `lms.example.edu`, secret `secret`, or `LTI_KEY`/`LTI_SECRET`).

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};

use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer, Source};
use oauth1_examples::env_or;
use oauth1_server::{MemoryCredentials, MemoryNonceStore, OAuthLayer, Verified, Verifier};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The tool: `POST /launch`, behind the OAuth verifier. Consumers are LMS installations, each
/// with a key and a shared secret.
fn tool(consumers: MemoryCredentials) -> Router {
    let verifier = Verifier::new(consumers, MemoryNonceStore::default());
    Router::new()
        .route("/launch", post(launch))
        .layer(OAuthLayer::new(verifier).realm("lti-tool"))
}

/// A launch parameter (a signed form field).
fn param(v: &Verified, name: &str) -> Option<String> {
    v.received
        .parameters()
        .find(|p| p.source == Source::Body && p.name == name.as_bytes())
        .map(|p| String::from_utf8_lossy(p.value).into_owned())
}

/// The launch handler: the request is authentic when it gets here.
async fn launch(Extension(v): Extension<Verified>) -> Response {
    if param(&v, "lti_message_type").as_deref() != Some("basic-lti-launch-request")
        || !matches!(
            param(&v, "lti_version").as_deref(),
            Some("LTI-1p0" | "LTI-1p2")
        )
        || param(&v, "resource_link_id").is_none()
    {
        return (
            StatusCode::BAD_REQUEST,
            "not an LTI 1.1 basic launch (lti_message_type, lti_version, resource_link_id)",
        )
            .into_response();
    }
    let name = param(&v, "lis_person_name_full").unwrap_or_else(|| "someone".into());
    let roles = param(&v, "roles").unwrap_or_default();
    let course = param(&v, "context_title").unwrap_or_default();
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    Html(format!(
        "<p>Welcome, {} ({}), to {} (launched by {}).</p>",
        escape(&name),
        escape(&roles),
        escape(&course),
        escape(&v.consumer_key)
    ))
    .into_response()
}

/// The sample launch of the LTI 1.1 Implementation Guide (section "Basic Launch Data").
const SAMPLE_LAUNCH: &[(&str, &str)] = &[
    ("lti_message_type", "basic-lti-launch-request"),
    ("lti_version", "LTI-1p0"),
    ("resource_link_id", "88391-e1919-bb3456"),
    ("resource_link_title", "My Weekly Wiki"),
    ("resource_link_description", "A weekly blog."),
    ("user_id", "0ae836b9-7fc9-4060-006f-27b2066ac545"),
    ("roles", "Instructor"),
    ("lis_person_name_given", "Jane"),
    ("lis_person_name_family", "Public"),
    ("lis_person_name_full", "Jane Q. Public"),
    ("lis_person_contact_email_primary", "user@school.edu"),
    ("context_id", "8213060-006f-27b2066ac545"),
    ("context_type", "CourseSection"),
    ("context_title", "Design of Personal Environments"),
    ("context_label", "SI182"),
    ("launch_presentation_locale", "en-US"),
    ("launch_presentation_document_target", "iframe"),
    (
        "launch_presentation_return_url",
        "http://lmsng.school.edu/portal/123/page/988/",
    ),
    ("tool_consumer_instance_guid", "lmsng.school.edu"),
    (
        "tool_consumer_instance_description",
        "University of School (LMSng)",
    ),
];

/// Signs a launch the way an LMS does: a form POST, HMAC-SHA1, the OAuth parameters in the
/// body, `oauth_callback=about:blank`, `oauth_version=1.0`, no token.
fn signed_launch(
    url: &str,
    key: &str,
    secret: &str,
    params: &[(&str, &str)],
) -> Result<http::Request<Vec<u8>>, BoxError> {
    let form = params
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                oauth1_core::encode::percent_encode(n),
                oauth1_core::encode::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let mut request = http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.into_bytes())?;
    let signer = Signer::new(HmacSha1, &ClientCredentials::new(key, secret), None)?;
    let oauth = OAuthParams::fresh()?.callback("about:blank").version(true);
    signer.sign_http(&mut request, Placement::Body, &oauth)?;
    Ok(request)
}

/// Posts `request`: status and body.
async fn post_launch(request: http::Request<Vec<u8>>) -> Result<(u16, String), BoxError> {
    let client = oauth1_transport_reqwest::client_builder()?.build()?;
    let (parts, body) = request.into_parts();
    let response = client
        .post(parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    Ok((response.status().as_u16(), response.text().await?))
}

async fn start(router: Router, addr: SocketAddr) -> Result<SocketAddr, BoxError> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(addr)
}

async fn run() -> Result<(), BoxError> {
    let key = env_or("LTI_KEY", "lms.example.edu");
    let secret = env_or("LTI_SECRET", "secret");
    let consumers = MemoryCredentials::new().consumer(key.clone(), secret.clone());
    if std::env::var("LTI_SERVE").is_ok_and(|v| !v.is_empty()) {
        let addr: SocketAddr = env_or("LTI_ADDR", "127.0.0.1:8765").parse()?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("LTI tool: launch URL http://{addr}/launch, consumer key {key} (Ctrl-C stops)");
        axum::serve(listener, tool(consumers))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        return Ok(());
    }

    let addr = start(tool(consumers), SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let url = format!("http://{addr}/launch");
    println!("1. The tool listens: launch URL {url}, consumer key {key}");
    let launch = signed_launch(&url, &key, &secret, SAMPLE_LAUNCH)?;
    println!("2. The LMS signs the sample launch (HMAC-SHA1, OAuth parameters in the form body)");
    let (status, body) = post_launch(launch.clone()).await?;
    println!("3. Launch       -> {status} {body}");
    if status != 200 {
        return Err(format!("the launch was refused: {status} {body}").into());
    }
    let (status, body) = post_launch(launch).await?;
    println!("4. Same again   -> {status} {body}");
    if status != 401 || !body.contains("nonce_used") {
        return Err(format!("the replay was not refused: {status} {body}").into());
    }
    println!("   The replayed launch is refused: its nonce was used.");
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {}", oauth1_core::Chain(&*e));
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn tool_at() -> String {
        let consumers = MemoryCredentials::new().consumer("lms.example.edu", "secret");
        let addr = start(tool(consumers), SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        format!("http://{addr}/launch")
    }

    #[tokio::test]
    async fn the_sample_launch_is_accepted_once_and_its_replay_refused() {
        let url = tool_at().await;
        let launch = signed_launch(&url, "lms.example.edu", "secret", SAMPLE_LAUNCH).unwrap();
        let (status, body) = post_launch(launch.clone()).await.unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains(
                "Welcome, Jane Q. Public (Instructor), to Design of Personal Environments"
            ),
            "{body}"
        );
        let (status, body) = post_launch(launch).await.unwrap();
        assert_eq!(status, 401);
        assert!(body.starts_with("oauth_problem=nonce_used"), "{body}");
    }

    #[tokio::test]
    async fn a_wrong_secret_an_unknown_key_and_a_non_launch_are_refused() {
        let url = tool_at().await;
        let bad = signed_launch(&url, "lms.example.edu", "not-the-secret", SAMPLE_LAUNCH).unwrap();
        let (status, body) = post_launch(bad).await.unwrap();
        assert_eq!(status, 401);
        assert!(
            body.starts_with("oauth_problem=signature_invalid"),
            "{body}"
        );
        assert!(!body.contains("not-the-secret"));

        let unknown = signed_launch(&url, "other-lms", "secret", SAMPLE_LAUNCH).unwrap();
        let (status, body) = post_launch(unknown).await.unwrap();
        assert_eq!(status, 401);
        assert!(
            body.starts_with("oauth_problem=consumer_key_unknown"),
            "{body}"
        );

        // Authentic, but not a launch: the tool, not the verifier, refuses it.
        let other = signed_launch(
            &url,
            "lms.example.edu",
            "secret",
            &[("lti_message_type", "ContentItemSelectionRequest")],
        )
        .unwrap();
        assert_eq!(post_launch(other).await.unwrap().0, 400);
    }

    /// The launch signed by oauthlib (what PyLTI and many LMS test harnesses use), posted as
    /// the bytes it produced: our verifier must accept a signature it did not make.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_launch_signed_by_oauthlib_is_accepted_once() {
        let url = tool_at().await;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let env = std::process::Command::new("bash")
            .arg(root.join("scripts/python-env.sh"))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            env.status.success(),
            "python-env.sh: {}",
            String::from_utf8_lossy(&env.stderr)
        );
        let python = String::from_utf8_lossy(&env.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .to_owned();
        let params = serde_json::to_string(SAMPLE_LAUNCH).unwrap();
        let signed = std::process::Command::new(python)
            .args(["-c", ORACLE, &url, "lms.example.edu", "secret", &params])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(
            signed.status.success(),
            "oauthlib: {}",
            String::from_utf8_lossy(&signed.stderr)
        );
        let body = String::from_utf8(signed.stdout).unwrap();
        assert!(body.contains("oauth_signature="), "{body}");
        let request = http::Request::post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.trim_end().as_bytes().to_vec())
            .unwrap();
        let (status, text) = post_launch(request.clone()).await.unwrap();
        assert_eq!(status, 200, "{text}");
        assert!(text.contains("Jane Q. Public"), "{text}");
        let (status, text) = post_launch(request).await.unwrap();
        assert_eq!(
            (status, text.starts_with("oauth_problem=nonce_used")),
            (401, true),
            "{text}"
        );
    }

    /// Signs a launch with oauthlib, body placement, as an LMS does; prints the body.
    const ORACLE: &str = r#"
import json, sys
from oauthlib.oauth1 import Client, SIGNATURE_TYPE_BODY
url, key, secret, params = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
client = Client(key, client_secret=secret, signature_type=SIGNATURE_TYPE_BODY, callback_uri="about:blank")
_, _, body = client.sign(url, http_method="POST", body=[tuple(p) for p in params],
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
sys.stdout.write(body)
"#;
}
