//! `oauth1 sign --batch`: signing cases as JSON Lines.
//!
//! One JSON object a line on stdin, one JSON object a line on stdout, in the same order. The
//! input object is a [`Case`]; the output object is an [`Output`] with the
//! input's `id` (any JSON value, `null` included) first when it had one:
//!
//! ```json
//! {"id":1,"signature":"…","base_string":"POST&…","authorization":"OAuth …","url":"https://…","body":null}
//! ```
//!
//! A bad line never stops the batch: it gets an error object, with the input's `id` when it
//! could be read, and the next line is processed. Lines of whitespace only are skipped without
//! output. The output is flushed every [`FLUSH_EVERY`] lines and at the end.
//!
//! ```json
//! {"id":1,"error":{"kind":"invalid_url","message":"invalid request URL: the URL is not absolute: …"}}
//! ```
//!
//! The kinds are stable (the messages are for people, and may change; they quote no secret):
//!
//! | kind | meaning |
//! |---|---|
//! | `invalid_json` | the line is not a JSON object (syntax error, not UTF-8, an array, …) |
//! | `missing_field` | a required field is absent |
//! | `invalid_field` | a field has the wrong type or an unknown value (e.g. `placement`), appears twice, or a `realm` with a control character or a byte outside ASCII |
//! | `invalid_timestamp` | `timestamp` is not a decimal number of seconds that fits in 64 bits |
//! | `unknown_signature_method` | `signature_method` is not one we implement, or not one the `compat` setting has |
//! | `invalid_rsa_key` | an RSA method without `rsa_private_key`, or a key that is not a PEM RSA private key |
//! | `invalid_url` | the URL is not absolute, or its scheme, host or port is invalid |
//! | `invalid_encoding` | a `%` escape in the query or form body is not two hex digits |
//! | `invalid_method` | the HTTP method is empty or not an HTTP token |
//! | `invalid_placement` | `body` placement with a body that is not a form |
//! | `invalid_body_hash` | `body_hash` with a form body (the extension forbids it) |
//! | `invalid_parameter` | an extra protocol parameter that is not `oauth_*`/`xoauth_*` or is one the signer sets (`oauth_body_hash` is accepted as a value the caller computed, unless `body_hash` is true), or a query/body parameter with the name of one the signer sets (e.g. a leftover `oauth_signature`) |
//! | `signing_failed` | anything else the signer refused |

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use serde_json::value::RawValue;

use oauth1_core::Scratch;

use crate::case::{Case, CaseError, Output};

/// The output is flushed after this many lines (and at the end).
pub const FLUSH_EVERY: u64 = 1000;

/// One output line.
#[derive(Serialize)]
struct Reply<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a RawValue>,
    #[serde(flatten)]
    outcome: Outcome<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Outcome<'a> {
    Signed(&'a Output),
    Failed { error: &'a CaseError },
}

/// Only the `id` of an input line, read when the whole case could not be.
#[derive(Deserialize)]
struct IdOnly {
    #[serde(default, deserialize_with = "crate::case::present")]
    id: Option<Box<RawValue>>,
}

/// Signs one input line in `scratch` and writes its output line to `out`; writes nothing for a
/// line of whitespace only. Reuse `scratch` for the next line: its buffers are kept.
pub fn process_line(line: &[u8], scratch: &mut Scratch, out: &mut impl Write) -> io::Result<()> {
    let Some(&first) = line.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(());
    };
    let (id, result) = if first != b'{' {
        let error = CaseError::new("invalid_json", "the line is not a JSON object");
        (None, Err(error))
    } else {
        match serde_json::from_slice::<Case>(line) {
            Ok(mut case) => {
                crate::warning::plaintext_over_http(&case.signature_method, &case.url);
                let result = case.sign(scratch);
                (case.id.take(), result)
            }
            Err(e) => {
                let (id, error) = unreadable(line, &e);
                (id, Err(error))
            }
        }
    };
    let reply = Reply {
        id: id.as_deref(),
        outcome: match &result {
            Ok(output) => Outcome::Signed(output),
            Err(error) => Outcome::Failed { error },
        },
    };
    serde_json::to_writer(&mut *out, &reply)?;
    out.write_all(b"\n")
}

/// The error of a line that is not a [`Case`], and its `id` if the line is valid JSON.
fn unreadable(line: &[u8], e: &serde_json::Error) -> (Option<Box<RawValue>>, CaseError) {
    let invalid_json = |e: &serde_json::Error| {
        let message = format!("the line is not valid JSON: {e}");
        (None, CaseError::new("invalid_json", message))
    };
    if e.classify() != Category::Data {
        return invalid_json(e);
    }
    // A type error stops the parser early: the rest of the line may not even be JSON.
    let id = match serde_json::from_slice::<IdOnly>(line) {
        Ok(only) => only.id,
        Err(e) if e.classify() != Category::Data => return invalid_json(&e),
        Err(_) => None,
    };
    let message = e.to_string();
    let kind = if message.starts_with("missing field") {
        "missing_field"
    } else {
        "invalid_field"
    };
    (id, CaseError::new(kind, message))
}

/// Runs a whole batch: every line of `input`, one output line each (none for blank lines).
pub fn run(mut input: impl BufRead, output: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, output);
    let mut scratch = Scratch::new();
    let mut line = Vec::with_capacity(4096);
    let mut count = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        process_line(&line, &mut scratch, &mut out)?;
        count += 1;
        if count % FLUSH_EVERY == 0 {
            out.flush()?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn lines(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        run(input.as_bytes(), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    const GOOD: &str = r#"{"id": "x", "method": "GET", "url": "https://a.example/", "consumer_key": "k", "consumer_secret": "s", "signature_method": "HMAC-SHA1", "placement": "header", "nonce": "n", "timestamp": "1"}"#;

    #[test]
    fn bad_lines_do_not_stop_the_batch() {
        let input = [
            "not json",
            "[1]",
            " \t\r",
            r#"{"id": 7, "method": "GET"}"#,
            r#"{"id": null, "method": 5, "url": "#,
            r#"{"id": [1, {"a": null}], "method": 5}"#,
            r#"{"id": 1, "id": 2}"#,
            GOOD,
            "",
        ]
        .join("\n");
        let lines = lines(&input);
        let kinds: Vec<&str> = lines
            .iter()
            .map(|l| l["error"]["kind"].as_str().unwrap_or("ok"))
            .collect();
        assert_eq!(
            kinds,
            [
                "invalid_json",
                "invalid_json",
                "missing_field",
                "invalid_json",
                "invalid_field",
                "invalid_field",
                "ok"
            ]
        );
        assert_eq!(lines[2]["id"], 7);
        assert!(lines[3].get("id").is_none());
        assert_eq!(lines[4]["id"], serde_json::json!([1, {"a": null}]));
        assert_eq!(lines[6]["id"], "x");
        assert!(lines[6]["authorization"]
            .as_str()
            .unwrap()
            .starts_with("OAuth "));
    }

    #[test]
    fn id_is_echoed_as_written_and_first() {
        let input = GOOD.replace(r#""id": "x""#, r#""id": null"#);
        let mut out = Vec::new();
        run(input.as_bytes(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with(r#"{"id":null,"signature":""#), "{out}");
        let input = GOOD.replace(r#""id": "x""#, r#""id": 1.50"#);
        let mut out = Vec::new();
        run(input.as_bytes(), &mut out).unwrap();
        assert!(out.starts_with(br#"{"id":1.50,"#));
    }
}
