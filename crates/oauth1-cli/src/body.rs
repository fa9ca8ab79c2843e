//! The body flags, with curl's meanings in every subcommand that takes them (`oauth1 request`
//! and `oauth1 sign`):
//!
//! | flag | sends |
//! |---|---|
//! | `-d`, `--data DATA` | `DATA` as given (already percent-encoded); `@FILE` the file's text without its line breaks, `@-` stdin's |
//! | `--data-raw DATA` | `DATA` as given, even one that starts with `@` |
//! | `--data-binary DATA` | like `-d`, but `@FILE` is sent byte for byte (line breaks kept) |
//! | `--data-urlencode NAME=VALUE` | `NAME=` and `VALUE` percent-encoded (RFC 5849 §3.6); `=VALUE` or `VALUE` alone: the value encoded; `@FILE`, `NAME@FILE`: the file's contents encoded |
//! | `-F`, `--form NAME=VALUE` | a `multipart/form-data` part (`oauth1 request` only); `NAME=@FILE[;type=TYPE][;filename=NAME]` a file |
//!
//! Repeated, the data flags are joined with `&`, in the order `-d`, `--data-raw`,
//! `--data-binary`, `--data-urlencode`. The body is `application/x-www-form-urlencoded` (its
//! parameters signed, RFC 5849 §3.4.1.3) unless a `Content-Type` header says otherwise; a
//! multipart body is never signed as parameters, only the protocol parameters and the query are.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Args;

/// The data flags shared by `oauth1 request` and `oauth1 sign`.
#[derive(Debug, Clone, Default, Args)]
pub struct BodyArgs {
    /// Form data as sent, like curl -d: `name=value`, already percent-encoded (or use
    /// --data-urlencode); `@FILE` reads the file (line breaks removed), `@-` stdin. Repeat to
    /// join with `&`. Content-Type: application/x-www-form-urlencoded unless -H/--content-type
    /// says otherwise.
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Vec<String>,
    /// Like -d, with no `@` processing: the text exactly as given.
    #[arg(long, value_name = "DATA")]
    pub data_raw: Vec<String>,
    /// Like -d, but `@FILE` is sent byte for byte (line breaks kept), like curl --data-binary.
    #[arg(long, value_name = "DATA")]
    pub data_binary: Vec<String>,
    /// `NAME=VALUE` with the value percent-encoded for you (`VALUE` or `=VALUE` alone: the
    /// value encoded; `@FILE` or `NAME@FILE`: the file's contents encoded).
    #[arg(long, value_name = "NAME=VALUE")]
    pub data_urlencode: Vec<String>,
}

/// Why the body flags cannot make a body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// A file named by `@FILE` cannot be read.
    #[error("{flag} @{}: cannot read the file", path.display())]
    File {
        /// The flag.
        flag: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `-F` argument is not `NAME=VALUE` or `NAME=@FILE`.
    #[error("-F `{0}`: give NAME=VALUE or NAME=@FILE[;type=TYPE][;filename=NAME]")]
    Form(String),
    /// The body is not UTF-8 where text is needed.
    #[error("{0}")]
    NotText(String),
}

/// Reads `path` (`-`: stdin).
fn read_file(flag: &'static str, path: &str) -> Result<Vec<u8>, BodyError> {
    let error = |source| BodyError::File {
        flag,
        path: PathBuf::from(path),
        source,
    };
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(error)?;
        Ok(bytes)
    } else {
        std::fs::read(Path::new(path)).map_err(error)
    }
}

impl BodyArgs {
    /// Whether no data flag was given.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
            && self.data_raw.is_empty()
            && self.data_binary.is_empty()
            && self.data_urlencode.is_empty()
    }

    /// The body the flags make (`None` when none was given), reading the `@FILE`s.
    pub fn read(&self) -> Result<Option<Vec<u8>>, BodyError> {
        if self.is_empty() {
            return Ok(None);
        }
        let mut parts: Vec<Vec<u8>> = Vec::new();
        for d in &self.data {
            parts.push(match d.strip_prefix('@') {
                Some(path) => {
                    let mut bytes = read_file("-d", path)?;
                    bytes.retain(|b| *b != b'\r' && *b != b'\n');
                    bytes
                }
                None => d.as_bytes().to_vec(),
            });
        }
        for d in &self.data_raw {
            parts.push(d.as_bytes().to_vec());
        }
        for d in &self.data_binary {
            parts.push(match d.strip_prefix('@') {
                Some(path) => read_file("--data-binary", path)?,
                None => d.as_bytes().to_vec(),
            });
        }
        for d in &self.data_urlencode {
            parts.push(urlencoded(d)?);
        }
        Ok(Some(parts.join(&b'&')))
    }
}

/// One `--data-urlencode` argument, as curl reads it.
fn urlencoded(arg: &str) -> Result<Vec<u8>, BodyError> {
    let encode = oauth1_core::encode::percent_encode_octets;
    let (name, value) = match (arg.find('='), arg.find('@')) {
        (Some(eq), at) if at.is_none_or(|at| eq < at) => {
            (&arg[..eq], encode(&arg.as_bytes()[eq + 1..]))
        }
        (_, Some(at)) => (
            &arg[..at],
            encode(&read_file("--data-urlencode", &arg[at + 1..])?),
        ),
        _ => ("", encode(arg.as_bytes())),
    };
    Ok(if name.is_empty() {
        value.into_bytes()
    } else {
        format!("{name}={value}").into_bytes()
    })
}

/// One `-F` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPart {
    /// A text field.
    Text {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
    },
    /// A file.
    File {
        /// The field's name.
        name: String,
        /// The file to read.
        path: PathBuf,
        /// The file name sent (default: the file's own).
        filename: String,
        /// Its content type (default: `application/octet-stream`).
        content_type: String,
    },
}

impl FormPart {
    /// Reads a `-F` argument: `NAME=VALUE`, or `NAME=@FILE` with optional `;type=TYPE` and
    /// `;filename=NAME`.
    pub fn parse(arg: &str) -> Result<Self, BodyError> {
        let (name, value) = arg
            .split_once('=')
            .filter(|(name, _)| !name.is_empty())
            .ok_or_else(|| BodyError::Form(arg.to_owned()))?;
        let Some(file) = value.strip_prefix('@') else {
            return Ok(FormPart::Text {
                name: name.to_owned(),
                value: value.to_owned(),
            });
        };
        let mut pieces = file.split(';');
        let path = PathBuf::from(pieces.next().unwrap_or_default());
        if path.as_os_str().is_empty() {
            return Err(BodyError::Form(arg.to_owned()));
        }
        let mut content_type = "application/octet-stream".to_owned();
        let mut filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for piece in pieces {
            match piece.split_once('=') {
                Some(("type", t)) if !t.is_empty() => content_type = t.to_owned(),
                Some(("filename", f)) => filename = f.to_owned(),
                _ => return Err(BodyError::Form(arg.to_owned())),
            }
        }
        Ok(FormPart::File {
            name: name.to_owned(),
            path,
            filename,
            content_type,
        })
    }
}

/// The `multipart/form-data` body of `parts`: its content type and bytes.
pub fn multipart(parts: &[FormPart]) -> Result<(String, Vec<u8>), crate::failure::Failure> {
    let mut form = oauth1_flow::Multipart::new()?;
    for part in parts {
        form = match part {
            FormPart::Text { name, value } => form.text(name, value),
            FormPart::File {
                name,
                path,
                filename,
                content_type,
            } => {
                let bytes = std::fs::read(path).map_err(|source| BodyError::File {
                    flag: "-F",
                    path: path.clone(),
                    source,
                })?;
                form.file(name, filename, content_type, bytes)
            }
        };
    }
    Ok((form.content_type(), form.into_body()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencode_reads_as_curl_does() {
        let text = |a: &str| String::from_utf8(urlencoded(a).unwrap()).unwrap();
        assert_eq!(text("status=a b+c&d"), "status=a%20b%2Bc%26d");
        assert_eq!(text("=a b"), "a%20b");
        assert_eq!(text("a b"), "a%20b");
        assert_eq!(text("q=x@y"), "q=x%40y");
    }

    #[test]
    fn form_parts() {
        assert_eq!(
            FormPart::parse("status=hi=there").unwrap(),
            FormPart::Text {
                name: "status".into(),
                value: "hi=there".into()
            }
        );
        assert_eq!(
            FormPart::parse("media=@dir/cat.png;type=image/png").unwrap(),
            FormPart::File {
                name: "media".into(),
                path: "dir/cat.png".into(),
                filename: "cat.png".into(),
                content_type: "image/png".into()
            }
        );
        for bad in ["novalue", "=x", "m=@", "m=@f;size=3"] {
            assert!(FormPart::parse(bad).is_err(), "{bad}");
        }
    }
}
