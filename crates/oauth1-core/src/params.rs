//! Parameter collection and normalization (RFC 5849 §3.4.1.3) and the signature base string
//! (§3.4.1.1), built in reusable memory.

use std::fmt;

use zeroize::Zeroize;

use crate::encode::{
    cmp_encoded, decode_into, encode_into, for_each_pair, with_bytes, Plus, Writer,
};
use crate::error::{Error, RequestPart};
use crate::url::{decimal, RequestUrl};

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

#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    name: Span,
    value: Span,
    source: Source,
}

/// Reusable working memory for signing and verification.
///
/// Signing with the same `Scratch` again reuses its allocations: after the first request of a
/// given size, signing allocates nothing. It holds no secret after use except a PLAINTEXT
/// signature, which it zeroizes on drop.
#[derive(Default, Clone)]
pub struct Scratch {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    pub(crate) base: String,
    pub(crate) signature: String,
    realm: Option<Span>,
}

impl fmt::Debug for Scratch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scratch")
            .field("parameters", &self.entries.len())
            .field("base_string", &self.base)
            .finish_non_exhaustive()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.signature.zeroize();
    }
}

/// `oauth_signature` never enters the base string, whatever its source (§3.4.1.3.1).
const SIGNATURE: &[u8] = b"oauth_signature";

impl Scratch {
    /// Empty working memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empties the scratch and makes room for a request of these sizes in one allocation
    /// each, instead of growing step by step.
    pub(crate) fn reset_for(&mut self, text_len: usize) {
        self.reset();
        self.arena.reserve(text_len + 256);
        self.entries.reserve(16);
        self.base.reserve(text_len * 3 + 256);
        self.signature.reserve(128);
    }

    pub(crate) fn reset(&mut self) {
        self.arena.clear();
        self.entries.clear();
        self.base.clear();
        self.signature.zeroize();
        self.realm = None;
    }

    fn span_of(&mut self, bytes: &[u8]) -> Span {
        let start = self.arena.len();
        self.arena.extend_from_slice(bytes);
        Span {
            start,
            end: self.arena.len(),
        }
    }

    #[inline]
    fn bytes(&self, span: Span) -> &[u8] {
        &self.arena[span.start..span.end]
    }

    /// Adds one parameter given as raw (decoded) octets.
    pub(crate) fn push(&mut self, name: &[u8], value: &[u8], source: Source) {
        let name = self.span_of(name);
        let value = self.span_of(value);
        self.entries.push(Entry {
            name,
            value,
            source,
        });
    }

    /// Adds a protocol parameter whose value is a decimal number.
    pub(crate) fn push_number(&mut self, name: &[u8], value: u64) {
        let mut buf = [0u8; 20];
        self.push(name, decimal(value, &mut buf), Source::Protocol);
    }

    /// Decodes `raw` (a query string or form body) and adds every pair.
    pub(crate) fn push_form(&mut self, raw: &[u8], source: Source) -> Result<(), Error> {
        let part = if source == Source::Query {
            RequestPart::Query
        } else {
            RequestPart::FormBody
        };
        let Scratch { arena, entries, .. } = self;
        for_each_pair(raw, |name, value, offset| {
            let n0 = arena.len();
            decode_into(name, Plus::Space, offset, arena)?;
            let n1 = arena.len();
            decode_into(value, Plus::Space, offset + name.len() + 1, arena)?;
            entries.push(Entry {
                name: Span { start: n0, end: n1 },
                value: Span {
                    start: n1,
                    end: arena.len(),
                },
                source,
            });
            Ok(())
        })
        .map_err(|error| Error::Decode { part, error })
    }

    pub(crate) fn set_realm(&mut self, realm: &str) {
        self.realm = Some(self.span_of(realm.as_bytes()));
    }

    pub(crate) fn realm(&self) -> Option<&str> {
        self.realm
            .and_then(|span| std::str::from_utf8(self.bytes(span)).ok())
    }

    /// Fails when a query or body parameter has the name of a protocol parameter the signer
    /// added, or is `oauth_signature`: signing would send it twice.
    pub(crate) fn check_no_clash(&self) -> Result<(), Error> {
        for e in self.entries.iter().filter(|e| e.source != Source::Protocol) {
            let name = self.bytes(e.name);
            if !name.starts_with(b"oauth_") {
                continue;
            }
            let clash = name == SIGNATURE
                || self
                    .entries
                    .iter()
                    .any(|p| p.source == Source::Protocol && self.bytes(p.name) == name);
            if clash {
                return Err(Error::ParameterClash {
                    name: String::from_utf8_lossy(name).into_owned(),
                    part: if e.source == Source::Query {
                        RequestPart::Query
                    } else {
                        RequestPart::FormBody
                    },
                });
            }
        }
        Ok(())
    }

    /// Sorts by encoded name, then encoded value (§3.4.1.3.2).
    pub(crate) fn sort(&mut self) {
        let Scratch { arena, entries, .. } = self;
        let get = |s: Span| &arena[s.start..s.end];
        entries.sort_unstable_by(|a, b| {
            cmp_encoded(get(a.name), get(b.name))
                .then_with(|| cmp_encoded(get(a.value), get(b.value)))
        });
    }

    /// Writes the signature base string (§3.4.1.1) into `self.base`. Call after [`Self::sort`].
    pub(crate) fn write_base_string(&mut self, method: &str, url: &RequestUrl<'_>) {
        let Scratch {
            arena,
            entries,
            base,
            ..
        } = self;
        base.clear();
        with_bytes(base, |out| {
            Writer::run(out, |w| {
                for b in method.bytes() {
                    w.encode(&[b.to_ascii_uppercase()]);
                }
                w.raw(b"&");
                write_encoded_base_string_uri(url, w);
                w.raw(b"&");
                let mut first = true;
                for e in entries.iter() {
                    let name = &arena[e.name.start..e.name.end];
                    if name == SIGNATURE {
                        continue;
                    }
                    if !first {
                        w.raw(b"%26");
                    }
                    first = false;
                    w.encode_twice(name);
                    w.raw(b"%3D");
                    w.encode_twice(&arena[e.value.start..e.value.end]);
                }
            });
        });
    }

    /// Every collected parameter, `oauth_signature` included, in collection order (before
    /// [`Self::sort`]) or sorted order (after).
    pub(crate) fn all(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        self.entries
            .iter()
            .map(|e| (self.bytes(e.name), self.bytes(e.value)))
    }

    /// The normalized parameters, in base-string order (without `oauth_signature`).
    pub(crate) fn parameters(&self) -> Parameters<'_> {
        Parameters {
            scratch: self,
            index: 0,
        }
    }
}

/// Appends the percent-encoded base string URI (what follows the method in the base string).
fn write_encoded_base_string_uri(url: &RequestUrl<'_>, w: &mut Writer<'_>) {
    encode_lowercase(url.scheme(), w);
    w.raw(b"%3A%2F%2F");
    encode_lowercase(url.host(), w);
    if let Some(port) = url.significant_port() {
        w.raw(b"%3A");
        let mut buf = [0u8; 20];
        w.raw(decimal(u64::from(port), &mut buf));
    }
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    w.encode(path.as_bytes());
}

fn encode_lowercase(s: &str, w: &mut Writer<'_>) {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        for b in s.bytes() {
            w.encode(&[b.to_ascii_lowercase()]);
        }
    } else {
        w.encode(s.as_bytes());
    }
}

/// One normalized parameter, as its decoded octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter<'a> {
    /// The decoded name.
    pub name: &'a [u8],
    /// The decoded value.
    pub value: &'a [u8],
    /// Where the parameter came from.
    pub source: Source,
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
    scratch: &'a Scratch,
    index: usize,
}

impl<'a> Iterator for Parameters<'a> {
    type Item = Parameter<'a>;

    fn next(&mut self) -> Option<Parameter<'a>> {
        loop {
            let e = *self.scratch.entries.get(self.index)?;
            self.index += 1;
            let name = self.scratch.bytes(e.name);
            if name != SIGNATURE {
                return Some(Parameter {
                    name,
                    value: self.scratch.bytes(e.value),
                    source: e.source,
                });
            }
        }
    }
}
