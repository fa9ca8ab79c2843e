//! The drivers: each step of [`Flow`] prepared, sent through a transport and its answer read,
//! in one call (async, and the `_blocking` twins).

use oauth1_core::Secret;

use crate::error::{Error, Step};
use crate::provider::ServiceProvider;
use crate::transport::{BlockingHttpClient, HttpClient};

use super::{AccessToken, Callback, Flow, RequestToken, Verifier};

impl<P: ServiceProvider> Flow<P> {
    /// One step through `client`: prepare, send, read (in an `oauth1.step` span with the
    /// `tracing` feature).
    async fn run<C: HttpClient + ?Sized, R, T>(
        &self,
        client: &C,
        step: Step,
        prepare: impl FnOnce() -> Result<(http::Request<Vec<u8>>, R), Error>,
        handle: impl FnOnce(R, http::Response<Vec<u8>>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::step_span(step);
        let run = async {
            let (request, pending) = prepare()?;
            #[cfg(feature = "tracing")]
            crate::trace::record_request(&span, &request);
            let response = client.send(request).await.map_err(Error::transport(step))?;
            #[cfg(feature = "tracing")]
            crate::trace::record_status(&span, response.status());
            handle(pending, response)
        };
        #[cfg(feature = "tracing")]
        let run = tracing::Instrument::instrument(run, span.clone());
        let result = run.await;
        #[cfg(feature = "tracing")]
        crate::trace::record_outcome(&span, &result);
        result
    }

    /// The blocking counterpart of [`run`](Self::run).
    fn run_blocking<C: BlockingHttpClient + ?Sized, R, T>(
        &self,
        client: &C,
        step: Step,
        prepare: impl FnOnce() -> Result<(http::Request<Vec<u8>>, R), Error>,
        handle: impl FnOnce(R, http::Response<Vec<u8>>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        #[cfg(feature = "tracing")]
        let span = crate::trace::step_span(step);
        let run = || {
            let (request, pending) = prepare()?;
            #[cfg(feature = "tracing")]
            crate::trace::record_request(&span, &request);
            let response = client.send(request).map_err(Error::transport(step))?;
            #[cfg(feature = "tracing")]
            crate::trace::record_status(&span, response.status());
            handle(pending, response)
        };
        #[cfg(feature = "tracing")]
        let result = span.in_scope(run);
        #[cfg(not(feature = "tracing"))]
        let result = run();
        #[cfg(feature = "tracing")]
        crate::trace::record_outcome(&span, &result);
        result
    }

    /// Step 1 through `client`: the request token.
    pub async fn request_token<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        callback: Callback,
    ) -> Result<RequestToken, Error> {
        self.run(
            client,
            Step::RequestToken,
            || self.prepare_request_token(callback),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
        .await
    }

    /// Step 1 through a blocking `client`.
    pub fn request_token_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        callback: Callback,
    ) -> Result<RequestToken, Error> {
        self.run_blocking(
            client,
            Step::RequestToken,
            || self.prepare_request_token(callback),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
    }

    /// Step 3 through `client`: the access token.
    pub async fn access_token<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        verifier: &Verifier,
    ) -> Result<AccessToken, Error> {
        self.run(
            client,
            Step::AccessToken,
            || self.prepare_access_token(verifier),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
        .await
    }

    /// Step 3 through a blocking `client`.
    pub fn access_token_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        verifier: &Verifier,
    ) -> Result<AccessToken, Error> {
        self.run_blocking(
            client,
            Step::AccessToken,
            || self.prepare_access_token(verifier),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
    }

    /// xAuth through `client`.
    pub async fn xauth<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        username: &str,
        password: &Secret,
    ) -> Result<AccessToken, Error> {
        self.run(
            client,
            Step::XAuth,
            || self.prepare_xauth(username, password),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
        .await
    }

    /// xAuth through a blocking `client`.
    pub fn xauth_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        username: &str,
        password: &Secret,
    ) -> Result<AccessToken, Error> {
        self.run_blocking(
            client,
            Step::XAuth,
            || self.prepare_xauth(username, password),
            |pending, response| pending.handle_response_for(self.provider(), response),
        )
    }

    /// Revokes `token` through `client`.
    pub async fn invalidate<C: HttpClient + ?Sized>(
        &self,
        client: &C,
        token: &AccessToken,
    ) -> Result<(), Error> {
        self.run(
            client,
            Step::InvalidateToken,
            || Ok((self.prepare_invalidate(token)?, ())),
            |(), response| self.handle_invalidate(response),
        )
        .await
    }

    /// Revokes `token` through a blocking `client`.
    pub fn invalidate_blocking<C: BlockingHttpClient + ?Sized>(
        &self,
        client: &C,
        token: &AccessToken,
    ) -> Result<(), Error> {
        self.run_blocking(
            client,
            Step::InvalidateToken,
            || Ok((self.prepare_invalidate(token)?, ())),
            |(), response| self.handle_invalidate(response),
        )
    }
}
