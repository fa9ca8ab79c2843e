//! Keeping an [`AccessToken`] for the next run: [`AccessToken::save`] and
//! [`AccessToken::load`], through [`secret_file`](crate::secret_file).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::dance::AccessToken;
use crate::secret_file::{self, SecretFileError};

/// Why an access token could not be saved or loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenFileError {
    /// The file could not be written or read, or is not safe to read (see
    /// [`SecretFileError`]: its message says what to do, e.g. `chmod 600 PATH`).
    #[error(transparent)]
    File(#[from] SecretFileError),
    /// The file does not hold a token that [`AccessToken::save`] wrote. Only where the reader
    /// stopped is kept: the JSON reader's own message may quote the file, which holds a secret.
    #[error("{} does not hold an access token saved by AccessToken::save (unreadable at line {line}, column {column}); authorize again to make a new one", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The line where the reader stopped (1-based; 0 when the token could not be written).
        line: usize,
        /// The column.
        column: usize,
    },
}

impl AccessToken {
    /// Saves the token (its secret and the provider's extra fields) to `path` as JSON, in a
    /// file only the current user can read: created through a fresh temporary file (mode 0600,
    /// `O_EXCL | O_NOFOLLOW`) in a directory made 0700 if missing, then renamed (see
    /// [`secret_file::write`]). The JSON text is wiped from memory once written.
    ///
    /// ```
    /// use oauth1_flow::AccessToken;
    /// let dir = std::env::temp_dir().join(format!("oauth1-doc-{}", std::process::id()));
    /// let path = dir.join("token.json");
    /// let token = AccessToken::new("token", "token-secret");
    /// token.save(&path)?;
    /// assert_eq!(AccessToken::load(&path)?, token);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), oauth1_flow::TokenFileError>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), TokenFileError> {
        let path = path.as_ref();
        let json = serde_json::to_vec(self).map_err(|e| format_error(path, &e))?;
        let json = Zeroizing::new(json);
        secret_file::write(path, &json)?;
        Ok(())
    }

    /// Loads a token that [`save`](Self::save) wrote, after checking the file as
    /// [`secret_file::read`] does (a regular file of the current user that others cannot read,
    /// at most 1 MiB).
    pub fn load(path: impl AsRef<Path>) -> Result<AccessToken, TokenFileError> {
        let path = path.as_ref();
        let json = secret_file::read(path)?;
        serde_json::from_slice(&json).map_err(|e| format_error(path, &e))
    }
}

fn format_error(path: &Path, error: &serde_json::Error) -> TokenFileError {
    TokenFileError::Format {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_comes_back_as_it_went_and_a_bad_file_says_so() {
        let dir = std::env::temp_dir().join(format!("oauth1-token-file-{}", std::process::id()));
        let path = dir.join("token.json");
        let token = AccessToken::new("t", "s");
        token.save(&path).unwrap();
        assert_eq!(AccessToken::load(&path).unwrap(), token);
        // A secret of the wrong type: the reader's own message would quote it.
        secret_file::write(&path, b"{\"token\": \"t\", \"secret\": 31415926}").unwrap();
        let error = AccessToken::load(&path).unwrap_err();
        assert!(
            matches!(error, TokenFileError::Format { line: 1, .. }),
            "{error}"
        );
        assert!(
            !format!("{error} {error:?}").contains("31415926"),
            "{error}"
        );
        assert!(matches!(
            AccessToken::load(dir.join("missing.json")),
            Err(TokenFileError::File(SecretFileError::NotFound { .. }))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
