//! The wire-level tests every transport of oauth1-rs passes, written once (not published).
//!
//! - [`server`]: a raw HTTP/1.1 server on 127.0.0.1 (plain, or TLS through [`tls`]) that
//!   records each request's bytes and answers down to the byte: errors, huge bodies, silence,
//!   slow streams, peers that do not speak HTTP.
//! - [`cases`] and [`https`]: what a transport must do on the wire (send requests unchanged,
//!   hand back every status, honour its timeout and body limit, name each failure), as
//!   functions generic over the flow's blocking traits and taking the transport's constructor.
//!   An async transport runs them through [`BlockOn`].
//! - [`wire_suite!`] and [`https_suite!`]: one `#[test]` per case for a constructor, as rustls's
//!   test crate compiles its tests once per crypto provider. Each file of `tests/` is one
//!   transport: the suites, then the wire tests of that transport alone.
//!
//! ```no_run
//! use oauth1_transport_tests::Limits;
//! use oauth1_transport_ureq::{UreqTransport, UreqTransportBuilder as Builder};
//!
//! fn transport(limits: Limits) -> UreqTransport {
//!     limits
//!         .apply(UreqTransport::builder(), Builder::timeout, Builder::max_body)
//!         .build()
//! }
//!
//! oauth1_transport_tests::wire_suite!(transport);
//! # fn main() {}
//! ```
// Test support: a failed check panics, as an assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![forbid(unsafe_code)]

pub mod cases;
pub mod https;
pub mod server;
pub mod tls;

use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use oauth1_flow::{
    AsyncBody, BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, HttpClient,
    StreamingHttpClient, TransportError,
};
use tokio::runtime::Runtime;

pub use server::LIMIT;

/// What a case asks of the transport it makes: `None` keeps the transport's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// The timeout of a buffered exchange (of the connection and the head, for a stream).
    pub timeout: Option<Duration>,
    /// The largest buffered body.
    pub max_body: Option<usize>,
}

impl Limits {
    /// The transport's defaults.
    pub const DEFAULT: Limits = Limits {
        timeout: None,
        max_body: None,
    };

    /// A timeout of `millis` milliseconds.
    pub fn timeout_ms(millis: u64) -> Limits {
        Limits {
            timeout: Some(Duration::from_millis(millis)),
            max_body: None,
        }
    }

    /// A body limit of `bytes`.
    pub fn max_body(bytes: usize) -> Limits {
        Limits {
            timeout: None,
            max_body: Some(bytes),
        }
    }

    /// Sets what is set on a transport's builder, through its `timeout` and `max_body`
    /// methods: `limits.apply(UreqTransport::builder(), Builder::timeout, Builder::max_body)`.
    pub fn apply<B>(
        self,
        builder: B,
        timeout: impl FnOnce(B, Duration) -> B,
        max_body: impl FnOnce(B, usize) -> B,
    ) -> B {
        let builder = match self.timeout {
            Some(value) => timeout(builder, value),
            None => builder,
        };
        match self.max_body {
            Some(value) => max_body(builder, value),
            None => builder,
        }
    }
}

/// Runs `test` on a thread of its own and fails if it takes longer than [`LIMIT`].
pub fn bounded(test: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let handle = thread::spawn(move || {
        test();
        let _ = done.send(());
    });
    match finished.recv_timeout(LIMIT) {
        Ok(()) => handle.join().unwrap(),
        // The test panicked: join to report its message.
        Err(mpsc::RecvTimeoutError::Disconnected) => handle.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test took longer than its bound"),
    }
}

/// An async transport seen through the blocking traits: each call runs to completion on a
/// single-threaded tokio runtime of its own, which also drives the transport's connections
/// and timers while a call runs (and a stream's body while a chunk is read).
pub struct BlockOn<T> {
    transport: T,
    runtime: Arc<Runtime>,
}

impl<T> BlockOn<T> {
    /// Makes the transport inside the runtime (a client may look for one as it is built).
    pub fn new(make: impl FnOnce() -> T) -> BlockOn<T> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let transport = {
            let _inside = runtime.enter();
            make()
        };
        BlockOn {
            transport,
            runtime: Arc::new(runtime),
        }
    }
}

impl<T: HttpClient> BlockingHttpClient for BlockOn<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        self.runtime.block_on(self.transport.send(request))
    }
}

impl<T: StreamingHttpClient> BlockingStreamingHttpClient for BlockOn<T> {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        let response = self
            .runtime
            .block_on(self.transport.send_streaming(request))?;
        let runtime = Arc::clone(&self.runtime);
        Ok(response.map(|body| Box::new(BlockOnBody { body, runtime }) as Box<dyn BlockingBody>))
    }
}

/// A stream's body read through the runtime that sent its request.
struct BlockOnBody {
    // Dropped before the runtime, which may go with it.
    body: Box<dyn AsyncBody>,
    runtime: Arc<Runtime>,
}

impl BlockingBody for BlockOnBody {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        self.runtime.block_on(self.body.chunk())
    }
}

/// One `#[test]` per wire case of [`cases`], each [`bounded`], for `$make`: a function from
/// [`Limits`] to a transport that implements `BlockingStreamingHttpClient` (wrap an async one
/// in [`BlockOn`]).
#[macro_export]
macro_rules! wire_suite {
    ($make:path) => {
        $crate::each_case!(cases, $make;
            sends_method_url_headers_and_body_unchanged,
            a_get_carries_no_body_and_an_empty_post_says_so,
            a_signed_request_verifies_where_it_arrives,
            error_statuses_and_redirects_come_back_as_responses,
            a_body_over_the_limit_is_refused_announced_or_not,
            a_body_at_the_limit_is_fine,
            a_head_response_announcing_a_large_body_is_fine,
            a_silent_server_times_out,
            a_body_that_stops_midway_times_out,
            a_refused_connection_is_a_connect_error,
            a_peer_that_does_not_speak_http_is_a_protocol_error,
            a_truncated_body_is_a_protocol_error,
            a_relative_uri_is_an_invalid_request,
            a_stream_is_read_while_the_server_is_still_sending,
            a_stream_whose_head_never_comes_times_out,
            a_stream_outlives_the_timeout,
        );
    };
}

/// One `#[test]` per case of [`https`], each [`bounded`]: `$make` as for [`wire_suite!`] (a
/// transport that trusts what it trusts by default), `$trusting` a function making one that
/// trusts the test CA ([`tls::ca`]) and nothing else.
#[macro_export]
macro_rules! https_suite {
    ($make:path, $trusting:path) => {
        $crate::each_case!(https, $make;
            an_untrusted_certificate_is_refused,
            https_to_a_plain_http_server_is_a_tls_error,
        );

        #[test]
        fn a_trusted_server_answers_over_https() {
            $crate::bounded(|| $crate::https::a_trusted_server_answers_over_https($trusting));
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! each_case {
    ($module:ident, $make:path; $($case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::bounded(|| $crate::$module::$case($make));
            }
        )+
    };
}
