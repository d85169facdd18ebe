//! The user's folders Hangtime writes to, from the platform's conventions (`directories`:
//! XDG on Linux, `~/Library` on macOS, `%LOCALAPPDATA%`/`%APPDATA%` on Windows), each with an
//! environment variable that overrides it.

use std::path::{Path, PathBuf};

/// Overrides the cache folder (tracked poses).
pub const CACHE_ENV: &str = "HANGTIME_CACHE_DIR";
/// Overrides the data folder (the app's settings and what else Hangtime keeps for the user).
pub const DATA_ENV: &str = "HANGTIME_DATA_DIR";

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "hangtime")
}

fn overridden(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// The folder of cached poses (`HANGTIME_CACHE_DIR` overrides), or `None` if the system has
/// no cache folder for this user.
pub fn pose_cache_dir() -> Option<PathBuf> {
    overridden(CACHE_ENV).or_else(|| project().map(|d| d.cache_dir().join("poses")))
}

/// The folder of the user's data: the app's settings and recent files (`HANGTIME_DATA_DIR`
/// overrides), or `None` if the system has none for this user.
pub fn data_dir() -> Option<PathBuf> {
    overridden(DATA_ENV).or_else(|| project().map(|d| d.data_dir().to_path_buf()))
}

/// Creates `dir` if needed and proves a file can be written in it (the probe is removed).
///
/// # Errors
/// The I/O error of the step that failed, naming the folder.
pub fn check_writable(dir: &Path) -> std::io::Result<()> {
    let with_dir =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{e}: {}", dir.display()));
    std::fs::create_dir_all(dir).map_err(with_dir)?;
    tempfile::Builder::new()
        .prefix(".hangtime-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(with_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writable_folder_is_created_and_left_empty() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        check_writable(&dir).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[test]
    fn a_file_in_the_way_is_reported_with_its_path() {
        let root = tempfile::tempdir().unwrap();
        let blocker = root.path().join("cache");
        std::fs::write(&blocker, b"").unwrap();
        let err = check_writable(&blocker.join("poses")).unwrap_err();
        assert!(err.to_string().contains("cache/poses"), "{err}");
    }
}
