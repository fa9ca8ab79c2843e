//! TLS for the test server: a certificate for `localhost` and `127.0.0.1` issued by a throwaway
//! test CA (see `fixtures/README.md`).

use std::net::TcpStream;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::server::Conn;

const CA: &[u8] = include_bytes!("../fixtures/ca.pem");
const CERT: &[u8] = include_bytes!("../fixtures/localhost.pem");
const KEY: &[u8] = include_bytes!("../fixtures/localhost.key");

/// The test CA, to trust in a client that should accept the test server.
pub fn ca() -> CertificateDer<'static> {
    CertificateDer::from_pem_slice(CA).expect("fixtures/ca.pem")
}

/// The test CA in PEM.
pub fn ca_pem() -> &'static [u8] {
    CA
}

/// Wraps each accepted socket in a TLS server session with the test certificate.
pub fn wrap() -> impl Fn(TcpStream) -> Option<Box<dyn Conn + Send>> + Send + Sync + 'static {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(CERT).expect("fixtures/localhost.pem")],
            PrivateKeyDer::from_pem_slice(KEY).expect("fixtures/localhost.key"),
        )
        .expect("server certificate");
    let config = Arc::new(config);
    move |stream| {
        let session = rustls::ServerConnection::new(Arc::clone(&config)).ok()?;
        Some(Box::new(rustls::StreamOwned::new(session, stream)) as Box<dyn Conn + Send>)
    }
}

/// A rustls client configuration (`ring` provider) that trusts the test CA and nothing else.
pub fn client_config() -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca()).expect("the test CA");
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}
