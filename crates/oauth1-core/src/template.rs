//! What a signer writes the same way every time, made once: the protocol parameters of the
//! common request (consumer key, nonce, signature method, timestamp, token, version, and
//! nothing else) as pieces of the `Authorization` header and of the base string, with gaps for
//! the nonce, the signature and the timestamp.
//!
//! The protocol parameters sort together (every name between two `oauth_` names starts with
//! `oauth_`), so unless the request itself has a parameter named `oauth_…`, they form one
//! block of the base string, in this order.

use crate::encode::{encode_into, is_unreserved, Writer, HEX};

/// What a piece of the template is made of.
#[derive(Clone, Copy)]
enum Part<'a> {
    /// Written as it is.
    Text(&'a str),
    /// Percent-encoded (§3.6): a header value.
    Once(&'a str),
    /// Percent-encoded twice: a value inside the base string.
    Twice(&'a str),
}

/// A piece of [`Template::text`].
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    start: usize,
    end: usize,
}

/// The pieces, all in one string (one allocation per signer).
#[derive(Debug, Clone, Default)]
pub(crate) struct Template {
    text: String,
    /// `oauth_consumer_key="CK", oauth_nonce="`
    header_head: Piece,
    /// `", oauth_signature="`
    header_signature: Piece,
    /// `", oauth_signature_method="M", oauth_timestamp="`
    header_middle: Piece,
    /// `"` and `, oauth_token="T"`, without and with `, oauth_version="1.0"`.
    header_tail: [Piece; 2],
    /// `oauth_consumer_key%3DCK%26oauth_nonce%3D` (values encoded twice)
    base_head: Piece,
    /// `%26oauth_signature_method%3DM%26oauth_timestamp%3D`
    base_middle: Piece,
    /// `%26oauth_token%3DT`, without and with `%26oauth_version%3D1.0`.
    base_tail: [Piece; 2],
}

/// Where the per-request values of the block are in the scratch arena.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Gaps<'a> {
    /// The encoded nonce.
    pub(crate) nonce: &'a [u8],
    /// Whether the encoded nonce holds an escape.
    pub(crate) nonce_escaped: bool,
    /// The timestamp's digits.
    pub(crate) timestamp: &'a [u8],
    /// Whether `oauth_version` is sent.
    pub(crate) version: bool,
}

impl Template {
    /// The pieces for this consumer key, token and method name (all as given, not encoded).
    pub(crate) fn new(consumer_key: &str, token: Option<&str>, method: &str) -> Self {
        use Part::{Once, Text, Twice};
        let mut text = String::with_capacity(
            320 + 5 * (consumer_key.len() + token.map_or(0, str::len) + method.len()),
        );
        let mut piece = |groups: &[&[Part<'_>]]| {
            let start = text.len();
            for part in groups.iter().copied().flatten() {
                match *part {
                    Text(s) => text.push_str(s),
                    Once(s) => encode_into(s.as_bytes(), &mut text),
                    Twice(s) => {
                        for &b in s.as_bytes() {
                            if is_unreserved(b) {
                                text.push(char::from(b));
                            } else {
                                text.push_str("%25");
                                text.push(char::from(HEX[usize::from(b >> 4)]));
                                text.push(char::from(HEX[usize::from(b & 15)]));
                            }
                        }
                    }
                }
            }
            Piece {
                start,
                end: text.len(),
            }
        };
        let token_header: &[Part<'_>] = match token {
            Some(t) => &[Text(", oauth_token=\""), Once(t), Text("\"")],
            None => &[],
        };
        let token_base: &[Part<'_>] = match token {
            Some(t) => &[Text("%26oauth_token%3D"), Twice(t)],
            None => &[],
        };
        let header_head = piece(&[&[
            Text("oauth_consumer_key=\""),
            Once(consumer_key),
            Text("\", oauth_nonce=\""),
        ]]);
        let header_signature = piece(&[&[Text("\", oauth_signature=\"")]]);
        let header_middle = piece(&[&[
            Text("\", oauth_signature_method=\""),
            Once(method),
            Text("\", oauth_timestamp=\""),
        ]]);
        let header_tail = [
            piece(&[&[Text("\"")], token_header]),
            piece(&[
                &[Text("\"")],
                token_header,
                &[Text(", oauth_version=\"1.0\"")],
            ]),
        ];
        let base_head = piece(&[&[
            Text("oauth_consumer_key%3D"),
            Twice(consumer_key),
            Text("%26oauth_nonce%3D"),
        ]]);
        let base_middle = piece(&[&[
            Text("%26oauth_signature_method%3D"),
            Twice(method),
            Text("%26oauth_timestamp%3D"),
        ]]);
        let base_tail = [
            piece(&[token_base]),
            piece(&[token_base, &[Text("%26oauth_version%3D1.0")]]),
        ];
        Template {
            text,
            header_head,
            header_signature,
            header_middle,
            header_tail,
            base_head,
            base_middle,
            base_tail,
        }
    }

    fn get(&self, piece: Piece) -> &[u8] {
        self.text
            .as_bytes()
            .get(piece.start..piece.end)
            .unwrap_or_default()
    }

    /// Writes the block of protocol parameters as it appears in the base string.
    #[inline]
    pub(crate) fn write_base(&self, w: &mut Writer<'_>, gaps: &Gaps<'_>) {
        w.raw(self.get(self.base_head));
        if gaps.nonce_escaped {
            w.escape_percent(gaps.nonce);
        } else {
            w.raw(gaps.nonce);
        }
        w.raw(self.get(self.base_middle));
        w.raw(gaps.timestamp);
        w.raw(self.get(self.base_tail[usize::from(gaps.version)]));
    }

    /// Writes the protocol parameters of the `Authorization` header, `oauth_signature` with
    /// them (`signature` not yet encoded).
    #[inline]
    pub(crate) fn write_header(&self, w: &mut Writer<'_>, gaps: &Gaps<'_>, signature: &[u8]) {
        w.raw(self.get(self.header_head));
        w.raw(gaps.nonce);
        w.raw(self.get(self.header_signature));
        w.encode(signature);
        w.raw(self.get(self.header_middle));
        w.raw(gaps.timestamp);
        w.raw(self.get(self.header_tail[usize::from(gaps.version)]));
    }
}

#[cfg(test)]
mod tests {
    use crate::signer::Signed;
    use crate::url::RequestUrl;
    use crate::{
        Body, ClientCredentials, HmacSha1, OAuthParams, Request, Scratch, Signer, TokenCredentials,
    };

    /// The template writes exactly what the general path writes, for keys, tokens and nonces
    /// with and without reserved characters, with and without token and version.
    #[test]
    fn the_template_agrees_with_the_general_path() {
        let keys = ["key", "k e+y/ü", "dpf43f3p2l4k3l03"];
        let tokens = [None, Some("tok"), Some("t%k=&")];
        let nonces = ["abc", "n o+n/c=e", ""];
        let requests = [
            Request::new("GET", "https://api.example.com/1.1/x.json?z=1&a=2&oauth=3"),
            Request::new("post", "http://Example.COM:8080/p?q")
                .with_body(Body::Form(b"status=Hello%20Ladies+%2b&zz=%7e")),
            Request::new("GET", "https://example.com"),
        ];
        let mut checked = 0;
        for key in keys {
            for token in tokens {
                let client = ClientCredentials::new(key, "cs");
                let token = token.map(|t| TokenCredentials::new(t, "ts"));
                let signer = Signer::new(HmacSha1, &client, token.as_ref()).unwrap();
                for nonce in nonces {
                    for version in [false, true] {
                        for request in &requests {
                            let oauth = OAuthParams::new(nonce, 1_318_622_958).version(version);
                            let mut scratch = Scratch::new();
                            let signed = signer.sign(&mut scratch, request, &oauth).unwrap();
                            assert!(signed.template.is_some());
                            let fast_header = signed.authorization();
                            let fast_base = signed.base_string().to_owned();
                            let general = Signed::general(signed.scratch);
                            assert_eq!(fast_header, general.authorization());
                            let mut again = scratch.clone();
                            again.write_base_string(
                                request.method(),
                                &RequestUrl::parse(request.url()).unwrap(),
                                None,
                            );
                            assert_eq!(fast_base, again.base_string());
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 3 * 3 * 2 * 3);
    }
}
