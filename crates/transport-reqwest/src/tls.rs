//! The rustls configuration this crate gives reqwest: the `ring` provider and the operating
//! system's certificate store, HTTP/1.1 only.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};

/// A client configuration that checks certificates against the system's roots.
///
/// When the system has no usable root certificate (a container without `ca-certificates`, say),
/// the configuration refuses every certificate with a message that says so: plain HTTP still
/// works, and HTTPS fails with [`TransportErrorKind::Tls`](oauth1_flow::TransportErrorKind::Tls)
/// rather than at construction.
pub(crate) fn client_config() -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?
        .dangerous();
    let verifier: Arc<dyn ServerCertVerifier> =
        match rustls_platform_verifier::Verifier::new(Arc::clone(&provider)) {
            Ok(verifier) => Arc::new(verifier),
            Err(error) => Arc::new(NoRoots {
                reason: format!(
                    "no trusted root certificate could be loaded from the system ({error}); \
                     install the system's CA certificates (the `ca-certificates` package), or \
                     build the transport from your own reqwest client with the roots you trust"
                ),
                provider,
            }),
        };
    let mut config = builder
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A verifier for a system without root certificates: it trusts nothing, and says why.
#[derive(Debug)]
struct NoRoots {
    reason: String,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for NoRoots {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Err(rustls::Error::General(self.reason.clone()))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Whether `error`, or anything in its chain, is a rustls error (a handshake or certificate
/// failure). An [`std::io::Error`] hides the error it carries from `source()` (and may carry
/// another `io::Error`), so look inside those too.
pub(crate) fn is_tls_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<rustls::Error>() {
            return true;
        }
        current = match error.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => std::error::Error::source(io),
            },
            None => error.source(),
        };
    }
    false
}
