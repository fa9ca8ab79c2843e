//! Reading a streamed body line by line, with bounded memory.

use crate::error::{Error, Step};
use crate::transport::{AsyncBody, BlockingBody};

/// The longest line [`Lines`] accepts unless told otherwise (1 MiB).
pub const DEFAULT_MAX_LINE: usize = 1024 * 1024;

/// Complete lines of a body that arrives in pieces (a line-delimited JSON stream). Lines end
/// with `\n`; a `\r` before it is removed; empty lines (keep-alives) are returned as they are.
/// A line longer than the limit is an error, so memory stays bounded whatever the server sends.
///
/// ```
/// use oauth1_flow::{BlockingBody, Lines, TransportError};
///
/// struct Chunks(Vec<&'static str>);
/// impl BlockingBody for Chunks {
///     fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
///         Ok((!self.0.is_empty()).then(|| self.0.remove(0).as_bytes().to_vec()))
///     }
/// }
///
/// let mut lines = Lines::new(Chunks(vec!["{\"a\":", "1}\r\n\r\n{\"b\"", ":2}\n"]), 100);
/// assert_eq!(lines.next_line_blocking().unwrap().as_deref(), Some(&b"{\"a\":1}"[..]));
/// assert_eq!(lines.next_line_blocking().unwrap().as_deref(), Some(&b""[..]));
/// assert_eq!(lines.next_line_blocking().unwrap().as_deref(), Some(&b"{\"b\":2}"[..]));
/// assert_eq!(lines.next_line_blocking().unwrap(), None);
/// ```
pub struct Lines<B> {
    body: B,
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for a newline.
    searched: usize,
    max: usize,
    done: bool,
}

impl<B> std::fmt::Debug for Lines<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lines")
            .field("buffered", &self.buf.len())
            .field("max", &self.max)
            .field("done", &self.done)
            .finish()
    }
}

impl<B> Lines<B> {
    /// Lines of `body`, each at most `max` bytes.
    pub fn new(body: B, max: usize) -> Self {
        Lines {
            body,
            buf: Vec::new(),
            searched: 0,
            max,
            done: false,
        }
    }

    /// A complete line from the buffer, if there is one.
    fn take_line(&mut self) -> Result<Option<Vec<u8>>, Error> {
        if let Some(i) = self.buf[self.searched..].iter().position(|&b| b == b'\n') {
            let end = self.searched + i;
            let mut line: Vec<u8> = self.buf.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            self.searched = 0;
            if line.len() > self.max {
                return Err(Error::LineTooLong { limit: self.max });
            }
            return Ok(Some(line));
        }
        self.searched = self.buf.len();
        if self.buf.len() > self.max + 1 {
            self.done = true;
            return Err(Error::LineTooLong { limit: self.max });
        }
        Ok(None)
    }

    /// The last, unterminated line at the end of the body.
    fn rest(&mut self) -> Option<Vec<u8>> {
        self.done = true;
        self.searched = 0;
        (!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf))
    }

    fn push(&mut self, chunk: Option<Vec<u8>>) -> bool {
        match chunk {
            Some(c) => {
                self.buf.extend_from_slice(&c);
                true
            }
            None => false,
        }
    }
}

impl<B: AsyncBody> Lines<B> {
    /// The next line, or `None` at the end of the body.
    pub async fn next_line(&mut self) -> Result<Option<Vec<u8>>, Error> {
        loop {
            if let Some(line) = self.take_line()? {
                return Ok(Some(line));
            }
            if self.done {
                return Ok(None);
            }
            let chunk = self
                .body
                .chunk()
                .await
                .map_err(Error::transport(Step::Resource))?;
            if !self.push(chunk) {
                return Ok(self.rest());
            }
        }
    }
}

impl<B: BlockingBody> Lines<B> {
    /// The next line, or `None` at the end of the body (blocking).
    pub fn next_line_blocking(&mut self) -> Result<Option<Vec<u8>>, Error> {
        loop {
            if let Some(line) = self.take_line()? {
                return Ok(Some(line));
            }
            if self.done {
                return Ok(None);
            }
            let chunk = self
                .body
                .chunk()
                .map_err(Error::transport(Step::Resource))?;
            if !self.push(chunk) {
                return Ok(self.rest());
            }
        }
    }
}

#[async_trait::async_trait]
impl AsyncBody for Box<dyn AsyncBody> {
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, crate::TransportError> {
        (**self).chunk().await
    }
}

impl BlockingBody for Box<dyn BlockingBody> {
    fn chunk(&mut self) -> Result<Option<Vec<u8>>, crate::TransportError> {
        (**self).chunk()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TransportError;

    struct Pieces(Vec<Vec<u8>>);

    impl BlockingBody for Pieces {
        fn chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
            Ok((!self.0.is_empty()).then(|| self.0.remove(0)))
        }
    }

    fn lines(pieces: &[&str], max: usize) -> Vec<Result<Vec<u8>, String>> {
        let body = Pieces(pieces.iter().map(|p| p.as_bytes().to_vec()).collect());
        let mut l = Lines::new(body, max);
        let mut out = Vec::new();
        loop {
            match l.next_line_blocking() {
                Ok(Some(line)) => out.push(Ok(line)),
                Ok(None) => return out,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
            }
        }
    }

    #[test]
    fn split_anywhere() {
        let text = "one\r\ntwo\n\nthree";
        for cut in 0..text.len() {
            let got = lines(&[&text[..cut], &text[cut..]], 10);
            let want: Vec<Result<Vec<u8>, String>> = ["one", "two", "", "three"]
                .iter()
                .map(|s| Ok(s.as_bytes().to_vec()))
                .collect();
            assert_eq!(got, want, "cut at {cut}");
        }
    }

    #[test]
    fn long_lines_are_refused_without_buffering_forever() {
        let got = lines(&["12345", "67890", "abc\n"], 8);
        assert!(
            matches!(got.last(), Some(Err(e)) if e.contains("longer than 8")),
            "{got:?}"
        );
        // Exactly at the limit is fine, with or without \r.
        assert_eq!(lines(&["12345678\r\n"], 8), vec![Ok(b"12345678".to_vec())]);
        // A stream that never sends a newline stops at the limit.
        let endless: Vec<&str> = std::iter::repeat_n("xxxx", 1000).collect();
        assert_eq!(lines(&endless, 16).len(), 1);
    }
}
