//! A desktop (terminal) app with the PIN flow: the first run prints the authorization URL on a
//! line of its own, reads the PIN from stdin, and saves the access token to a file that only
//! you can read ([`oauth1_flow::secret_file`]: mode 0600, written through a new temporary file);
//! the next runs reuse it and ask nothing. A token file that other users could read is refused,
//! with the `chmod 600` to run.
//!
//! ```text
//! cargo run --example pin_desktop -- --token-file twitter-token.json
//! ```
//!
//! With no `TWITTER_CONSUMER_*` variables it runs against an in-process local provider, and
//! since nobody is at the local provider's page, it reads the PIN off that page itself (and
//! says so). The token file of a local run only works within that run's provider, so a
//! second run against a new local provider authorizes again.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use oauth1_examples::twitter::{setup, BoxError, Setup};
use oauth1_flow::secret_file::{self, SecretFileError};
use oauth1_flow::{AccessToken, Callback, HttpClient};
use oauth1_provider_twitter::{Code, TwitterClient};

/// What a run did.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Authorized,
    Reused,
}

async fn pin(setup: &Setup, url: &str) -> Result<String, BoxError> {
    if setup.local.is_some() {
        let page = setup
            .transport
            .send(http::Request::get(url).body(Vec::new())?)
            .await?;
        let html = String::from_utf8_lossy(page.body()).into_owned();
        let pin = html
            .split("<code id=\"pin\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .ok_or("the local provider's page has no PIN")?
            .to_owned();
        println!("(local provider: the PIN on its page is {pin})");
        return Ok(pin);
    }
    print!("PIN: ");
    std::io::Write::flush(&mut std::io::stdout())?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}

/// Saves the token; says how the file is protected, as it is.
fn save(path: &Path, token: &AccessToken) -> Result<&'static str, BoxError> {
    let json = serde_json::to_vec_pretty(token)?;
    secret_file::write(path, &json)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(path)?.permissions().mode() & 0o777 == 0o600 {
            return Ok(" (mode 0600)");
        }
    }
    Ok("")
}

/// The saved token, if there is one.
fn load(path: &Path) -> Result<Option<AccessToken>, BoxError> {
    let bytes = match secret_file::read(path) {
        Ok(bytes) => bytes,
        Err(SecretFileError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let token = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{} is not a saved token ({e}); delete it to authorize again",
            path.display()
        )
    })?;
    Ok(Some(token))
}

async fn run(setup: &Setup, token_file: &Path) -> Result<Outcome, BoxError> {
    if let Some(token) = load(token_file)? {
        let client = TwitterClient::new(&setup.flow, setup.transport.clone(), &token)?;
        match client.verify_credentials().await {
            Ok(me) => {
                println!(
                    "Token from {} works: signed in as @{}",
                    token_file.display(),
                    me.screen_name
                );
                return Ok(Outcome::Reused);
            }
            Err(e) if e.has_code(Code::InvalidOrExpiredToken) => {
                println!("The saved token was revoked or belongs elsewhere; authorizing again.");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let request_token = setup
        .flow
        .request_token(&setup.transport, Callback::Oob)
        .await?;
    println!("Open this URL in a browser, authorize the app, and type the PIN it shows:");
    let url = request_token.authorize_url(&setup.flow, &[])?;
    println!("{url}");
    let verifier = request_token.verifier_from_pin(&pin(setup, &url).await?)?;
    let token = setup.flow.access_token(&setup.transport, &verifier).await?;
    let protected = save(token_file, &token)?;
    println!(
        "Signed in as @{}; token saved to {}{protected}",
        token.field("screen_name").unwrap_or("?"),
        token_file.display()
    );
    Ok(Outcome::Authorized)
}

fn token_file() -> Result<PathBuf, BoxError> {
    let mut args = std::env::args().skip(1);
    let mut path = PathBuf::from("twitter-token.json");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--token-file" => path = args.next().ok_or("--token-file needs a path")?.into(),
            other => {
                return Err(format!(
                    "unknown argument {other} (usage: pin_desktop [--token-file PATH])"
                )
                .into())
            }
        }
    }
    Ok(path)
}

#[tokio::main]
async fn main() {
    let result = async {
        let path = token_file()?;
        let setup = setup(false).await?;
        run(&setup, &path).await
    };
    if let Err(e) = result.await {
        eprintln!("error: {}", oauth1_core::Chain(&*e));
        std::process::exit(1);
    }
}

#[test]
fn the_second_run_asks_nothing() {
    if std::env::var_os("TWITTER_CONSUMER_KEY").is_some() {
        return; // Tests never touch a real provider.
    }
    let dir = std::env::temp_dir().join(format!("oauth1-pin-desktop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token.json");
    let _ = std::fs::remove_file(&path);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let setup = setup(false).await.unwrap();
        assert_eq!(run(&setup, &path).await.unwrap(), Outcome::Authorized);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(run(&setup, &path).await.unwrap(), Outcome::Reused);
        // Revoked: authorizes again.
        let token: AccessToken = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        setup
            .flow
            .invalidate(&setup.transport, &token)
            .await
            .unwrap();
        assert_eq!(run(&setup, &path).await.unwrap(), Outcome::Authorized);
        // A token file others can read is refused, with what to do.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = run(&setup, &path).await.unwrap_err().to_string();
            assert!(e.contains(&format!("chmod 600 {}", path.display())), "{e}");
        }
    });
    std::fs::remove_dir_all(&dir).unwrap();
}
