//! The dance (RFC 5849 §2) as types: [`Flow`] → [`PendingRequestToken`] → [`RequestToken`] →
//! [`Verifier`] → [`PendingAccessToken`] → [`AccessToken`], and xAuth straight to an
//! [`AccessToken`].
//!
//! Every step is sans-IO: a `prepare_*` method returns the `http::Request<Vec<u8>>` to send and
//! a pending state whose `handle_response` takes the `http::Response<Vec<u8>>` back. The drivers
//! on [`Flow`] (`request_token`, `access_token`, `xauth`, and their `_blocking` twins) do both
//! through a transport in one call. The states a web application parks between the redirect
//! and the callback ([`RequestToken`], [`Verifier`]) and the [`AccessToken`] it keeps are
//! `Serialize + Deserialize`; they hold token secrets (keep the store private) but never the
//! consumer secret, which the application supplies again through its [`Flow`].

// Split along its seams: `flow.rs` holds the `Flow` and what it is set up with (the callback,
// the nonce and timestamp source) and the `prepare_*` steps; `drive.rs` the drivers that run a
// step through a transport (async and blocking); `states.rs` the states between the steps;
// `response.rs` the reading of the provider's answers, behind every `handle_response*`.
mod drive;
mod flow;
mod response;
mod states;

pub(crate) use flow::add_missing;
pub use flow::{Callback, Flow, Stamp, SystemStamp};
pub(crate) use response::check_status;
pub use states::{AccessToken, PendingAccessToken, PendingRequestToken, RequestToken, Verifier};
