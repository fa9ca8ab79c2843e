//! The signature base string, step by step (RFC 5849 §3.4.1), as standalone functions.
//!
//! [`Signer`](crate::Signer) and [`Received`](crate::Received) build the base string in one
//! pass over reusable memory; these functions spell out the same steps one at a time, for
//! inspection, teaching and tests (the test suite checks both paths agree).
//!
//! ```
//! use oauth1_core::base_string::{normalize_parameters, signature_base_string};
//! use oauth1_core::url::RequestUrl;
//!
//! let params: [(&[u8], &[u8]); 3] = [(b"b", b"2"), (b"a", b"x y"), (b"a", b"!")];
//! let normalized = normalize_parameters(params);
//! assert_eq!(normalized, "a=%21&a=x%20y&b=2");
//! let url = RequestUrl::parse("HTTPS://Example.com:443/p?ignored=1").unwrap();
//! assert_eq!(
//!     signature_base_string("get", &url, &normalized),
//!     "GET&https%3A%2F%2Fexample.com%2Fp&a%3D%2521%26a%3Dx%2520y%26b%3D2"
//! );
//! ```

use crate::encode::{cmp_encoded, encode_bytes, with_bytes};
use crate::url::RequestUrl;

/// The normalized parameter string (§3.4.1.3.2): each name and value percent-encoded, sorted by
/// encoded name then encoded value, joined as `name=value` pairs with `&`. Duplicates are kept.
/// Pass the parameters already decoded, without `oauth_signature` (and without a header `realm`).
pub fn normalize_parameters<'a, I>(parameters: I) -> String
where
    I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
{
    let mut params: Vec<(&[u8], &[u8])> = parameters.into_iter().collect();
    params.sort_by(|a, b| cmp_encoded(a.0, b.0).then_with(|| cmp_encoded(a.1, b.1)));
    let mut out = String::new();
    with_bytes(&mut out, |out| {
        for (i, (name, value)) in params.into_iter().enumerate() {
            if i > 0 {
                out.push(b'&');
            }
            encode_bytes(name, out);
            out.push(b'=');
            encode_bytes(value, out);
        }
    });
    out
}

/// The signature base string (§3.4.1.1): the upper-cased method, the base string URI and the
/// normalized parameters, each percent-encoded, joined with `&`.
pub fn signature_base_string(
    method: &str,
    url: &RequestUrl<'_>,
    normalized_parameters: &str,
) -> String {
    let mut out = String::new();
    with_bytes(&mut out, |out| {
        encode_bytes(method.to_ascii_uppercase().as_bytes(), out);
        out.push(b'&');
        encode_bytes(url.base_string_uri().as_bytes(), out);
        out.push(b'&');
        encode_bytes(normalized_parameters.as_bytes(), out);
    });
    out
}

/// `oauth_body_hash` of `body`: base64 of its SHA-1 digest (OAuth Request Body Hash extension).
///
/// ```
/// assert_eq!(oauth1_core::base_string::body_hash(b"Hello World!"), "Lve95gjOVATpfV8EL5X4nxwjKHE=");
/// ```
pub fn body_hash(body: &[u8]) -> String {
    let mut buf = [0u8; 28];
    body_hash_into(body, &mut buf).to_owned()
}

/// [`body_hash`] into a stack buffer (28 bytes hold the base64 of a 20-byte digest).
pub(crate) fn body_hash_into<'b>(body: &[u8], buf: &'b mut [u8; 28]) -> &'b str {
    use base64::Engine as _;
    use sha1::Digest as _;
    let n = base64::engine::general_purpose::STANDARD
        .encode_slice(sha1::Sha1::digest(body), buf)
        .unwrap_or_default();
    std::str::from_utf8(&buf[..n]).unwrap_or_default()
}
