//! Parameter collection and normalization (RFC 5849 §3.4.1.3) and the signature base string
//! (§3.4.1.1), built in reusable memory.

use std::fmt;

use zeroize::Zeroize;

use crate::encode::{
    cmp_encoded, encode_into, encoded_prefix, for_each_pair, is_plain, with_bytes, Writer,
};
use crate::error::{DecodeError, Error, RequestPart};
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

/// Decoded octets in the arena, and whether they are all unreserved (their §3.6 encoding is
/// then themselves: copied, compared and written without encoding).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: usize,
    end: usize,
    plain: bool,
}

impl Span {
    fn len(self) -> usize {
        self.end - self.start
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The first eight bytes of the encoded name, big-endian, zero-padded: comparing keys
    /// compares names in most cases (an encoded name never holds a zero byte).
    key: u64,
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
    /// The decoded names and values up to `used`; the rest is slack that keeps its length
    /// between uses, so that writing never has to zero it again.
    arena: Vec<u8>,
    used: usize,
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
        self.arena
            .reserve((text_len + 512).saturating_sub(self.arena.len()));
        self.entries.reserve(16);
        self.base.reserve(text_len * 3 + 256);
        self.signature.reserve(128);
    }

    pub(crate) fn reset(&mut self) {
        self.used = 0;
        self.entries.clear();
        self.base.clear();
        self.signature.zeroize();
        self.realm = None;
    }

    /// Copies `bytes` into the arena.
    #[inline]
    fn span_of(&mut self, bytes: &[u8], plain: bool) -> Span {
        let start = self.used;
        self.used = Writer::append(&mut self.arena, start, |w| w.copy(bytes, 0, bytes.len()));
        Span {
            start,
            end: self.used,
            plain,
        }
    }

    #[inline]
    fn bytes(&self, span: Span) -> &[u8] {
        &self.arena[span.start..span.end]
    }

    /// Decodes the raw query or form text `raw` (at `offset` in its part) into the arena.
    #[inline]
    fn decode(&mut self, raw: &[u8], offset: usize) -> Result<Span, DecodeError> {
        let start = self.used;
        let mut plain = Ok(true);
        let end = Writer::append(&mut self.arena, start, |w| {
            plain = w.decode_form(raw, offset);
        });
        self.used = end;
        Ok(Span {
            start,
            end,
            plain: plain?,
        })
    }

    #[inline]
    fn push_entry(&mut self, name: Span, value: Span, source: Source) {
        let key = encoded_prefix(&self.arena[name.start..name.end], name.plain);
        self.entries.push(Entry {
            key,
            name,
            value,
            source,
        });
    }

    /// Adds one parameter given as raw (decoded) octets.
    pub(crate) fn push(&mut self, name: &[u8], value: &[u8], source: Source) {
        let name = self.span_of(name, is_plain(name));
        let value = self.span_of(value, is_plain(value));
        self.push_entry(name, value, source);
    }

    /// Adds a protocol parameter whose name, and value when `plain_value`, are all
    /// unreserved bytes (see [`is_plain`]).
    #[inline]
    pub(crate) fn push_protocol(&mut self, name: &[u8], value: &[u8], plain_value: bool) {
        debug_assert!(is_plain(name) && (!plain_value || is_plain(value)));
        let name = self.span_of(name, true);
        let value = self.span_of(value, plain_value || is_plain(value));
        self.push_entry(name, value, Source::Protocol);
    }

    /// Adds a protocol parameter whose value is a decimal number.
    pub(crate) fn push_number(&mut self, name: &[u8], value: u64) {
        let mut buf = [0u8; 20];
        self.push_protocol(name, decimal(value, &mut buf), true);
    }

    /// Decodes `raw` (a query string or form body) and adds every pair.
    pub(crate) fn push_form(&mut self, raw: &[u8], source: Source) -> Result<(), Error> {
        let part = if source == Source::Query {
            RequestPart::Query
        } else {
            RequestPart::FormBody
        };
        for_each_pair(raw, |name, value, offset| {
            let value_offset = offset + name.len() + 1;
            let name = self.decode(name, offset)?;
            let value = self.decode(value, value_offset)?;
            self.push_entry(name, value, source);
            Ok(())
        })
        .map_err(|error| Error::Decode { part, error })
    }

    pub(crate) fn set_realm(&mut self, realm: &str) {
        self.realm = Some(self.span_of(realm.as_bytes(), false));
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
        let cmp = |a: Span, b: Span| {
            let (x, y) = (&arena[a.start..a.end], &arena[b.start..b.end]);
            if a.plain && b.plain {
                // Unreserved bytes are their own encoding.
                x.cmp(y)
            } else {
                cmp_encoded(x, y)
            }
        };
        entries.sort_unstable_by(|a, b| {
            a.key
                .cmp(&b.key)
                .then_with(|| cmp(a.name, b.name))
                .then_with(|| cmp(a.value, b.value))
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
                if method.bytes().all(|b| b.is_ascii_uppercase()) {
                    w.raw(method.as_bytes());
                } else {
                    for b in method.bytes() {
                        w.encode(&[b.to_ascii_uppercase()]);
                    }
                }
                w.raw(b"&");
                write_encoded_base_string_uri(url, w);
                w.raw(b"&");
                let mut first = true;
                for e in entries.iter() {
                    if is_signature(arena, e.name) {
                        continue;
                    }
                    if !first {
                        w.raw(b"%26");
                    }
                    first = false;
                    encode_twice(w, arena, e.name);
                    w.raw(b"%3D");
                    encode_twice(w, arena, e.value);
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

    /// The protocol parameters other than `oauth_signature` in base-string order: the memory
    /// they are in, and for each the spans of its name and value there.
    pub(crate) fn protocol(&self) -> (&[u8], impl Iterator<Item = (Span, Span)> + '_) {
        let arena = &self.arena[..];
        let entries = self
            .entries
            .iter()
            .filter(move |e| e.source == Source::Protocol && !is_signature(arena, e.name));
        (arena, entries.map(|e| (e.name, e.value)))
    }
}

impl Span {
    /// Appends the §3.6 encoding of these octets of `arena`.
    #[inline]
    pub(crate) fn encode(self, arena: &[u8], w: &mut Writer<'_>) {
        if self.plain {
            w.copy(arena, self.start, self.end);
        } else {
            w.encode(arena.get(self.start..self.end).unwrap_or_default());
        }
    }

    /// Where it starts and ends.
    pub(crate) fn range(self) -> (usize, usize) {
        (self.start, self.end)
    }
}

#[inline]
fn is_signature(arena: &[u8], name: Span) -> bool {
    name.len() == SIGNATURE.len() && &arena[name.start..name.end] == SIGNATURE
}

/// Appends the encoding of the encoding of the octets at `span` (how a name or value appears
/// in the base string).
#[inline]
fn encode_twice(w: &mut Writer<'_>, arena: &[u8], span: Span) {
    if span.plain {
        w.copy(arena, span.start, span.end);
    } else {
        w.encode_twice(arena.get(span.start..span.end).unwrap_or_default());
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
