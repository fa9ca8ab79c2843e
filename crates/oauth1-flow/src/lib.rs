//! The OAuth 1.0a dance (RFC 5849 §2) as a sans-IO typestate machine, the `ServiceProvider`
//! description of a provider, and the transport traits that connect it to any HTTP library.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod transport;

pub use transport::{
    AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, HttpClient,
    StreamingHttpClient, TransportError, TransportErrorKind,
};
