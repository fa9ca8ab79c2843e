//! Files that hold secrets (a saved access token, a profile with a consumer secret): written so
//! that no other user can read them, and read only when no other user could have read or
//! changed them, the way `ssh` treats a private key.
//!
//! [`write`](fn@write) creates the directory with mode 0700 when it is missing, writes the bytes to a
//! temporary file of its own in that directory, opened with `O_CREAT | O_EXCL | O_NOFOLLOW` and
//! mode 0600, flushes it to disk and renames it over the target, so the file is either the old
//! one or the new one, never half written, and never readable by another user, even for a
//! moment. [`read`] and [`read_to_string`] open the file with `O_NOFOLLOW` and check the file
//! they opened (not the path again): it must be a regular file, owned by the user running the
//! program, and neither readable nor writable by group or others, or they refuse it with an
//! error that says what to do (for permissions: ``run `chmod 600 PATH` ``). A file larger than
//! [`MAX_LEN`] is refused too: no file of secrets is that large, and reading it would take
//! whatever memory it asks for.
//!
//! ```
//! use oauth1_flow::secret_file;
//!
//! let dir = std::env::temp_dir().join(format!("oauth1-secret-file-doc-{}", std::process::id()));
//! let path = dir.join("token.json");
//! secret_file::write(&path, br#"{"token":"t","secret":"s"}"#)?;
//! assert_eq!(*secret_file::read_to_string(&path)?, r#"{"token":"t","secret":"s"}"#);
//! #[cfg(unix)]
//! {
//!     use std::os::unix::fs::PermissionsExt;
//!     assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
//!     assert_eq!(std::fs::metadata(&dir)?.permissions().mode() & 0o777, 0o700);
//! }
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules, and why
//! - **Links.** The target of [`write`](fn@write) and the file [`read`] opens must not be a symbolic
//!   link: whoever can change a link decides where the secrets go, or which "secrets" the
//!   program trusts. Both refuse a link with [`SecretFileError::Symlink`] (name the real file
//!   instead). Links in the directories above the file are followed as usual.
//! - **The temporary file** gets a new name each time (`.NAME.PID.N.NANOS.tmp`), and is
//!   created with `O_EXCL | O_NOFOLLOW`: a file or a link already at that name, stale or
//!   planted, is never opened, written or renamed; another name is tried. The new file's mode
//!   is set to exactly 0600 on the open file, whatever the umask. If anything fails it is
//!   removed.
//! - **The directory** is created with mode 0700 when missing (with any missing parents). An
//!   existing directory is used as it is, never `chmod`ed, with one exception that is refused:
//!   a directory that every user may write to and that has no sticky bit
//!   ([`SecretFileError::UnsafeDirectory`]), where anyone could delete or swap the file. A
//!   directory writable by the group is accepted: on systems with a group per user (and a
//!   umask of 002) that is every directory, and the file's own mode and owner are what keep
//!   the secrets: another user who replaces the file makes it theirs, which [`read`] refuses.
//! - **Reading** checks, on the opened file: a regular file (not a directory, device or pipe:
//!   the file is opened with `O_NONBLOCK`, so a pipe cannot make the program hang); owned by
//!   the effective user of the process; `mode & 0o077 == 0`; at most [`MAX_LEN`] bytes.
//!
//! The user is compared by number with the effective user ID of the process (`geteuid`,
//! through `rustix`, which calls it without `unsafe` in this crate); a file created by the
//! process itself is owned by that ID, so what [`write`](fn@write) writes, [`read`] accepts.
//!
//! On platforms other than Unix there are no modes to set or check: [`write`](fn@write) still goes
//! through a new temporary file and a rename and refuses a link as the target, and [`read`]
//! still refuses a link, a file that is not a regular file and one over [`MAX_LEN`]; who may
//! read the file is left to the directory's access control lists.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use zeroize::{Zeroize, Zeroizing};

/// The largest file [`read`] accepts: 1 MiB. Profiles and tokens are a few hundred bytes.
pub const MAX_LEN: u64 = 1 << 20;

/// What was being done when an IO error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// Creating the directory of the file.
    CreateDirectory,
    /// Looking at the directory or the file.
    Inspect,
    /// Creating the temporary file.
    CreateTemporary,
    /// Writing and flushing the temporary file.
    Write,
    /// Renaming the temporary file over the target.
    Rename,
    /// Opening or reading the file.
    Read,
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Operation::CreateDirectory => "cannot create the directory",
            Operation::Inspect => "cannot look at",
            Operation::CreateTemporary => "cannot create a temporary file beside",
            Operation::Write => "cannot write a temporary file beside",
            Operation::Rename => "cannot replace",
            Operation::Read => "cannot read",
        })
    }
}

/// Why a file of secrets was not read or written. The messages name the file and say what to
/// do; they never hold its contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretFileError {
    /// There is no such file (for [`read`]: a caller may treat it as "nothing saved yet").
    #[error("{} does not exist", path.display())]
    NotFound {
        /// The file.
        path: PathBuf,
    },
    /// The operating system refused an operation.
    #[error("{operation} {}", path.display())]
    Io {
        /// The file, or the directory for [`Operation::CreateDirectory`].
        path: PathBuf,
        /// What was being done.
        operation: Operation,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The path is a symbolic link.
    #[error(
        "{} is a symbolic link: a file holding secrets is read and written only as a regular \
         file, never through a link (whoever can change the link would choose where the secrets \
         go); use the path of the file itself",
        path.display()
    )]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// The path names a directory, a device, a pipe or a socket.
    #[error("{} is not a regular file", path.display())]
    NotRegular {
        /// The path.
        path: PathBuf,
    },
    /// The file belongs to another user.
    #[error(
        "{} belongs to user {owner}, not to you (user {user}): a file holding secrets must be \
         your own; run the program as its owner, or move the file away and create it again",
        path.display()
    )]
    Owner {
        /// The file.
        path: PathBuf,
        /// Its owner's user ID.
        owner: u32,
        /// The effective user ID of this process.
        user: u32,
    },
    /// Group or others may read or write the file.
    #[error(
        "permissions {mode:04o} for {} are too open: other users may read or change the \
         secrets in it; run `chmod 600 {}` (and replace any secret that may have been read)",
        path.display(),
        path.display()
    )]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is larger than [`MAX_LEN`].
    #[error(
        "{} is larger than {limit} bytes, which no file of secrets is: check that the path names \
         the right file",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// [`MAX_LEN`].
        limit: u64,
    },
    /// [`read_to_string`] found bytes that are not UTF-8.
    #[error("{} is not UTF-8 text", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The directory is writable by every user and has no sticky bit.
    #[error(
        "{} is writable by every user (mode {mode:04o}, no sticky bit): anyone could delete or \
         swap a file in it; keep files holding secrets in a directory of your own, or run \
         `chmod o-w {}`",
        dir.display(),
        dir.display()
    )]
    UnsafeDirectory {
        /// The directory.
        dir: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The path has no file name (it is empty, `/`, or ends in `..`).
    #[error("`{}` does not name a file", path.display())]
    NoFileName {
        /// The path.
        path: PathBuf,
    },
}

impl SecretFileError {
    /// The file (or directory) the error is about.
    pub fn path(&self) -> &Path {
        match self {
            SecretFileError::NotFound { path }
            | SecretFileError::Io { path, .. }
            | SecretFileError::Symlink { path }
            | SecretFileError::NotRegular { path }
            | SecretFileError::Owner { path, .. }
            | SecretFileError::Permissions { path, .. }
            | SecretFileError::TooLarge { path, .. }
            | SecretFileError::NotUtf8 { path }
            | SecretFileError::NoFileName { path } => path,
            SecretFileError::UnsafeDirectory { dir, .. } => dir,
        }
    }
}

fn io_error(path: &Path, operation: Operation) -> impl FnOnce(io::Error) -> SecretFileError + '_ {
    move |source| SecretFileError::Io {
        path: path.to_owned(),
        operation,
        source,
    }
}

/// Writes `bytes` to `path` so that only the current user can read them: through a new
/// temporary file (mode 0600, `O_EXCL | O_NOFOLLOW`) in the same directory, flushed to disk,
/// then renamed over `path`. Creates the directory (mode 0700) when it is missing. See the
/// [module documentation](self) for the rules.
///
/// # Errors
/// [`SecretFileError::Symlink`] if `path` is a symbolic link (it is left alone),
/// [`SecretFileError::UnsafeDirectory`] for a directory every user may write to without a
/// sticky bit, [`SecretFileError::NoFileName`], and [`SecretFileError::Io`] when the system
/// refuses (the temporary file is removed then).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), SecretFileError> {
    let name = path
        .file_name()
        .ok_or_else(|| SecretFileError::NoFileName {
            path: path.to_owned(),
        })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    prepare_directory(dir)?;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(SecretFileError::Symlink {
                path: path.to_owned(),
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(path, Operation::Inspect)(e)),
    }
    let (tmp, mut file) = create_temporary(dir, path, || temporary_name(name))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_error(path, Operation::Write))
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path).map_err(io_error(path, Operation::Rename))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return written;
    }
    sync_directory(dir);
    Ok(())
}

/// Reads the file at `path`, after checking (on the opened file) that it is a regular file of
/// the current user that group and others can neither read nor write, and not larger than
/// [`MAX_LEN`]. The bytes are wiped from memory when dropped.
///
/// # Errors
/// [`SecretFileError::NotFound`] when there is no file; [`SecretFileError::Symlink`],
/// [`SecretFileError::NotRegular`], [`SecretFileError::Owner`],
/// [`SecretFileError::Permissions`] (its message says `chmod 600 PATH`) and
/// [`SecretFileError::TooLarge`] when the file does not pass the checks; [`SecretFileError::Io`]
/// when the system refuses.
pub fn read(path: &Path) -> Result<Zeroizing<Vec<u8>>, SecretFileError> {
    let file = open_checked(path)?;
    let len = file
        .metadata()
        .map_err(io_error(path, Operation::Read))?
        .len();
    let too_large = || SecretFileError::TooLarge {
        path: path.to_owned(),
        limit: MAX_LEN,
    };
    if len > MAX_LEN {
        return Err(too_large());
    }
    // Room for the whole file and one byte more, so that the buffer is never moved (which
    // would leave a copy of the secrets behind) unless the file grew meanwhile.
    let capacity = usize::try_from(len).map_err(|_| too_large())? + 1;
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    file.take(MAX_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error(path, Operation::Read))?;
    if bytes.len() as u64 > MAX_LEN {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
///
/// # Errors
/// Those of [`read`], and [`SecretFileError::NotUtf8`].
pub fn read_to_string(path: &Path) -> Result<Zeroizing<String>, SecretFileError> {
    let mut bytes = read(path)?;
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(SecretFileError::NotUtf8 {
                path: path.to_owned(),
            })
        }
    }
}

/// Names a temporary file never used before by this process: `.NAME.PID.N.NANOS.tmp`.
fn temporary_name(name: &std::ffi::OsStr) -> OsString {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut tmp = OsString::from(".");
    tmp.push(name);
    tmp.push(format!(".{}.{count}.{nanos}.tmp", std::process::id()));
    tmp
}

/// Creates a new temporary file in `dir` for the target `path`, trying the next of `names`
/// while something (a file, a link) is at the name.
fn create_temporary(
    dir: &Path,
    path: &Path,
    mut names: impl FnMut() -> OsString,
) -> Result<(PathBuf, File), SecretFileError> {
    const ATTEMPTS: usize = 64;
    let mut last = None;
    for _ in 0..ATTEMPTS {
        let tmp = dir.join(names());
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options
                .mode(0o600)
                .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as std::ffi::c_int);
        }
        match options.open(&tmp) {
            Ok(file) => {
                #[cfg(unix)]
                {
                    // Exactly 0600, whatever the umask took away.
                    use std::os::unix::fs::PermissionsExt;
                    if let Err(e) = file.set_permissions(std::fs::Permissions::from_mode(0o600)) {
                        let _ = std::fs::remove_file(&tmp);
                        return Err(io_error(path, Operation::CreateTemporary)(e));
                    }
                }
                return Ok((tmp, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(io_error(path, Operation::CreateTemporary)(e)),
        }
    }
    let e = last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists));
    Err(io_error(path, Operation::CreateTemporary)(e))
}

/// Creates `dir` (mode 0700) if it is missing; refuses one that anyone may write to without a
/// sticky bit.
fn prepare_directory(dir: &Path) -> Result<(), SecretFileError> {
    let meta = match std::fs::metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            return builder
                .create(dir)
                .map_err(io_error(dir, Operation::CreateDirectory));
        }
        Err(e) => return Err(io_error(dir, Operation::Inspect)(e)),
    };
    if !meta.is_dir() {
        return Err(SecretFileError::NotRegular {
            path: dir.to_owned(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            return Err(SecretFileError::UnsafeDirectory {
                dir: dir.to_owned(),
                mode,
            });
        }
    }
    Ok(())
}

/// Flushes the directory entry of the rename to disk, where the system can (best effort: a
/// file system that cannot sync a directory still has the file).
fn sync_directory(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Opens `path` for reading without following a link, and checks the opened file.
fn open_checked(path: &Path) -> Result<File, SecretFileError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        // NONBLOCK: a pipe at the path must not block the open (it is refused just below).
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as std::ffi::c_int);
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(SecretFileError::NotFound {
                path: path.to_owned(),
            })
        }
        Err(e) => {
            // O_NOFOLLOW fails with ELOOP (EMLINK on some BSDs) on a link: say so plainly.
            let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            return Err(if link {
                SecretFileError::Symlink {
                    path: path.to_owned(),
                }
            } else {
                io_error(path, Operation::Read)(e)
            });
        }
    };
    let meta = file.metadata().map_err(io_error(path, Operation::Read))?;
    if meta.file_type().is_symlink() {
        return Err(SecretFileError::Symlink {
            path: path.to_owned(),
        });
    }
    if !meta.is_file() {
        return Err(SecretFileError::NotRegular {
            path: path.to_owned(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let user = rustix::process::geteuid().as_raw();
        if meta.uid() != user {
            return Err(SecretFileError::Owner {
                path: path.to_owned(),
                owner: meta.uid(),
                user,
            });
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(SecretFileError::Permissions {
                path: path.to_owned(),
                mode,
            });
        }
    }
    Ok(file)
}

#[cfg(all(test, unix))]
mod tests;
