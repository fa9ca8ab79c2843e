//! What a signer writes the same way every time, made once: the protocol parameters of the
//! common request (consumer key, nonce, signature method, timestamp, token, version, and
//! nothing else) as pieces of the `Authorization` header, of a query or form, and of the base
//! string, with gaps for the nonce, the signature and the timestamp.
//!
//! The protocol parameters sort together (every name between two `oauth_` names starts with
//! `oauth_`), so unless the request itself has a parameter named `oauth_…`, they form one
//! block of the sorted parameters, in this order, just after the names below `oauth_`.

use crate::encode::{is_unreserved, push_encoded, Writer, HEX};

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

/// A piece of [`Template::text`].
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    start: usize,
    end: usize,
}

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

/// The pieces, all in one string (one allocation per signer).
#[derive(Debug, Clone, Default)]
pub(crate) struct Template {
    text: String,
    /// `name="value", ...` for the `Authorization` header.
    header: Style,
    /// `name=value&...` for a query string or form body.
    form: Style,
    /// The base string's block: `oauth_consumer_key%3DCK%26oauth_nonce%3D` (head),
    /// `%26oauth_signature_method%3DM%26oauth_timestamp%3D` (middle), the token and version
    /// (tail); values encoded twice.
    base: Style,
    /// The consumer key, method and token, as given and encoded once.
    consumer_key: Field,
    method: Field,
    token: Option<Field>,
}

/// One of the signer's values: as given (for the decoded parameter list) and §3.6-encoded
/// twice, as the scratch keeps parameters (for a parameter list the template does not write).
#[derive(Debug, Clone, Copy, Default)]
struct Field {
    raw: Piece,
    twice: Piece,
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

impl Template {
    /// The pieces for this consumer key, token and method name (all as given, not encoded).
    pub(crate) fn new(consumer_key: &str, token: Option<&str>, method: &str) -> Self {
        use Part::{Once, Text, Twice};
        let (key_value, method_value) = (Value::of(consumer_key), Value::of(method));
        let token_value = token.map(Value::of);
        let mut text = Vec::with_capacity(
            480 + 7 * (consumer_key.len() + token.map_or(0, str::len) + method.len()),
        );
        let mut piece = |groups: &[&[Part<'_>]]| {
            let start = text.len();
            for part in groups.iter().copied().flatten() {
                let (value, prefix): (Value<'_>, &[u8]) = match *part {
                    Text(s) => {
                        text.extend_from_slice(s.as_bytes());
                        continue;
                    }
                    Once(v) => (v, b"%"),
                    Twice(v) => (v, b"%25"),
                };
                if value.plain {
                    text.extend_from_slice(value.text.as_bytes());
                    continue;
                }
                for &b in value.text.as_bytes() {
                    if is_unreserved(b) {
                        text.push(b);
                    } else {
                        text.extend_from_slice(prefix);
                        text.extend_from_slice(&[
                            HEX[usize::from(b >> 4)],
                            HEX[usize::from(b & 15)],
                        ]);
                    }
                }
            }
            Piece {
                start,
                end: text.len(),
            }
        };
        // Each layout's fixed text: (head before the key, head after the key up to the nonce,
        // signature, middle before the method, middle after it, token before, token after,
        // version, the closing quote, and whether values are encoded twice).
        let mut style = |fixed: [&'static str; 9], twice: bool| {
            let value = |v| if twice { Twice(v) } else { Once(v) };
            let [key_before, key_after, signature, method_before, method_after, token_before, token_after, version, close] =
                fixed;
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
        let header = style(
            [
                "oauth_consumer_key=\"",
                "\", oauth_nonce=\"",
                "\", oauth_signature=\"",
                "\", oauth_signature_method=\"",
                "\", oauth_timestamp=\"",
                ", oauth_token=\"",
                "\"",
                ", oauth_version=\"1.0\"",
                "\"",
            ],
            false,
        );
        let form = style(
            [
                "oauth_consumer_key=",
                "&oauth_nonce=",
                "&oauth_signature=",
                "&oauth_signature_method=",
                "&oauth_timestamp=",
                "&oauth_token=",
                "",
                "&oauth_version=1.0",
                "",
            ],
            false,
        );
        let base = style(
            [
                "oauth_consumer_key%3D",
                "%26oauth_nonce%3D",
                "",
                "%26oauth_signature_method%3D",
                "%26oauth_timestamp%3D",
                "%26oauth_token%3D",
                "",
                "%26oauth_version%3D1.0",
                "",
            ],
            true,
        );
        let mut field = |v: Value<'_>| Field {
            raw: piece(&[&[Text(v.text)]]),
            twice: piece(&[&[Twice(v)]]),
        };
        let consumer_key = field(key_value);
        let method = field(method_value);
        let token = token_value.map(field);
        Template {
            // Only whole `str`s and ASCII were written; the fallback is never taken.
            text: String::from_utf8(text).unwrap_or_default(),
            header,
            form,
            base,
            consumer_key,
            method,
            token,
        }
    }

    fn get(&self, piece: Piece) -> &[u8] {
        self.text
            .as_bytes()
            .get(piece.start..piece.end)
            .unwrap_or_default()
    }

    /// The consumer key, encoded twice.
    pub(crate) fn consumer_key(&self) -> &[u8] {
        self.get(self.consumer_key.twice)
    }

    /// The method name, encoded twice.
    pub(crate) fn method(&self) -> &[u8] {
        self.get(self.method.twice)
    }

    /// The token, if any, encoded twice.
    pub(crate) fn token(&self) -> Option<&[u8]> {
        self.token.map(|t| self.get(t.twice))
    }

    /// Writes the block of protocol parameters as it appears in the base string.
    #[inline]
    pub(crate) fn write_base(&self, w: &mut Writer<'_>, gaps: &Gaps<'_>) {
        let base = &self.base;
        w.raw(self.get(base.head));
        if gaps.nonce_escaped {
            w.escape_percent(gaps.nonce.as_bytes());
        } else {
            w.raw(gaps.nonce.as_bytes());
        }
        w.raw(self.get(base.middle));
        w.raw(gaps.timestamp.as_bytes());
        w.raw(self.get(base.tail[usize::from(gaps.version)]));
    }

    fn text(&self, piece: Piece) -> &str {
        self.text.get(piece.start..piece.end).unwrap_or_default()
    }

    fn style(&self, layout: Layout) -> &Style {
        match layout {
            Layout::Header => &self.header,
            Layout::Form => &self.form,
        }
    }

    /// The most [`Self::write_params`] writes.
    pub(crate) fn params_len(&self, gaps: &Gaps<'_>, signature: &str, layout: Layout) -> usize {
        let style = self.style(layout);
        let pieces = [
            style.head,
            style.signature,
            style.middle,
            style.tail[usize::from(gaps.version)],
        ];
        let fixed: usize = pieces.iter().map(|p| p.end - p.start).sum();
        // The encoded signature is at most three times its length.
        fixed + gaps.nonce.len() + gaps.timestamp.len() + 3 * signature.len()
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
        let style = self.style(layout);
        let tail = style.tail[usize::from(gaps.version)];
        out.reserve(self.params_len(gaps, signature, layout));
        out.push_str(self.text(style.head));
        out.push_str(gaps.nonce);
        out.push_str(self.text(style.signature));
        push_encoded(out, signature);
        out.push_str(self.text(style.middle));
        out.push_str(gaps.timestamp);
        out.push_str(self.text(tail));
    }

    /// The protocol parameters of the block as decoded `(name, value)` octets, in order,
    /// without `oauth_signature`.
    pub(crate) fn decoded<'a>(
        &'a self,
        nonce: &'a [u8],
        gaps: &Gaps<'a>,
    ) -> impl Iterator<Item = (&'static [u8], &'a [u8])> + 'a {
        let token = self.token.map(|t| (&b"oauth_token"[..], self.get(t.raw)));
        let version = gaps.version.then_some((&b"oauth_version"[..], &b"1.0"[..]));
        [
            Some((&b"oauth_consumer_key"[..], self.get(self.consumer_key.raw))),
            Some((&b"oauth_nonce"[..], nonce)),
            Some((&b"oauth_signature_method"[..], self.get(self.method.raw))),
            Some((&b"oauth_timestamp"[..], gaps.timestamp.as_bytes())),
            token,
            version,
        ]
        .into_iter()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use crate::{
        Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
    };

    /// The template writes exactly what the general path writes (header, form, base string,
    /// signature, parameter list), for keys, tokens and nonces with and without reserved
    /// characters, with and without token and version, with request parameters on both sides
    /// of the block.
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
                for nonce in nonces {
                    for version in [false, true] {
                        for (request, template) in &requests {
                            let oauth = OAuthParams::new(nonce, 1_318_622_958).version(version);
                            let mut fast = Scratch::new();
                            let fast = signer.sign(&mut fast, request, &oauth).unwrap();
                            assert_eq!(fast.template.is_some(), *template);
                            let mut general = Scratch::new();
                            let general = signer
                                .sign_with(&mut general, request, &oauth, false)
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
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 3 * 3 * 2 * requests.len());
    }
}
