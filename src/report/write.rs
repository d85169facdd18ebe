//! Atomic file output: a temporary file in the target folder, renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` so that readers see the old file or the whole new one, never a
/// part; on error the old file is untouched and no temporary file is left.
///
/// # Errors
/// The I/O error, with the path in its message.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let with_path =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("{e}: {}", path.display()));
    let mut tmp = tempfile::Builder::new()
        .prefix(".hangtime-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(with_path)?;
    tmp.write_all(bytes).map_err(with_path)?;
    // Temporary files are private (0600); the result should look like any file the user
    // saves: keep the old file's permissions, or the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(with_path)?;
    }
    tmp.as_file().sync_all().map_err(with_path)?;
    tmp.persist(path).map_err(|e| with_path(e.error))?;
    Ok(())
}

/// The file name of `path` for labels and messages (the whole path when it has none).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `dir/name.ext` → `dir/name_<stem>.ext`, for per-video files when several videos run.
pub fn with_stem_suffix(path: &Path, video: &Path) -> PathBuf {
    let stem = video
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("video");
    let base = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("series");
    let name = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{base}_{stem}.{ext}"),
        None => format!("{base}_{stem}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_failure_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        atomic_write(&path, b"first").unwrap();
        atomic_write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        // A target that is a directory cannot be replaced: error, nothing left behind.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("keep"), b"x").unwrap();
        assert!(atomic_write(&blocked, b"new").is_err());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .collect();
        assert!(leftovers.is_empty());
        assert_eq!(std::fs::read(blocked.join("keep")).unwrap(), b"x");
    }

    #[test]
    fn series_paths_get_the_video_stem() {
        let p = with_stem_suffix(Path::new("/tmp/series.csv"), Path::new("/v/clip one.mp4"));
        assert_eq!(p, Path::new("/tmp/series_clip one.csv"));
    }
}
