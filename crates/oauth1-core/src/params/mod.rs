//! Parameter collection and normalization (RFC 5849 §3.4.1.3) and the signature base string
//! (§3.4.1.1), built in reusable memory.

// Split along its seams: `scratch.rs` holds the reusable memory a request is collected, sorted
// and written into (the arena of normalized names and values, the base string, the thread's
// spare); `parameters.rs` the read-only view of the decoded parameters it hands out.
mod parameters;
mod scratch;

pub(crate) use parameters::Decoded;
pub use parameters::{Parameter, Parameters, Source};
pub(crate) use scratch::Head;
pub use scratch::Scratch;
