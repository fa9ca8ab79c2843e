//! The parameters of a signed or received request as decoded octets: [`Parameter`],
//! [`Parameters`] and where each came from ([`Source`]).

use std::fmt;

use crate::encode::{decode_twice, encode_into};

use super::scratch::wipe;

/// Where a parameter of the signature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// The URL's query string.
    Query,
    /// The `application/x-www-form-urlencoded` body.
    Body,
    /// A protocol parameter: set by the signer, or read from the `Authorization` header.
    Protocol,
}

/// The decoded parameters: octets, and for each parameter where its name and value are.
#[derive(Default, Clone)]
pub(crate) struct Decoded {
    bytes: Vec<u8>,
    params: Vec<(usize, usize, usize, Source)>,
}

impl Drop for Decoded {
    fn drop(&mut self) {
        wipe(&mut self.bytes);
    }
}

impl Decoded {
    /// Adds a parameter given as octets.
    pub(super) fn push(&mut self, name: &[u8], value: &[u8], source: Source) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(name);
        let middle = self.bytes.len();
        self.bytes.extend_from_slice(value);
        self.params.push((start, middle, self.bytes.len(), source));
    }

    /// Adds a parameter as kept in the scratch (normalized and encoded once more).
    pub(super) fn push_encoded(&mut self, name: &[u8], value: &[u8], source: Source) {
        let start = self.bytes.len();
        decode_twice(name, &mut self.bytes);
        let middle = self.bytes.len();
        decode_twice(value, &mut self.bytes);
        self.params.push((start, middle, self.bytes.len(), source));
    }
}

impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("parameters", &self.params.len())
            .finish_non_exhaustive()
    }
}

/// One normalized parameter, as its decoded octets.
///
/// Its `Debug` shows the name, the source and the value's length, not the value: a request's
/// parameters can hold a password (xAuth's `x_auth_password`). Read [`value`](Self::value) to
/// see it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Parameter<'a> {
    /// The decoded name.
    pub name: &'a [u8],
    /// The decoded value.
    pub value: &'a [u8],
    /// Where the parameter came from.
    pub source: Source,
}

impl fmt::Debug for Parameter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parameter")
            .field("name", &String::from_utf8_lossy(self.name))
            .field("value", &format_args!("<{} bytes>", self.value.len()))
            .field("source", &self.source)
            .finish()
    }
}

impl Parameter<'_> {
    /// The name, percent-encoded as it appears in the normalized parameter string.
    pub fn encoded_name(&self) -> String {
        let mut out = String::new();
        encode_into(self.name, &mut out);
        out
    }

    /// The value, percent-encoded as it appears in the normalized parameter string.
    pub fn encoded_value(&self) -> String {
        let mut out = String::new();
        encode_into(self.value, &mut out);
        out
    }
}

/// The normalized parameters of a signed or received request, in base-string order.
#[derive(Debug, Clone)]
pub struct Parameters<'a> {
    decoded: &'a Decoded,
    index: usize,
}

impl<'a> Parameters<'a> {
    /// The parameters in `decoded`, from the first.
    pub(super) fn new(decoded: &'a Decoded) -> Self {
        Parameters { decoded, index: 0 }
    }
}

impl<'a> Iterator for Parameters<'a> {
    type Item = Parameter<'a>;

    fn next(&mut self) -> Option<Parameter<'a>> {
        let &(start, middle, end, source) = self.decoded.params.get(self.index)?;
        self.index += 1;
        let bytes = &self.decoded.bytes;
        Some(Parameter {
            name: bytes.get(start..middle).unwrap_or_default(),
            value: bytes.get(middle..end).unwrap_or_default(),
            source,
        })
    }
}
