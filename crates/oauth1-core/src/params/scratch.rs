//! [`Scratch`]: the arena that a request's parameters are collected into (normalized and encoded
//! once more, as the base string has them), sorted and written out from, kept between requests.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

use zeroize::Zeroize;

use crate::encode::{
    decode_encoded, decode_twice, name_key, once_encoded, push_decimal, push_encoded, Literal,
    Writer,
};
use crate::error::{DecodeError, Error, RequestPart};
use crate::template::{Gaps, Template};
use crate::url::{decimal, RequestUrl};

use super::{Decoded, Parameters, Source};

/// A range of the arena holding a name or value: normalized and encoded once more, as it
/// appears in the base string.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl From<(usize, usize)> for Span {
    fn from((start, end): (usize, usize)) -> Self {
        Span { start, end }
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
/// given size, signing allocates nothing. Until it is dropped it may hold the parameters of
/// requests it signed (for xAuth, the password) and the last signature (for PLAINTEXT, the
/// secrets); dropping it overwrites them.
///
/// Parameters are kept as they appear in the signature base string: normalized (RFC 5849
/// §3.4.1.3.2: the §3.6 encoding of the octets they stand for), then encoded once more
/// (§3.4.1.1), made in one pass from the raw query, body or header text. The sort and the base
/// string work on that text directly; the decoded octets are only made when
/// [`Signed::parameters`](crate::Signed::parameters) asks for them.
///
/// A `Scratch` also keeps the start of its last base string (`METHOD&URI&`): signing the next
/// request to the same method and URL (up to the query) in it skips parsing and encoding the
/// URI. Any other request simply replaces it, so one `Scratch` serves any mix of requests.
#[derive(Default, Clone)]
pub struct Scratch {
    /// The normalized names and values up to `used`; the rest is slack that keeps its length
    /// between uses, so that writing never has to zero it again.
    arena: Vec<u8>,
    used: usize,
    entries: Vec<Entry>,
    /// The base string up to `base_len`, and slack (as in `arena`).
    base: Vec<u8>,
    base_len: usize,
    /// How far `used` and `base_len` reached before the scratch was last emptied, since it
    /// was last overwritten (see [`Scratch::wipe_request`]).
    used_before: usize,
    base_len_before: usize,
    pub(crate) signature: String,
    /// The realm, as given (not encoded), when `has_realm`.
    realm: String,
    has_realm: bool,
    /// Whether a query or body parameter has a name that starts with `oauth_`.
    request_oauth_names: bool,
    /// The decoded parameters, made on first request.
    decoded: OnceLock<Decoded>,
    /// When the protocol parameters are the common block a signer's [`Template`] writes:
    /// the encoded nonce and the timestamp's digits, one after the other, in `gap_text`.
    block: Option<Block>,
    gap_text: String,
    /// What the start of `base` holds from the last base string.
    head_cache: HeadCache,
}

/// How [`Scratch::write_base_string`] starts the base string.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Head<'a> {
    /// With this URL's URI; `prefix` is its `scheme://host[:port]path` when it has the common
    /// shape (see [`RequestUrl::parse_with_prefix`]), kept for the next base string.
    Url {
        url: &'a RequestUrl<'a>,
        prefix: Option<&'a str>,
    },
    /// With the head the last base string had (see [`Scratch::kept_head_query`]).
    Kept,
}

/// What the head of the last base string (`base[..len]`, kept there between uses) was made
/// from; `len` 0 when nothing is kept.
#[derive(Debug, Clone, Default)]
struct HeadCache {
    /// The method, then the URL's `scheme://host[:port]path`.
    key: String,
    method_len: usize,
    len: usize,
}

impl HeadCache {
    fn keep(&mut self, method: &str, prefix: Option<&str>, len: usize) {
        self.len = 0;
        if let Some(prefix) = prefix {
            self.key.clear();
            self.key.reserve(method.len() + prefix.len());
            self.key.push_str(method);
            self.key.push_str(prefix);
            self.method_len = method.len();
            self.len = len;
        }
    }

    /// The kept URL prefix, if `method` is the kept method.
    fn prefix_for(&self, method: &str) -> Option<&str> {
        if self.len == 0 || self.method_len != method.len() {
            return None;
        }
        let (kept_method, prefix) = self.key.split_at_checked(self.method_len)?;
        (kept_method == method).then_some(prefix)
    }
}

/// See [`Scratch::set_block`].
#[derive(Debug, Clone, Copy)]
struct Block {
    /// Where the encoded nonce ends (and the timestamp starts) in `gap_text`.
    nonce_end: usize,
    nonce_escaped: bool,
    version: bool,
}

/// Shows how many parameters it holds, not the base string (which holds every signed form
/// parameter: an xAuth password).
impl fmt::Debug for Scratch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scratch")
            .field("parameters", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// Empties `text` after overwriting its bytes (see [`wipe`]): the last signature, which for
/// PLAINTEXT is the secrets. Each signature is overwritten this way before the next is written,
/// so the spare capacity never holds one, and only the text needs overwriting (`zeroize` would
/// write the whole capacity, a byte at a time, on every signature).
fn clear_wiped(text: &mut String) {
    let mut bytes = std::mem::take(text).into_bytes();
    wipe(&mut bytes);
    bytes.clear();
    // Empty: valid UTF-8, and the buffer is moved back, not copied.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// Overwrites `bytes` with zeros before they are freed. A plain fill kept alive with
/// `black_box` (a best effort, as `#![forbid(unsafe_code)]` rules out volatile writes of our
/// own): `zeroize`'s volatile writes go a byte at a time, which on these buffers (kilobytes, up
/// to five times the request's parameters) cost a quarter of a signature with a fresh scratch.
pub(super) fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    std::hint::black_box(bytes);
}

thread_local! {
    /// Each thread's spare scratch (see [`Scratch::with_thread_local`]).
    static SPARE: Cell<Option<Scratch>> = const { Cell::new(None) };
}

/// The most memory a spare scratch keeps (see [`Scratch::with_thread_local`]): enough for
/// requests of some 30 KB of query and form.
const SPARE_MAX: usize = 256 * 1024;

/// `oauth_signature` never enters the base string, whatever its source (§3.4.1.3.1).
const SIGNATURE: &[u8] = b"oauth_signature";

impl Scratch {
    /// Empty working memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overwrites what may be secret: a PLAINTEXT signature, and the parameters, which may hold
    /// a secret (xAuth sends the password as one), in the arena and the base string (and in
    /// their slack, where word writes reached) and decoded.
    fn wipe(&mut self) {
        self.signature.zeroize();
        wipe(&mut self.arena);
        wipe(&mut self.base);
        self.decoded.take();
    }

    /// Runs `f` with this thread's spare `Scratch`, then overwrites what the request left in
    /// it and keeps it for the next call on this thread.
    ///
    /// For code that signs one request at a time and has no natural place to keep a
    /// `Scratch` of its own: after the first call on a thread, signing this way allocates
    /// nothing but what `f` returns. [`Signer::authorization`](crate::Signer::authorization),
    /// [`Signer::sign_http`](crate::Signer::sign_http) and the `oauth1-flow` client sign this
    /// way.
    ///
    /// Nothing of the requests signed in it outlives the call: their parameters (for xAuth,
    /// the password), the base string after its `METHOD&URI&` start (kept, as in any
    /// `Scratch`, for the next request to the same URL) and the signature are overwritten
    /// before `f`'s result is returned, and if `f` panics the scratch is dropped, which
    /// overwrites it all. A call made from inside `f` gets a fresh `Scratch`; a scratch that a
    /// large request grew past 256 KiB is dropped instead of kept.
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer};
    ///
    /// let signer = Signer::new(HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
    /// let request = Request::new("GET", "https://api.example.com/items?page=2");
    /// let (base_string, header) = Scratch::with_thread_local(|scratch| {
    ///     let signed = signer.sign(scratch, &request, &OAuthParams::new("nonce", 1_700_000_000))?;
    ///     Ok::<_, oauth1_core::Error>((signed.base_string().to_owned(), signed.authorization()))
    /// })?;
    /// assert!(base_string.ends_with("oauth_version%3D1.0%26page%3D2"));
    /// assert!(header.starts_with("OAuth oauth_consumer_key=\"key\""));
    /// # Ok::<(), oauth1_core::Error>(())
    /// ```
    pub fn with_thread_local<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        let mut scratch = Scratch::take_spare();
        let result = f(&mut scratch);
        Scratch::give_back(scratch);
        result
    }

    /// This thread's spare scratch (see [`Self::with_thread_local`]), or a new one when there
    /// is none (or it is in use): for a value that keeps a scratch for a while, and hands it
    /// to [`Self::give_back`] when dropped.
    pub(crate) fn take_spare() -> Scratch {
        SPARE
            .try_with(Cell::take)
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Overwrites what the requests in `scratch` left, and keeps it as this thread's spare
    /// (replacing any other, which is dropped and so overwritten), unless it grew past
    /// [`SPARE_MAX`].
    pub(crate) fn give_back(mut scratch: Scratch) {
        scratch.wipe_request();
        if scratch.held() <= SPARE_MAX {
            // Fails only while the thread exits; the scratch is then dropped (and wiped).
            let _ = SPARE.try_with(|spare| spare.set(Some(scratch)));
        }
    }

    /// The bytes its buffers hold (for [`SPARE_MAX`]).
    fn held(&self) -> usize {
        self.arena.len()
            + self.base.len()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.signature.capacity()
            + self.gap_text.capacity()
            + self.realm.capacity()
            + self.head_cache.key.capacity()
    }

    /// Overwrites what the requests signed since the last call left (see
    /// [`Self::with_thread_local`]) and empties the scratch, keeping its memory and the start
    /// of its base string. Each request writes forward from the start of the arena and of the
    /// base string and reaches only a little past where it stops ([`Writer::written_end`]), so
    /// past that from the farthest any of them stopped (kept by [`Self::reset`]), nothing was
    /// written since the last overwrite.
    fn wipe_request(&mut self) {
        self.reset();
        let arena_end = Writer::written_end(self.used_before, self.arena.len());
        wipe(self.arena.get_mut(..arena_end).unwrap_or_default());
        let head = self.head_cache.len;
        let base_end = Writer::written_end(self.base_len_before.max(head), self.base.len());
        wipe(self.base.get_mut(head..base_end).unwrap_or_default());
        (self.used_before, self.base_len_before) = (0, 0);
    }

    /// Empties the scratch and makes room for a request of these sizes in one allocation
    /// each, instead of growing step by step.
    pub(crate) fn reset_for(&mut self, text_len: usize) {
        self.reset();
        let room = text_len * 3 + 512;
        if self.arena.len() < room {
            self.arena.resize(room, 0);
        }
        if self.base.len() < room + text_len {
            self.base.resize(room + text_len, 0);
        }
        self.entries.reserve(16);
        self.signature.reserve(128);
    }

    pub(crate) fn reset(&mut self) {
        self.used_before = self.used_before.max(self.used);
        self.base_len_before = self.base_len_before.max(self.base_len);
        self.used = 0;
        self.entries.clear();
        self.base_len = 0;
        clear_wiped(&mut self.signature);
        self.has_realm = false;
        self.request_oauth_names = false;
        self.block = None;
        if self.decoded.get().is_some() {
            self.decoded.take();
        }
    }

    #[inline]
    fn bytes(&self, span: Span) -> &[u8] {
        &self.arena[span.start..span.end]
    }

    /// Writes into the arena with `write` and returns the span written.
    #[inline]
    fn write(&mut self, write: impl FnOnce(&mut Writer<'_>)) -> Span {
        let start = self.used;
        let end = Writer::append(&mut self.arena, start, write);
        self.used = end;
        Span { start, end }
    }

    #[inline]
    fn push_entry(&mut self, name: Span, value: Span, source: Source) {
        let key = name_key(self.bytes(name));
        self.request_oauth_names |= source != Source::Protocol && starts_with_oauth(key);
        self.entries.push(Entry {
            key,
            name,
            value,
            source,
        });
    }

    /// Adds one parameter given as raw (decoded) octets.
    pub(crate) fn push(&mut self, name: &[u8], value: &[u8], source: Source) {
        let name = self.write(|w| w.encode_twice(name));
        let value = self.write(|w| w.encode_twice(value));
        self.push_entry(name, value, source);
    }

    /// Adds a protocol parameter whose name (plain) and value are given already encoded
    /// twice.
    #[inline]
    pub(crate) fn push_encoded(&mut self, name: &[u8], value: &[u8]) {
        let name = self.write(|w| w.raw(name));
        let value = self.write(|w| w.raw(value));
        self.push_entry(name, value, Source::Protocol);
    }

    /// Adds a protocol parameter whose name is given encoded and whose value is raw octets.
    #[inline]
    pub(crate) fn push_protocol(&mut self, name: &[u8], value: &[u8]) {
        let name = self.write(|w| w.raw(name));
        let value = self.write(|w| w.encode_twice(value));
        self.push_entry(name, value, Source::Protocol);
    }

    /// Adds a protocol parameter whose value is a decimal number.
    pub(crate) fn push_number(&mut self, name: &[u8], value: u64) {
        let mut buf = [0u8; 20];
        self.push_encoded(name, decimal(value, &mut buf));
    }

    /// Takes the protocol parameters as the block of a signer's [`Template`] instead of as
    /// parameters: keeps only the encoded nonce and the timestamp's digits. Only for a
    /// request with no parameter named `oauth_…` (see [`Self::has_oauth_names`]).
    pub(crate) fn set_block(&mut self, nonce: &str, timestamp: u64, version: bool) {
        self.gap_text.clear();
        self.gap_text.reserve(3 * nonce.len() + 20);
        let nonce_escaped = push_encoded(&mut self.gap_text, nonce);
        let nonce_end = self.gap_text.len();
        push_decimal(&mut self.gap_text, timestamp);
        self.block = Some(Block {
            nonce_end,
            nonce_escaped,
            version,
        });
    }

    /// Whether a parameter collected so far has a name that starts with `oauth_`.
    pub(crate) fn has_oauth_names(&self) -> bool {
        self.request_oauth_names
    }

    /// The per-request values of the template block, if the protocol parameters are that block.
    pub(crate) fn gaps(&self) -> Option<Gaps<'_>> {
        gaps_of(self.block, &self.gap_text)
    }

    /// Adds every pair of `raw` (a query string or form body), normalized.
    pub(crate) fn push_form(&mut self, raw: &[u8], source: Source) -> Result<(), Error> {
        let part = if source == Source::Query {
            RequestPart::Query
        } else {
            RequestPart::FormBody
        };
        self.push_pairs(raw, source)
            .map_err(|error| Error::Decode { part, error })
    }

    /// Adds every pair of `raw`, normalized (see [`Writer::normalize_form`]).
    fn push_pairs(&mut self, raw: &[u8], source: Source) -> Result<(), DecodeError> {
        let entries = &mut self.entries;
        let mut oauth_names = false;
        let mut result = Ok(());
        self.used = Writer::append(&mut self.arena, self.used, |w| {
            result = w.normalize_form(raw, |key, name, value| {
                oauth_names |= starts_with_oauth(key);
                entries.push(Entry {
                    key,
                    name: Span::from(name),
                    value: Span::from(value),
                    source,
                });
            });
        });
        // A request parameter (query or body) named `oauth_…`.
        self.request_oauth_names |= oauth_names && source != Source::Protocol;
        result
    }

    pub(crate) fn set_realm(&mut self, realm: &str) {
        self.realm.clear();
        self.realm.push_str(realm);
        self.has_realm = true;
    }

    pub(crate) fn realm(&self) -> Option<&str> {
        self.has_realm.then_some(self.realm.as_str())
    }

    /// Fails when a query or body parameter has the name of a protocol parameter the signer
    /// added, or is `oauth_signature`: signing would send it twice.
    pub(crate) fn check_no_clash(&self) -> Result<(), Error> {
        if !self.request_oauth_names {
            return Ok(());
        }
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
                    name: once_encoded(name),
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

    /// Sorts by encoded name, then encoded value (§3.4.1.3.2): by key (a plain number
    /// comparison, which orders the names unless two share their first eight bytes), then
    /// each run of equal keys, if any, by name and value.
    pub(crate) fn sort(&mut self) {
        let Scratch { arena, entries, .. } = self;
        entries.sort_unstable_by_key(|e| e.key);
        let text = |s: Span| arena.get(s.start..s.end).unwrap_or_default();
        let mut i = 0;
        while let Some(tie) = entries
            .get(i..)
            .and_then(|rest| rest.windows(2).position(|pair| pair[0].key == pair[1].key))
        {
            let start = i + tie;
            let key = entries[start].key;
            let len = entries[start..].iter().take_while(|e| e.key == key).count();
            entries[start..start + len].sort_unstable_by(|a, b| {
                text(a.name)
                    .cmp(text(b.name))
                    .then_with(|| text(a.value).cmp(text(b.value)))
            });
            i = start + len;
        }
    }

    /// The query of `url`, when the base string's head (`METHOD&URI&`) is the one the last
    /// base string written had, still at the start of the base string buffer: the same
    /// method and a URL that starts with the same `scheme://host[:port]path` (of the common
    /// shape), followed by `?`, `#` or nothing. Then `url` parses to that URI and this query,
    /// and [`Head::Kept`] writes the base string without parsing or encoding the URI again.
    #[inline]
    pub(crate) fn kept_head_query<'u>(
        &self,
        method: &str,
        url: &'u str,
    ) -> Option<Option<&'u str>> {
        let rest = url.strip_prefix(self.head_cache.prefix_for(method)?)?;
        match rest.as_bytes().first() {
            None | Some(b'#') => Some(None),
            Some(b'?') => {
                let query = rest.get(1..).unwrap_or_default();
                Some(Some(
                    query.split_once('#').map_or(query, |(query, _)| query),
                ))
            }
            Some(_) => None,
        }
    }

    /// Writes the signature base string (§3.4.1.1). Call after [`Self::sort`]. With a
    /// template, and after [`Self::set_block`], the protocol parameters are written from it,
    /// where they sort: before the first name above `oauth_`.
    pub(crate) fn write_base_string(
        &mut self,
        method: &str,
        head: Head<'_>,
        template: Option<&Template>,
    ) {
        let Scratch {
            arena,
            entries,
            base,
            base_len,
            block,
            gap_text,
            head_cache,
            ..
        } = self;
        let gaps = gaps_of(*block, gap_text);
        let block = template.zip(gaps.as_ref());
        let text_of = |s: Span| arena.get(s.start..s.end).unwrap_or_default();
        let start = match head {
            Head::Kept => head_cache.len,
            Head::Url { url, prefix } => {
                let len = Writer::append(base, 0, |w| {
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
                });
                head_cache.keep(method, prefix, len);
                len
            }
        };
        *base_len = Writer::append(base, start, |w| {
            let mut first = true;
            let mut block = block;
            // The template's block, once, after `%26` unless it comes first.
            let mut write_block = |w: &mut Writer<'_>, first: &mut bool| {
                if let Some((template, gaps)) = block.take() {
                    if !std::mem::take(first) {
                        w.literal(Literal::ENCODED_AMPERSAND);
                    }
                    template.write_base(w, gaps);
                }
            };
            for e in entries.iter() {
                let name = text_of(e.name);
                if is_signature(e.key, name) {
                    continue;
                }
                if e.key > OAUTH_KEY {
                    write_block(w, &mut first);
                }
                w.pair(!std::mem::take(&mut first), name, text_of(e.value));
            }
            write_block(w, &mut first);
        });
    }

    /// The base string as bytes.
    pub(crate) fn base_bytes(&self) -> &[u8] {
        self.base.get(..self.base_len).unwrap_or_default()
    }

    /// The base string (ASCII, as everything written into it).
    pub(crate) fn base_string(&self) -> &str {
        std::str::from_utf8(self.base_bytes()).unwrap_or_default()
    }

    /// The collected parameters whose names start with `oauth_` (`oauth_signature` included),
    /// decoded, in collection order (before [`Self::sort`]) or sorted order (after). The
    /// others are not decoded.
    pub(crate) fn oauth_prefixed(
        &self,
    ) -> impl Iterator<Item = (Cow<'_, [u8]>, Cow<'_, [u8]>)> + '_ {
        self.entries
            .iter()
            .filter(|e| starts_with_oauth(e.key))
            .map(|e| (decode(self.bytes(e.name)), decode(self.bytes(e.value))))
    }

    /// The normalized parameters, decoded, in base-string order (without `oauth_signature`);
    /// after [`Self::set_block`], the protocol parameters come from `template`.
    pub(crate) fn parameters(&self, template: Option<&Template>) -> Parameters<'_> {
        let decoded = self.decoded.get_or_init(|| {
            let mut d = Decoded::default();
            let mut block = template.zip(self.gaps());
            let push_block = |d: &mut Decoded, block: &mut Option<(&Template, Gaps<'_>)>| {
                if let Some((template, gaps)) = block.take() {
                    let mut nonce = Vec::new();
                    decode_encoded(gaps.nonce.as_bytes(), &mut nonce);
                    for (name, value) in template.decoded(&nonce, &gaps) {
                        d.push(name, value, Source::Protocol);
                    }
                }
            };
            for e in &self.entries {
                let name = self.bytes(e.name);
                if is_signature(e.key, name) {
                    continue;
                }
                if e.key > OAUTH_KEY {
                    push_block(&mut d, &mut block);
                }
                d.push_encoded(name, self.bytes(e.value), e.source);
            }
            push_block(&mut d, &mut block);
            d
        });
        Parameters::new(decoded)
    }

    /// The protocol parameters other than `oauth_signature` in base-string order: the memory
    /// they are in, and for each the spans of its encoded name and value there.
    pub(crate) fn protocol(&self) -> (&[u8], impl Iterator<Item = (Span, Span)> + '_) {
        let arena = &self.arena[..];
        let entries = self.entries.iter().filter(move |e| {
            e.source == Source::Protocol
                && !is_signature(
                    e.key,
                    arena.get(e.name.start..e.name.end).unwrap_or_default(),
                )
        });
        (arena, entries.map(|e| (e.name, e.value)))
    }
}

impl Span {
    /// Where it starts and ends.
    pub(crate) fn range(self) -> (usize, usize) {
        (self.start, self.end)
    }
}

/// The octets of a name or value as kept (normalized and encoded once more): borrowed when
/// it holds no escape.
fn decode(encoded: &[u8]) -> Cow<'_, [u8]> {
    if encoded.contains(&b'%') {
        let mut out = Vec::with_capacity(encoded.len());
        decode_twice(encoded, &mut out);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(encoded)
    }
}

/// The per-request values of `block`, in `gap_text`.
fn gaps_of(block: Option<Block>, gap_text: &str) -> Option<Gaps<'_>> {
    block.map(|b| {
        let (nonce, timestamp) = gap_text.split_at_checked(b.nonce_end).unwrap_or_default();
        Gaps {
            nonce,
            nonce_escaped: b.nonce_escaped,
            timestamp,
            version: b.version,
        }
    })
}

/// The key (see [`name_key`]) of `oauth_`. A request's parameter sorts after the protocol
/// block when its name sorts after `oauth_` (its name never starts with `oauth_` in block
/// mode), which is when its key is greater than this: names hold no zero byte, so the key of a
/// name longer than six bytes that starts with `oauth_` is greater, and any other name
/// compares with `oauth_` within its first six bytes, as its key does.
const OAUTH_KEY: u64 = u64::from_be_bytes(*b"oauth_\0\0");

/// Whether the name whose key this is starts with `oauth_`: exactly when the key's first six
/// bytes are `oauth_`.
fn starts_with_oauth(key: u64) -> bool {
    key >> 16 == OAUTH_KEY >> 16
}

/// The key of `oauth_signature` (see [`name_key`]).
const SIGNATURE_KEY: u64 = u64::from_be_bytes(*b"oauth_si");

#[inline]
fn is_signature(key: u64, name: &[u8]) -> bool {
    key == SIGNATURE_KEY && name == SIGNATURE
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
    // Nearly always already lower-case letters, digits, `.` and `-`: written as they are.
    let plain_lower = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if plain_lower {
        w.raw(s.as_bytes());
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        for b in s.bytes() {
            w.encode(&[b.to_ascii_lowercase()]);
        }
    } else {
        w.encode(s.as_bytes());
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
