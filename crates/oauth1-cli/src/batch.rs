//! `oauth1 sign --batch`: signing cases as JSON Lines.
//!
//! One JSON object a line on stdin, one JSON object a line on stdout, in the same order. The
//! input and output objects are those of the project's `sign-batch` specification (see
//! [`Case`] and [`Output`](crate::case::Output)). A bad line never stops the batch: it gets an error object and the
//! next line is processed. Blank lines are skipped without output.
//!
//! Error objects are `{"error": {"kind": "...", "message": "..."}}`, with the input's `id` when
//! it could be read. The kinds are stable:
//!
//! | kind | meaning |
//! |---|---|
//! | `invalid_json` | the line is not a JSON object |
//! | `missing_field` | a required field is absent |
//! | `invalid_field` | a field has the wrong type or an unknown value (e.g. `placement`) |
//! | `invalid_timestamp` | `timestamp` is not a decimal number of seconds |
//! | `unknown_signature_method` | `signature_method` is not one we implement |
//! | `invalid_rsa_key` | an RSA method without a key, or a key that is not a PEM RSA private key |
//! | `invalid_url` | the URL is not absolute, or its host or port is invalid |
//! | `invalid_encoding` | a `%` escape in the query or form body is not two hex digits |
//! | `invalid_method` | the HTTP method is empty or not an HTTP token |
//! | `invalid_placement` | `body` placement with a body that is not a form |
//! | `invalid_body_hash` | `body_hash` with a form body (the extension forbids it) |
//! | `invalid_parameter` | an extra protocol parameter that is not `oauth_*`/`xoauth_*` or repeats one the signer sets, or a query/body parameter with the name of one the signer sets (e.g. a leftover `oauth_signature`) |
//! | `signing_failed` | anything else the signer refused |

use std::io::{BufRead, Write};

use oauth1_core::Scratch;
use serde_json::{Map, Value};

use crate::case::{self, Case, CaseError};

/// Processes one input line; `None` for a blank line.
pub fn process_line(line: &str, scratch: &mut Scratch) -> Option<Value> {
    if line.trim().is_empty() {
        return None;
    }
    let mut out = Map::new();
    let result = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => {
            let id = object.get("id").cloned();
            let result = serde_json::from_value::<Case>(Value::Object(object))
                .map_err(field_error)
                .and_then(|c| case::sign(&c, scratch));
            if let Some(id) = id {
                out.insert("id".into(), id);
            }
            result
        }
        Ok(_) => Err(CaseError::new(
            "invalid_json",
            "the line is not a JSON object",
        )),
        Err(e) => Err(CaseError::new(
            "invalid_json",
            format!("the line is not valid JSON: {e}"),
        )),
    };
    match result {
        Ok(o) => {
            out.insert("signature".into(), o.signature.into());
            out.insert("base_string".into(), o.base_string.into());
            out.insert(
                "authorization".into(),
                o.authorization.map_or(Value::Null, Value::from),
            );
            out.insert("url".into(), o.url.into());
            out.insert("body".into(), o.body.map_or(Value::Null, Value::from));
        }
        Err(e) => {
            let mut error = Map::new();
            error.insert("kind".into(), e.kind.into());
            error.insert("message".into(), e.message.into());
            out.insert("error".into(), Value::Object(error));
        }
    }
    Some(Value::Object(out))
}

fn field_error(e: serde_json::Error) -> CaseError {
    let message = e.to_string();
    let kind = if message.starts_with("missing field") {
        "missing_field"
    } else {
        "invalid_field"
    };
    CaseError::new(kind, message)
}

/// Runs a whole batch: every line of `input`, one output line each, flushed at the end.
pub fn run(input: impl BufRead, output: impl Write) -> std::io::Result<()> {
    let mut output = std::io::BufWriter::new(output);
    let mut scratch = Scratch::new();
    for line in input.split(b'\n') {
        let Ok(line) = String::from_utf8(line?) else {
            let error = serde_json::json!({"error": {"kind": "invalid_json", "message": "the line is not UTF-8"}});
            writeln!(output, "{error}")?;
            continue;
        };
        if let Some(value) = process_line(&line, &mut scratch) {
            writeln!(output, "{value}")?;
        }
    }
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_do_not_stop_the_batch() {
        let input = concat!(
            "not json\n",
            "[1]\n",
            "\n",
            r#"{"id": 7, "method": "GET"}"#,
            "\n",
            r#"{"id": "x", "method": "GET", "url": "https://a.example/", "consumer_key": "k", "consumer_secret": "s", "signature_method": "HMAC-SHA1", "placement": "header", "nonce": "n", "timestamp": "1"}"#,
            "\n",
        );
        let mut out = Vec::new();
        run(input.as_bytes(), &mut out).unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["error"]["kind"], "invalid_json");
        assert_eq!(lines[1]["error"]["kind"], "invalid_json");
        assert_eq!(lines[2]["error"]["kind"], "missing_field");
        assert_eq!(lines[2]["id"], 7);
        assert_eq!(lines[3]["id"], "x");
        assert!(lines[3]["authorization"]
            .as_str()
            .unwrap()
            .starts_with("OAuth "));
    }
}
