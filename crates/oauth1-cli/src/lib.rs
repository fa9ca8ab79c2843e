//! The `oauth1` command-line tool: sign, explain and batch-sign OAuth 1.0a requests.
//!
//! The binary is a thin layer over these modules, which other programs (and the tests) can use
//! directly:
//! - [`case`]: one signing case (the `sign --batch` input object) and its signing;
//! - [`batch`]: `oauth1 sign --batch`, JSON Lines in and out;
//! - [`explain`]: `oauth1 sign --explain`, the human-readable account of a signature.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod batch;
pub mod case;
pub mod explain;
