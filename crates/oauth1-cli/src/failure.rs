//! [`Failure`]: how `oauth1 authorize`, `oauth1 request`, `oauth1 profiles` and `oauth1 alias`
//! fail, with the exit code of each kind and a hint where there is one.

use crate::hint::Hint;
use crate::profile::ProfileError;

/// How a command failed, by exit code: 1 the provider refused, 2 usage, 3 network.
#[derive(Debug)]
pub enum Failure {
    /// The provider answered with an error (exit 1).
    Provider(String),
    /// The command line or the profiles file is wrong (exit 2).
    Usage(String),
    /// The network failed (exit 3).
    Network(String),
}

impl Failure {
    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Provider(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Network(_) => 3,
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Failure::Provider(m) | Failure::Usage(m) | Failure::Network(m) => m,
        }
    }
}

impl From<ProfileError> for Failure {
    fn from(e: ProfileError) -> Self {
        Failure::Usage(oauth1_core::Chain(&e).to_string())
    }
}

impl From<crate::body::BodyError> for Failure {
    fn from(e: crate::body::BodyError) -> Self {
        Failure::Usage(oauth1_core::Chain(&e).to_string())
    }
}

impl From<oauth1_flow::Error> for Failure {
    fn from(e: oauth1_flow::Error) -> Self {
        match &e {
            oauth1_flow::Error::EmptyPin => Failure::Usage(
                "the PIN is empty: type the PIN the provider showed after you allowed access \
                 (or run `oauth1 authorize` again for a new one)"
                    .into(),
            ),
            oauth1_flow::Error::Transport { source, .. } => {
                let mut message = oauth1_core::Chain(&e).to_string();
                if let Some(hint) = crate::hint::network_hint(source) {
                    message.push('\n');
                    message.push_str(hint);
                }
                Failure::Network(message)
            }
            oauth1_flow::Error::Provider { step, error } => {
                let mut message = oauth1_core::Chain(&e).to_string();
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                if let Some(hint) = Hint::for_error(*step, error, now) {
                    message.push_str(&format!("\n{hint}"));
                }
                Failure::Provider(message)
            }
            oauth1_flow::Error::InvalidUrl { .. } | oauth1_flow::Error::Signing(_) => {
                Failure::Usage(oauth1_core::Chain(&e).to_string())
            }
            _ => Failure::Provider(oauth1_core::Chain(&e).to_string()),
        }
    }
}
