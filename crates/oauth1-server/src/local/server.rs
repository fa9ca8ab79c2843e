//! The accept loop: HTTP/1.1 over hyper with a connection limit, a watchdog per connection
//! (header and idle timeouts), the request-token sweep, and graceful shutdown.
//!
//! Each connection is in one of three phases, and its watchdog closes it when the phase's
//! deadline passes:
//!
//! - **waiting** for a request (just accepted, or after a response): closed after the header
//!   timeout if nothing was ever asked on it, else after the idle timeout (keep-alive);
//! - **head**: the first byte of a request arrived and its headers have not all come: closed
//!   the header timeout after that byte (a stalled, partial head);
//! - **busy**: a request is being handled or its response written: closed when no byte has
//!   moved either way for the idle timeout (a client that stops reading a stream). The body
//!   timeout is the handler's (`routes::read_body`): a response may stream for as long as the
//!   client reads it.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use bytes::Bytes;
use http_body::Frame;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower_service::Service;

use super::routes::App;

/// How long open connections get to finish when the provider stops, before they are cut.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// The answer to a connection over the limit.
const OVER_LIMIT: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// The connection limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header: Duration,
    pub(crate) idle: Duration,
    pub(crate) max_connections: usize,
    pub(crate) sweep: Duration,
}

/// Serves `listener` until `shutdown` resolves, then lets open connections finish for
/// [`SHUTDOWN_GRACE`] and cuts the rest.
pub(crate) async fn run(
    listener: TcpListener,
    app: Arc<App>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let router = super::routes::router(Arc::clone(&app));
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut sweep = tokio::time::interval_at(Instant::now() + limits.sweep, limits.sweep);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            _ = sweep.tick() => {
                app.store.sweep();
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin, and go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
                    // Over the limit: a best-effort 503, and the connection closes.
                    let _ = stream.try_write(OVER_LIMIT);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                connections.spawn(connection(stream, router.clone(), limits, stopped.clone(), permit));
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.abort_all();
    Ok(())
}

/// Serves one connection until it ends, its watchdog fires, or the provider stops.
async fn connection(
    stream: TcpStream,
    router: Router,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let service = {
        let activity = Arc::clone(&activity);
        hyper::service::service_fn(move |request: http::Request<Incoming>| {
            let busy = Busy::start(Arc::clone(&activity));
            let mut router = router.clone();
            async move {
                let response = match router.call(request).await {
                    Ok(r) => r,
                    Err(never) => match never {},
                };
                Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
            }
        })
    };
    let conn = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        () = activity.expired(limits) => return,
        _ = stopped.wait_for(|s| *s) => conn.as_mut().graceful_shutdown(),
    }
    tokio::select! {
        _ = conn.as_mut() => {}
        () = activity.expired(limits) => {}
    }
}

/// What the watchdog knows about a connection. The lock is held for a few assignments only.
struct Activity {
    state: Mutex<Phase>,
    notify: Notify,
}

struct Phase {
    /// Requests being handled (or their responses written).
    in_flight: usize,
    /// Requests answered so far.
    served: u64,
    /// When the connection last became idle (accepted, or a response ended).
    idle_since: Instant,
    /// When the first byte of the next request arrived, while idle.
    head_since: Option<Instant>,
    /// When a byte last moved either way.
    last_io: Instant,
}

impl Activity {
    fn new() -> Activity {
        let now = Instant::now();
        Activity {
            state: Mutex::new(Phase {
                in_flight: 0,
                served: 0,
                idle_since: now,
                head_since: None,
                last_io: now,
            }),
            notify: Notify::new(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut Phase)) {
        if let Ok(mut phase) = self.state.lock() {
            f(&mut phase);
        }
        self.notify.notify_one();
    }

    /// When the connection must close if nothing changes (see the module docs).
    fn deadline(&self, limits: Limits) -> Instant {
        let Ok(p) = self.state.lock() else {
            return Instant::now();
        };
        if p.in_flight > 0 {
            p.last_io + limits.idle
        } else if let Some(since) = p.head_since {
            since + limits.header
        } else if p.served == 0 {
            p.idle_since + limits.header
        } else {
            p.idle_since + limits.idle
        }
    }

    /// Resolves when the current phase's deadline passes.
    async fn expired(&self, limits: Limits) {
        loop {
            // `notify_one` keeps a permit when no one waits: no change is missed.
            let changed = self.notify.notified();
            let deadline = self.deadline(limits);
            if deadline <= Instant::now() {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => {}
                () = changed => {}
            }
        }
    }

    fn on_read(&self) {
        let now = Instant::now();
        self.update(|p| {
            p.last_io = now;
            if p.in_flight == 0 && p.head_since.is_none() {
                p.head_since = Some(now);
            }
        });
    }

    fn on_write(&self) {
        // No notification: the busy deadline only moves later, and the watchdog reads it
        // again when it wakes.
        if let Ok(mut p) = self.state.lock() {
            p.last_io = Instant::now();
        }
    }
}

/// A request in flight, from its head to the end (or drop) of its response body.
struct Busy(Arc<Activity>);

impl Busy {
    fn start(activity: Arc<Activity>) -> Busy {
        activity.update(|p| {
            p.in_flight += 1;
            p.head_since = None;
        });
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let now = Instant::now();
        self.0.update(|p| {
            p.in_flight = p.in_flight.saturating_sub(1);
            if p.in_flight == 0 {
                p.served += 1;
                p.idle_since = now;
                p.head_since = None;
            }
        });
    }
}

/// A response body that marks its request done when hyper drops it (written or cut).
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The socket, telling the watchdog when bytes move.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.on_read();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.on_write();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.on_write();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
