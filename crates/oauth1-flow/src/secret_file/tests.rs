//! The tests of `secret_file` (a sibling file, as the module's own code is long enough).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "oauth1-secret-file-{name}-{}-{}",
            std::process::id(),
            temporary_name("x".as_ref()).to_string_lossy()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

fn plain_file(path: &Path, text: &str, mode: u32) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn writes_0600_and_reads_it_back() {
    let dir = TempDir::new("roundtrip");
    let path = dir.0.join("token.json");
    write(&path, b"secret one").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(&*read(&path).unwrap(), b"secret one");
    // Replaced, not appended; no temporary file left behind.
    write(&path, b"two").unwrap();
    assert_eq!(*read_to_string(&path).unwrap(), "two");
    assert_eq!(names(&dir.0), ["token.json"]);
}

#[test]
fn an_old_0644_file_is_replaced_by_a_0600_one() {
    let dir = TempDir::new("replace-0644");
    let path = dir.0.join("profiles.toml");
    plain_file(&path, "old", 0o644);
    write(&path, b"new").unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_missing_directory_is_created_0700() {
    let dir = TempDir::new("mkdir");
    let path = dir.0.join("a").join("b").join("profiles.toml");
    write(&path, b"x").unwrap();
    assert_eq!(mode(&dir.0.join("a")), 0o700);
    assert_eq!(mode(&dir.0.join("a").join("b")), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn an_existing_directory_is_not_chmoded() {
    let dir = TempDir::new("keep-dir");
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o750)).unwrap();
    write(&dir.0.join("f"), b"x").unwrap();
    assert_eq!(mode(&dir.0), 0o750);
    // Group-writable is accepted (a group per user); world-writable only with a sticky bit.
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o770)).unwrap();
    write(&dir.0.join("f"), b"x").unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o1777)).unwrap();
    write(&dir.0.join("f"), b"x").unwrap();
    std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = write(&dir.0.join("f"), b"y").unwrap_err();
    assert!(
        matches!(e, SecretFileError::UnsafeDirectory { mode: 0o777, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("chmod o-w"), "{e}");
    assert_eq!(*read_to_string(&dir.0.join("f")).unwrap(), "x");
}

#[test]
fn a_stale_world_readable_tmp_file_is_neither_used_nor_touched() {
    let dir = TempDir::new("stale-tmp");
    let path = dir.0.join("profiles.toml");
    let stale = dir.0.join("profiles.toml.tmp");
    plain_file(&stale, "stale", 0o644);
    write(&path, b"secret").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(std::fs::read_to_string(&stale).unwrap(), "stale");
    assert_eq!(mode(&stale), 0o644);
}

#[test]
fn a_link_or_a_file_at_a_temporary_name_is_skipped_not_followed() {
    let dir = TempDir::new("tmp-link");
    let path = dir.0.join("profiles.toml");
    let victim = dir.0.join("victim");
    plain_file(&victim, "untouched", 0o644);
    // Planted at the names tried first: a link to the victim, a dangling link, a stale
    // world-readable file.
    symlink(&victim, dir.0.join("t1")).unwrap();
    symlink(dir.0.join("nowhere"), dir.0.join("t2")).unwrap();
    plain_file(&dir.0.join("t3"), "stale", 0o644);
    let mut names = ["t1", "t2", "t3", "t4"].into_iter().map(OsString::from);
    let (tmp, file) = create_temporary(&dir.0, &path, || names.next().unwrap()).unwrap();
    drop(file);
    assert_eq!(tmp, dir.0.join("t4"));
    assert_eq!(mode(&tmp), 0o600);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    assert_eq!(mode(&victim), 0o644);
    assert!(!dir.0.join("nowhere").exists());
    assert_eq!(std::fs::read_to_string(dir.0.join("t3")).unwrap(), "stale");

    // When every name is taken, it gives up with an error rather than reuse one.
    let e = create_temporary(&dir.0, &path, || OsString::from("t1")).unwrap_err();
    assert!(
        matches!(
            e,
            SecretFileError::Io {
                operation: Operation::CreateTemporary,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");

    // And the whole write, with links at the old fixed name: the victim is untouched.
    symlink(&victim, dir.0.join("profiles.toml.tmp")).unwrap();
    write(&path, b"secret").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_link_as_the_target_is_refused_and_left_alone() {
    let dir = TempDir::new("target-link");
    let victim = dir.0.join("victim");
    plain_file(&victim, "untouched", 0o600);
    let path = dir.0.join("profiles.toml");
    symlink(&victim, &path).unwrap();
    let e = write(&path, b"secret").unwrap_err();
    assert!(matches!(e, SecretFileError::Symlink { .. }), "{e:?}");
    assert!(e.to_string().contains("symbolic link"), "{e}");
    assert!(std::fs::symlink_metadata(&path)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    let e = read(&path).unwrap_err();
    assert!(matches!(e, SecretFileError::Symlink { .. }), "{e:?}");
    assert_eq!(names(&dir.0), ["profiles.toml", "victim"]);
}

#[test]
fn a_file_others_can_read_is_refused_with_the_chmod_to_run() {
    let dir = TempDir::new("perms");
    let path = dir.0.join("profiles.toml");
    for bad in [0o644, 0o640, 0o604, 0o620, 0o660] {
        plain_file(&path, "secret", bad);
        let e = read(&path).unwrap_err();
        assert!(
            matches!(e, SecretFileError::Permissions { mode, .. } if mode == bad),
            "{e:?}"
        );
        let message = e.to_string();
        assert!(
            message.contains(&format!("chmod 600 {}", path.display())),
            "{message}"
        );
        assert!(!message.contains("secret\""), "{message}");
    }
    for good in [0o600, 0o400] {
        plain_file(&path, "secret", good);
        assert_eq!(&*read(&path).unwrap(), b"secret");
    }
}

#[test]
fn a_file_of_another_user_is_refused() {
    let dir = TempDir::new("owner");
    let path = dir.0.join("profiles.toml");
    plain_file(&path, "secret", 0o600);
    let me = rustix::process::geteuid().as_raw();
    if me != 0 {
        // Only root can give a file away; the check is the same comparison as above.
        return;
    }
    std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
    let e = read(&path).unwrap_err();
    assert!(
        matches!(
            e,
            SecretFileError::Owner {
                owner: 65534,
                user: 0,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("not to you"), "{e}");
}

#[test]
fn what_is_not_a_regular_file_is_refused() {
    let dir = TempDir::new("not-regular");
    let e = read(&dir.0).unwrap_err();
    assert!(matches!(e, SecretFileError::NotRegular { .. }), "{e:?}");
    let missing = dir.0.join("missing");
    let e = read(&missing).unwrap_err();
    assert!(matches!(e, SecretFileError::NotFound { .. }), "{e:?}");
    // A named pipe: refused at once, not waited on.
    let fifo = dir.0.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg("-m")
        .arg("600")
        .arg(&fifo)
        .status();
    if made.is_ok_and(|s| s.success()) {
        let e = read(&fifo).unwrap_err();
        assert!(matches!(e, SecretFileError::NotRegular { .. }), "{e:?}");
    }
    let e = write(Path::new("/"), b"x").unwrap_err();
    assert!(matches!(e, SecretFileError::NoFileName { .. }), "{e:?}");
}

#[test]
fn an_oversized_file_is_refused() {
    let dir = TempDir::new("large");
    let path = dir.0.join("big");
    let mut big = vec![b'a'; usize::try_from(MAX_LEN).unwrap()];
    write(&path, &big).unwrap();
    assert_eq!(read(&path).unwrap().len() as u64, MAX_LEN);
    big.push(b'a');
    write(&path, &big).unwrap();
    let e = read(&path).unwrap_err();
    assert!(matches!(e, SecretFileError::TooLarge { .. }), "{e:?}");
    assert!(e.to_string().contains("larger than 1048576 bytes"), "{e}");
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let dir = TempDir::new("utf8");
    let path = dir.0.join("f");
    write(&path, b"\xff\xfe").unwrap();
    let e = read_to_string(&path).unwrap_err();
    assert!(matches!(e, SecretFileError::NotUtf8 { .. }), "{e:?}");
}
