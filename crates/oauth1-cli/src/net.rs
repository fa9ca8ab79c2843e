//! The network flags of `oauth1 authorize` and `oauth1 request` (`--proxy`, `--timeout`,
//! `-t/--trace`) and the transport they make: ureq's, naming the host and the proxy in its
//! errors, and tracing each exchange on stderr when asked.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use oauth1_flow::{BlockingBody, BlockingHttpClient, BlockingStreamingHttpClient, TransportError};
use oauth1_transport_ureq::{ureq, UreqTransport};

use crate::failure::Failure;
use crate::hint::NamingTransport;
use crate::trace::Tracer;

/// The seconds an exchange may take unless `--timeout` says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// The network flags. Their `Debug` shows whether a proxy is set, not its URL (it may hold a
/// password).
#[derive(Clone, Args)]
pub struct NetArgs {
    /// Send through this proxy (`http://HOST:PORT`, `https://…`, `socks5://…`) instead of the
    /// one of ALL_PROXY, HTTPS_PROXY or HTTP_PROXY. A proxy with a password is better in those
    /// variables: other users can read the command line.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Give up on an exchange (connecting, sending, the whole answer) after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Print every exchange on stderr: the request as sent, its signature explained (the
    /// parameters, the base string, the masked signing key), and the response. Secrets are
    /// masked.
    #[arg(short = 't', long)]
    pub trace: bool,
}

impl std::fmt::Debug for NetArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetArgs")
            .field("proxy", &self.proxy.as_ref().map(|_| "[set]"))
            .field("timeout", &self.timeout)
            .field("trace", &self.trace)
            .finish()
    }
}

impl Default for NetArgs {
    fn default() -> Self {
        NetArgs {
            proxy: None,
            timeout: DEFAULT_TIMEOUT_SECS,
            trace: false,
        }
    }
}

/// The CLI's transport: ureq's with the host and proxy named in errors, and a tracer when
/// `--trace` is on.
#[derive(Clone)]
pub struct CliTransport {
    inner: NamingTransport,
    tracer: Option<Arc<Tracer>>,
}

impl NetArgs {
    /// The transport these flags ask for, tracing with `tracer` when `--trace` is on.
    pub fn transport(&self, tracer: Option<Tracer>) -> Result<CliTransport, Failure> {
        let timeout = Duration::from_secs(self.timeout);
        let mut config = oauth1_transport_ureq::config_builder().timeout_global(Some(timeout));
        if let Some(url) = &self.proxy {
            // Not quoted back: a proxy URL may hold a password.
            let proxy = ureq::Proxy::new(url).map_err(|_| {
                Failure::Usage(
                    "--proxy is not a proxy URL: give http://HOST:PORT (or https://, socks4://, \
                     socks5://)"
                        .into(),
                )
            })?;
            config = config.proxy(Some(proxy));
        }
        let transport = UreqTransport::builder()
            .agent(config.build().new_agent())
            .timeout(timeout)
            .build();
        Ok(CliTransport {
            inner: NamingTransport(transport),
            tracer: tracer.filter(|_| self.trace).map(Arc::new),
        })
    }
}

impl CliTransport {
    /// The tracer, when `--trace` is on.
    pub fn tracer(&self) -> Option<&Tracer> {
        self.tracer.as_deref()
    }
}

impl BlockingHttpClient for CliTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let Some(tracer) = &self.tracer else {
            return self.inner.send(request);
        };
        tracer.request(&request);
        let result = self.inner.send(request);
        match &result {
            Ok(response) => {
                tracer.response(response.status(), response.headers(), Some(response.body()))
            }
            Err(e) => tracer.error(e),
        }
        result
    }
}

impl BlockingStreamingHttpClient for CliTransport {
    fn send_streaming(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Box<dyn BlockingBody>>, TransportError> {
        let Some(tracer) = &self.tracer else {
            return self.inner.send_streaming(request);
        };
        tracer.request(&request);
        let result = self.inner.send_streaming(request);
        match &result {
            Ok(response) => tracer.response(response.status(), response.headers(), None),
            Err(e) => tracer.error(e),
        }
        result
    }
}
