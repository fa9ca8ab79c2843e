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
//!
//! A body is at most [`MAX_BODY_BYTES`] (64 MiB), files and stdin included: a larger file is
//! refused from its size before it is read, and a stream (a pipe, `/dev/zero`) is read no
//! further than the limit.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Args;

/// The largest body the data flags make, files and stdin included (64 MiB; X's largest media
/// upload in one request is 5 MB, a chunk of a chunked one 5 MB too).
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

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
    /// A file, stdin, or the body they make is larger than [`MAX_BODY_BYTES`].
    #[error("{what} is larger than {mib} MiB, the largest body oauth1 sends", what = .0, mib = MAX_BODY_BYTES / (1024 * 1024))]
    TooLarge(String),
    /// A `-F` argument is not `NAME=VALUE` or `NAME=@FILE`.
    #[error("-F `{0}`: give NAME=VALUE or NAME=@FILE[;type=TYPE][;filename=NAME]")]
    Form(String),
    /// The body is not UTF-8 where text is needed.
    #[error("{0}")]
    NotText(String),
}

/// Reads `path` (`-`: stdin), at most [`MAX_BODY_BYTES`].
fn read_file(flag: &'static str, path: &str) -> Result<Vec<u8>, BodyError> {
    if path == "-" {
        read_bounded(flag, Path::new(path), std::io::stdin().lock())
    } else {
        open_bounded(flag, Path::new(path))
    }
}

/// Opens and reads the file at `path`, at most [`MAX_BODY_BYTES`]: a regular file larger than
/// that is refused from its size, unread.
fn open_bounded(flag: &'static str, path: &Path) -> Result<Vec<u8>, BodyError> {
    let error = |source| BodyError::File {
        flag,
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(error)?;
    let meta = file.metadata().map_err(error)?;
    if meta.is_file() && meta.len() > MAX_BODY_BYTES {
        return Err(too_large(flag, path));
    }
    read_bounded(flag, path, file)
}

fn too_large(flag: &str, path: &Path) -> BodyError {
    BodyError::TooLarge(format!("{flag} @{}", path.display()))
}

/// Reads `from` to its end, or fails once it has given more than [`MAX_BODY_BYTES`].
fn read_bounded(
    flag: &'static str,
    path: &Path,
    from: impl std::io::Read,
) -> Result<Vec<u8>, BodyError> {
    let mut bytes = Vec::new();
    from.take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| BodyError::File {
            flag,
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() as u64 > MAX_BODY_BYTES {
        return Err(too_large(flag, path));
    }
    Ok(bytes)
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
        let body = parts.join(&b'&');
        if body.len() as u64 > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge(
                "the body the data flags make".to_owned(),
            ));
        }
        Ok(Some(body))
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
    let mut total = 0u64;
    for part in parts {
        form = match part {
            FormPart::Text { name, value } => form.text(name, value),
            FormPart::File {
                name,
                path,
                filename,
                content_type,
            } => {
                let bytes = open_bounded("-F", path)?;
                total += bytes.len() as u64;
                if total > MAX_BODY_BYTES {
                    return Err(BodyError::TooLarge("the -F files together".to_owned()).into());
                }
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

    /// A directory of this test's own, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("oauth1-body-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A sparse file of `len` bytes (no disk used).
    fn sparse(dir: &Path, name: &str, len: u64) -> String {
        let path = dir.join(name);
        std::fs::File::create(&path).unwrap().set_len(len).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn a_file_over_the_limit_is_refused_by_every_flag_and_one_at_it_is_read() {
        let dir = TempDir::new("over");
        let big = sparse(dir.path(), "big.bin", MAX_BODY_BYTES + 1);
        let flags = [
            BodyArgs {
                data: vec![format!("@{big}")],
                ..BodyArgs::default()
            },
            BodyArgs {
                data_binary: vec![format!("@{big}")],
                ..BodyArgs::default()
            },
            BodyArgs {
                data_urlencode: vec![format!("name@{big}")],
                ..BodyArgs::default()
            },
        ];
        for args in flags {
            let error = args.read().unwrap_err();
            assert!(matches!(error, BodyError::TooLarge(_)), "{error:?}");
            assert!(error.to_string().contains("big.bin"), "{error}");
        }
        let part = FormPart::parse(&format!("media=@{big}")).unwrap();
        assert!(multipart(&[part]).is_err());

        let exact = sparse(dir.path(), "exact.bin", MAX_BODY_BYTES);
        let args = BodyArgs {
            data_binary: vec![format!("@{exact}")],
            ..BodyArgs::default()
        };
        assert_eq!(args.read().unwrap().unwrap().len() as u64, MAX_BODY_BYTES);
    }

    #[test]
    fn files_under_the_limit_that_add_up_past_it_are_refused() {
        let dir = TempDir::new("sum");
        let half = sparse(dir.path(), "half.bin", MAX_BODY_BYTES / 2 + 1);
        let args = BodyArgs {
            data_binary: vec![format!("@{half}"), format!("@{half}")],
            ..BodyArgs::default()
        };
        assert!(matches!(args.read(), Err(BodyError::TooLarge(_))));
        let part = FormPart::parse(&format!("media=@{half}")).unwrap();
        assert!(multipart(&[part.clone(), part]).is_err());
    }

    /// A stream with no end (`/dev/zero`, a pipe that never closes) is read up to the limit,
    /// then refused: memory stays bounded.
    #[cfg(unix)]
    #[test]
    fn an_endless_stream_is_read_no_further_than_the_limit() {
        let error = read_file("--data-binary", "/dev/zero").unwrap_err();
        assert!(matches!(error, BodyError::TooLarge(_)), "{error:?}");
    }
}
