//! What a signer writes the same way every time: the protocol parameters of the common
//! request (consumer key, nonce, signature method, timestamp, token, version, and nothing else)
//! as pieces of the `Authorization` header, of a query or form, and of the base string, with
//! gaps for the nonce, the signature and the timestamp.
//!
//! The protocol parameters sort together (every name between two `oauth_` names starts with
//! `oauth_`), so unless the request itself has a parameter named `oauth_…`, they form one
//! block of the sorted parameters, in this order, just after the names below `oauth_`.
//!
//! A new signer only encodes its three values (consumer key, method, token). The pieces are
//! put together once, for all the signatures that follow: at the first [`Signer::sign`] (its
//! caller keeps a `Scratch` to sign again), or at the second signature through
//! [`Signer::authorization`] or [`Signer::sign_http`]. Before that, a signature writes the
//! block part by part from the values and the fixed text, the same bytes, so a signer made for
//! one request (what the README shows) never puts the pieces together.
//!
//! [`Signer::sign`]: crate::Signer::sign
//! [`Signer::authorization`]: crate::Signer::authorization
//! [`Signer::sign_http`]: crate::Signer::sign_http

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use crate::encode::{is_unreserved, push_encoded, Writer, RESERVED};

/// What a piece of the template is made of.
#[derive(Clone, Copy)]
enum Part<'a> {
    /// Written as it is.
    Text(&'a str),
    /// Percent-encoded (§3.6): a header or form value.
    Once(Value<'a>),
    /// Percent-encoded twice: a value inside the base string.
    Twice(Value<'a>),
}

/// A value to encode, and whether it is all unreserved bytes (its own encoding).
#[derive(Clone, Copy)]
struct Value<'a> {
    text: &'a str,
    plain: bool,
}

impl<'a> Value<'a> {
    fn of(text: &'a str) -> Self {
        Value {
            text,
            plain: text.bytes().all(is_unreserved),
        }
    }
}

/// Appends `value` §3.6-encoded (`percent-encoding`'s), each escape starting with `prefix`
/// (`%`, or `%25` to encode twice).
fn encode_into(text: &mut String, value: Value<'_>, prefix: &str) {
    if value.plain {
        text.push_str(value.text);
        return;
    }
    for piece in percent_encoding::utf8_percent_encode(value.text, RESERVED) {
        // A piece is either one escape `%XY` or a run of unreserved bytes.
        match piece.strip_prefix('%') {
            Some(hex) => {
                text.push_str(prefix);
                text.push_str(hex);
            }
            None => text.push_str(piece),
        }
    }
}

/// A piece of a text.
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    start: usize,
    end: usize,
}

/// Each layout's fixed text: head before the key, head after the key up to the nonce,
/// signature, middle before the method, middle after it, token before, token after, version,
/// the closing quote.
type Fixed = [&'static str; 9];

/// `name="value", ...` for the `Authorization` header.
const HEADER: Fixed = [
    "oauth_consumer_key=\"",
    "\", oauth_nonce=\"",
    "\", oauth_signature=\"",
    "\", oauth_signature_method=\"",
    "\", oauth_timestamp=\"",
    ", oauth_token=\"",
    "\"",
    ", oauth_version=\"1.0\"",
    "\"",
];

/// `name=value&...` for a query string or form body.
const FORM: Fixed = [
    "oauth_consumer_key=",
    "&oauth_nonce=",
    "&oauth_signature=",
    "&oauth_signature_method=",
    "&oauth_timestamp=",
    "&oauth_token=",
    "",
    "&oauth_version=1.0",
    "",
];

/// The base string's block (no signature; values encoded twice).
const BASE: Fixed = [
    "oauth_consumer_key%3D",
    "%26oauth_nonce%3D",
    "",
    "%26oauth_signature_method%3D",
    "%26oauth_timestamp%3D",
    "%26oauth_token%3D",
    "",
    "%26oauth_version%3D1.0",
    "",
];

/// The pieces of the block in one way of writing parameters: for the header,
/// `oauth_consumer_key="CK", oauth_nonce="` (head), `", oauth_signature="` (signature),
/// `", oauth_signature_method="M", oauth_timestamp="` (middle) and `"` with the token (tail,
/// without and with `oauth_version`).
#[derive(Debug, Clone, Copy, Default)]
struct Style {
    head: Piece,
    signature: Piece,
    middle: Piece,
    tail: [Piece; 2],
}

/// The pieces of every layout, all in one string (one allocation, made on a signer's second
/// signature).
#[derive(Debug, Clone, Default)]
struct Pieces {
    text: String,
    /// `name="value", ...` for the `Authorization` header.
    header: Style,
    /// `name=value&...` for a query string or form body.
    form: Style,
    /// The base string's block: `oauth_consumer_key%3DCK%26oauth_nonce%3D` (head),
    /// `%26oauth_signature_method%3DM%26oauth_timestamp%3D` (middle), the token and version
    /// (tail); values encoded twice.
    base: Style,
}

impl Pieces {
    /// The pieces for this consumer key, token and method name (all as given, not encoded).
    fn new(consumer_key: &str, token: Option<&str>, method: &str) -> Self {
        use Part::{Once, Text, Twice};
        let (key_value, method_value) = (Value::of(consumer_key), Value::of(method));
        let token_value = token.map(Value::of);
        let mut text = String::with_capacity(
            480 + 7 * (consumer_key.len() + token.map_or(0, str::len) + method.len()),
        );
        let mut piece = |groups: &[&[Part<'_>]]| {
            let start = text.len();
            for part in groups.iter().copied().flatten() {
                match *part {
                    Text(s) => text.push_str(s),
                    Once(v) => encode_into(&mut text, v, "%"),
                    Twice(v) => encode_into(&mut text, v, "%25"),
                }
            }
            Piece {
                start,
                end: text.len(),
            }
        };
        let mut style = |fixed: &Fixed, twice: bool| {
            let value = |v| if twice { Twice(v) } else { Once(v) };
            let [key_before, key_after, signature, method_before, method_after, token_before, token_after, version, close] =
                *fixed;
            let token: &[Part<'_>] = match token_value {
                Some(t) => &[Text(token_before), value(t), Text(token_after)],
                None => &[],
            };
            Style {
                head: piece(&[&[Text(key_before), value(key_value), Text(key_after)]]),
                signature: piece(&[&[Text(signature)]]),
                middle: piece(&[&[Text(method_before), value(method_value), Text(method_after)]]),
                tail: [
                    piece(&[&[Text(close)], token]),
                    piece(&[&[Text(close)], token, &[Text(version)]]),
                ],
            }
        };
        let header = style(&HEADER, false);
        let form = style(&FORM, false);
        let base = style(&BASE, true);
        Pieces {
            text,
            header,
            form,
            base,
        }
    }

    fn text(&self, piece: Piece) -> &str {
        self.text.get(piece.start..piece.end).unwrap_or_default()
    }

    fn bytes(&self, piece: Piece) -> &[u8] {
        self.text
            .as_bytes()
            .get(piece.start..piece.end)
            .unwrap_or_default()
    }

    fn style(&self, layout: Layout) -> &Style {
        match layout {
            Layout::Header => &self.header,
            Layout::Form => &self.form,
        }
    }
}

/// One of the signer's values: as given (for the decoded parameter list), §3.6-encoded once
/// (header and form) and twice (base string, and as the scratch keeps parameters). The three
/// are one piece when the value is all unreserved bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Field {
    raw: Piece,
    once: Piece,
    twice: Piece,
}

/// The signer's consumer key, method and token, in one string.
#[derive(Debug, Clone, Default)]
struct Values {
    text: String,
    consumer_key: Field,
    method: Field,
    token: Option<Field>,
}

impl Values {
    fn new(consumer_key: &str, token: Option<&str>, method: &str) -> Self {
        let (key_value, method_value) = (Value::of(consumer_key), Value::of(method));
        let token_value = token.map(Value::of);
        // A value that is not plain is kept three times: as given, encoded once (each byte at
        // most three) and twice (at most five).
        let len = |v: Value<'_>| v.text.len() * if v.plain { 1 } else { 9 };
        let mut text =
            String::with_capacity(len(key_value) + len(method_value) + token_value.map_or(0, len));
        let mut field = |v: Value<'_>| {
            let start = text.len();
            text.push_str(v.text);
            let raw = Piece {
                start,
                end: text.len(),
            };
            if v.plain {
                return Field {
                    raw,
                    once: raw,
                    twice: raw,
                };
            }
            encode_into(&mut text, v, "%");
            let once = Piece {
                start: raw.end,
                end: text.len(),
            };
            encode_into(&mut text, v, "%25");
            let twice = Piece {
                start: once.end,
                end: text.len(),
            };
            Field { raw, once, twice }
        };
        let consumer_key = field(key_value);
        let method = field(method_value);
        let token = token_value.map(field);
        Values {
            text,
            consumer_key,
            method,
            token,
        }
    }

    fn get(&self, piece: Piece) -> &str {
        self.text.get(piece.start..piece.end).unwrap_or_default()
    }

    /// The consumer key, method and token as given.
    fn raw(&self) -> (&str, &str, Option<&str>) {
        (
            self.get(self.consumer_key.raw),
            self.get(self.method.raw),
            self.token.map(|t| self.get(t.raw)),
        )
    }

    /// The consumer key, method and token, encoded `twice` or once.
    fn encoded(&self, twice: bool) -> (&str, &str, Option<&str>) {
        let value = |f: Field| self.get(if twice { f.twice } else { f.once });
        (
            value(self.consumer_key),
            value(self.method),
            self.token.map(value),
        )
    }
}

/// The signer's values, and the pieces of its block once it has signed twice.
#[derive(Debug, Default)]
pub(crate) struct Template {
    values: Values,
    pieces: OnceLock<Pieces>,
    /// Whether a signature used the block (the next one makes the pieces).
    used: AtomicBool,
}

impl Clone for Template {
    fn clone(&self) -> Self {
        Template {
            values: self.values.clone(),
            pieces: self.pieces.clone(),
            used: AtomicBool::new(self.used.load(Ordering::Relaxed)),
        }
    }
}

/// The per-request values of the block (in the scratch's gap text).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gaps<'a> {
    /// The encoded nonce.
    pub(crate) nonce: &'a str,
    /// Whether the encoded nonce holds an escape.
    pub(crate) nonce_escaped: bool,
    /// The timestamp's digits.
    pub(crate) timestamp: &'a str,
    /// Whether `oauth_version` is sent.
    pub(crate) version: bool,
}

/// How a parameter list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `name="value", ...`
    Header,
    /// `name=value&...`
    Form,
}

impl Layout {
    fn fixed(self) -> &'static Fixed {
        match self {
            Layout::Header => &HEADER,
            Layout::Form => &FORM,
        }
    }
}

impl Template {
    /// The template for this consumer key, token and method name (all as given, not encoded):
    /// only the three values, encoded; the pieces come with the second signature.
    pub(crate) fn new(consumer_key: &str, token: Option<&str>, method: &str) -> Self {
        Template {
            values: Values::new(consumer_key, token, method),
            pieces: OnceLock::new(),
            used: AtomicBool::new(false),
        }
    }

    /// Called by each signature that writes the block, before it writes: makes the pieces
    /// `now`, or else at the second signature (the first writes the block part by part, so a
    /// signer made for one request never makes them).
    #[inline]
    pub(crate) fn prepare(&self, now: bool) {
        if self.pieces.get().is_none() {
            self.make_pieces(now);
        }
    }

    #[cold]
    #[inline(never)]
    fn make_pieces(&self, now: bool) {
        if self.used.swap(true, Ordering::Relaxed) || now {
            let (consumer_key, method, token) = self.values.raw();
            self.pieces
                .get_or_init(|| Pieces::new(consumer_key, token, method));
        }
    }

    /// Whether the pieces are made (for tests).
    #[cfg(test)]
    pub(crate) fn has_pieces(&self) -> bool {
        self.pieces.get().is_some()
    }

    /// The consumer key as given.
    pub(crate) fn given_consumer_key(&self) -> &str {
        self.values.raw().0
    }

    /// The token as given, if any.
    pub(crate) fn given_token(&self) -> Option<&str> {
        self.values.raw().2
    }

    /// The consumer key, encoded twice.
    pub(crate) fn consumer_key(&self) -> &[u8] {
        self.values.get(self.values.consumer_key.twice).as_bytes()
    }

    /// The method name, encoded twice.
    pub(crate) fn method(&self) -> &[u8] {
        self.values.get(self.values.method.twice).as_bytes()
    }

    /// The token, if any, encoded twice.
    pub(crate) fn token(&self) -> Option<&[u8]> {
        self.values
            .token
            .map(|t| self.values.get(t.twice).as_bytes())
    }

    /// Writes the block of protocol parameters as it appears in the base string.
    #[inline]
    pub(crate) fn write_base(&self, w: &mut Writer<'_>, gaps: &Gaps<'_>) {
        let Some(pieces) = self.pieces.get() else {
            return self.write_base_by_parts(w, gaps);
        };
        let base = &pieces.base;
        w.raw(pieces.bytes(base.head));
        write_nonce(w, gaps);
        w.raw(pieces.bytes(base.middle));
        w.raw(gaps.timestamp.as_bytes());
        w.raw(pieces.bytes(base.tail[usize::from(gaps.version)]));
    }

    /// [`Self::write_base`] before the pieces are made: the same text, part by part.
    #[cold]
    #[inline(never)]
    fn write_base_by_parts(&self, w: &mut Writer<'_>, gaps: &Gaps<'_>) {
        let [key_before, key_after, _, method_before, method_after, token_before, token_after, version, close] =
            BASE;
        let (key, method, token) = self.values.encoded(true);
        for part in [key_before, key, key_after] {
            w.raw(part.as_bytes());
        }
        write_nonce(w, gaps);
        for part in [method_before, method, method_after] {
            w.raw(part.as_bytes());
        }
        w.raw(gaps.timestamp.as_bytes());
        w.raw(close.as_bytes());
        if let Some(token) = token {
            for part in [token_before, token, token_after] {
                w.raw(part.as_bytes());
            }
        }
        if gaps.version {
            w.raw(version.as_bytes());
        }
    }

    /// The most [`Self::write_params`] writes.
    #[inline]
    pub(crate) fn params_len(&self, gaps: &Gaps<'_>, signature: &str, layout: Layout) -> usize {
        let fixed: usize = match self.pieces.get() {
            Some(pieces) => {
                let style = pieces.style(layout);
                [
                    style.head,
                    style.signature,
                    style.middle,
                    style.tail[usize::from(gaps.version)],
                ]
                .iter()
                .map(|p| p.end - p.start)
                .sum()
            }
            None => self.fixed_len_by_parts(layout, gaps.version),
        };
        // The encoded signature is at most three times its length.
        fixed + gaps.nonce.len() + gaps.timestamp.len() + 3 * signature.len()
    }

    /// The length of the fixed text and the values [`Self::write_params_by_parts`] writes.
    #[cold]
    #[inline(never)]
    fn fixed_len_by_parts(&self, layout: Layout, version: bool) -> usize {
        let fixed = layout.fixed();
        let (key, method, token) = self.values.encoded(false);
        let mut len = fixed.iter().take(5).map(|f| f.len()).sum::<usize>()
            + key.len()
            + method.len()
            + fixed[8].len();
        if let Some(token) = token {
            len += fixed[5].len() + token.len() + fixed[6].len();
        }
        if version {
            len += fixed[7].len();
        }
        len
    }

    /// Appends the protocol parameters, `oauth_signature` with them (`signature` not yet
    /// encoded), for the header or for a query or form.
    ///
    /// Straight into the `String`, piece by piece: every piece is a `str` already (the
    /// template's text, the gaps, the signature), so nothing is validated as UTF-8 again.
    #[inline]
    pub(crate) fn write_params(
        &self,
        out: &mut String,
        gaps: &Gaps<'_>,
        signature: &str,
        layout: Layout,
    ) {
        let Some(pieces) = self.pieces.get() else {
            return self.write_params_by_parts(out, gaps, signature, layout);
        };
        let style = pieces.style(layout);
        let tail = style.tail[usize::from(gaps.version)];
        out.reserve(self.params_len(gaps, signature, layout));
        out.push_str(pieces.text(style.head));
        out.push_str(gaps.nonce);
        out.push_str(pieces.text(style.signature));
        push_encoded(out, signature);
        out.push_str(pieces.text(style.middle));
        out.push_str(gaps.timestamp);
        out.push_str(pieces.text(tail));
    }

    /// [`Self::write_params`] before the pieces are made: the same text, part by part.
    #[cold]
    #[inline(never)]
    fn write_params_by_parts(
        &self,
        out: &mut String,
        gaps: &Gaps<'_>,
        signature: &str,
        layout: Layout,
    ) {
        let [key_before, key_after, signature_before, method_before, method_after, token_before, token_after, version, close] =
            *layout.fixed();
        let (key, method, token) = self.values.encoded(false);
        out.reserve(self.params_len(gaps, signature, layout));
        for part in [key_before, key, key_after, gaps.nonce, signature_before] {
            out.push_str(part);
        }
        push_encoded(out, signature);
        for part in [method_before, method, method_after, gaps.timestamp, close] {
            out.push_str(part);
        }
        if let Some(token) = token {
            for part in [token_before, token, token_after] {
                out.push_str(part);
            }
        }
        if gaps.version {
            out.push_str(version);
        }
    }

    /// The protocol parameters of the block as decoded `(name, value)` octets, in order,
    /// without `oauth_signature`.
    pub(crate) fn decoded<'a>(
        &'a self,
        nonce: &'a [u8],
        gaps: &Gaps<'a>,
    ) -> impl Iterator<Item = (&'static [u8], &'a [u8])> + 'a {
        let (consumer_key, method, token) = self.values.raw();
        let token = token.map(|t| (&b"oauth_token"[..], t.as_bytes()));
        let version = gaps.version.then_some((&b"oauth_version"[..], &b"1.0"[..]));
        [
            Some((&b"oauth_consumer_key"[..], consumer_key.as_bytes())),
            Some((&b"oauth_nonce"[..], nonce)),
            Some((&b"oauth_signature_method"[..], method.as_bytes())),
            Some((&b"oauth_timestamp"[..], gaps.timestamp.as_bytes())),
            token,
            version,
        ]
        .into_iter()
        .flatten()
    }
}

/// The encoded nonce, as the base string has it (its escapes encoded once more).
#[inline]
fn write_nonce(w: &mut Writer<'_>, gaps: &Gaps<'_>) {
    if gaps.nonce_escaped {
        w.escape_percent(gaps.nonce.as_bytes());
    } else {
        w.raw(gaps.nonce.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::Template;
    use crate::signer::Way;
    use crate::{
        Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
    };

    /// The template writes exactly what the general path writes (header, form, base string,
    /// signature, parameter list), for keys, tokens and nonces with and without reserved
    /// characters, with and without token and version, with request parameters on both sides
    /// of the block; both before its pieces are made (a new signer's first signature, part by
    /// part) and after.
    #[test]
    fn the_template_agrees_with_the_general_path() {
        let keys = ["key", "k e+y/\u{fc}", "dpf43f3p2l4k3l03"];
        let tokens = [None, Some("tok"), Some("t%k=&")];
        let nonces = ["abc", "n o+n/c=e", ""];
        // (request, whether the template applies: not with a request parameter `oauth_…`)
        let requests = [
            (
                Request::new(
                    "GET",
                    "https://api.example.com/1.1/x.json?z=1&a=2&oauth=3&oauth_=4",
                ),
                false,
            ),
            (
                Request::new(
                    "GET",
                    "https://api.example.com/1.1/x.json?z=1&a=2&oauth=3&oauthz=4",
                ),
                true,
            ),
            (
                Request::new("post", "http://Example.COM:8080/p?q").with_body(Body::Form(
                    b"status=Hello%20Ladies+%2b&zz=%7e&o=1&oauth%5Fx=x",
                )),
                false,
            ),
            (
                Request::new("post", "http://Example.COM:8080/p?q").with_body(Body::Form(
                    b"status=Hello%20Ladies+%2b&zz=%7e&o=1&oauth%5E=x",
                )),
                true,
            ),
            (Request::new("GET", "https://example.com"), true),
            (Request::new("GET", "https://example.com/?a=1"), true),
            (Request::new("GET", "https://example.com/?zzz=1"), true),
        ];
        let mut checked = 0;
        for key in keys {
            for token in tokens {
                let client = ClientCredentials::new(key, "cs");
                let token = token.map(|t| TokenCredentials::new(t, "ts"));
                let signer = Signer::new(HmacSha1, &client, token.as_ref()).unwrap();
                let mut through_block = 0;
                for nonce in nonces {
                    for version in [false, true] {
                        for (request, template) in &requests {
                            let oauth = OAuthParams::new(nonce, 1_318_622_958).version(version);
                            // A new signer's first signature through `authorization` writes the
                            // block part by part.
                            let new = Signer::new(HmacSha1, &client, token.as_ref()).unwrap();
                            let mut first = Scratch::new();
                            let first = new
                                .sign_with(&mut first, request, &oauth, Way::Lazily)
                                .unwrap();
                            assert!(!first.template.is_some_and(Template::has_pieces));
                            // `signer`, through `authorization`, makes its pieces at its second
                            // signature through the block.
                            let mut fast = Scratch::new();
                            let fast = signer
                                .sign_with(&mut fast, request, &oauth, Way::Lazily)
                                .unwrap();
                            assert_eq!(fast.template.is_some(), *template);
                            if let Some(t) = fast.template {
                                through_block += 1;
                                assert_eq!(t.has_pieces(), through_block >= 2);
                            }
                            let mut general = Scratch::new();
                            let general = signer
                                .sign_with(&mut general, request, &oauth, Way::General)
                                .unwrap();
                            assert!(general.template.is_none());
                            assert_eq!(fast.base_string(), general.base_string());
                            assert_eq!(fast.signature(), general.signature());
                            assert_eq!(fast.authorization(), general.authorization());
                            let (mut a, mut b) = (String::new(), String::new());
                            fast.write_form_parameters(&mut a);
                            general.write_form_parameters(&mut b);
                            assert_eq!(a, b);
                            assert!(fast.parameters().eq(general.parameters()));
                            assert_eq!(first.base_string(), general.base_string());
                            assert_eq!(first.signature(), general.signature());
                            assert_eq!(first.authorization(), general.authorization());
                            let mut c = String::new();
                            first.write_form_parameters(&mut c);
                            assert_eq!(c, b);
                            assert!(first.parameters().eq(general.parameters()));
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 3 * 3 * 2 * requests.len());
    }

    /// `Signer::sign` makes the pieces at once; `authorization` at the second signature.
    #[test]
    fn the_pieces_are_made_when_a_signer_signs_again() {
        let client = ClientCredentials::new("key", "cs");
        let request = Request::new("GET", "https://example.com/?a=1");
        let oauth = OAuthParams::new("n", 1);
        let signer = Signer::new(HmacSha1, &client, None).unwrap();
        let mut scratch = Scratch::new();
        let signed = signer.sign(&mut scratch, &request, &oauth).unwrap();
        assert!(signed.template.is_some_and(Template::has_pieces));

        let signer = Signer::new(HmacSha1, &client, None).unwrap();
        let once = signer.authorization(&request, &oauth).unwrap();
        assert!(!signer.template.has_pieces());
        assert_eq!(signer.authorization(&request, &oauth).unwrap(), once);
        assert!(signer.template.has_pieces());
        assert_eq!(
            signer.clone().authorization(&request, &oauth).unwrap(),
            once
        );
    }
}
