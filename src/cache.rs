//! Tracked poses of a video, kept so the same clip opens again in milliseconds.
//!
//! Only poses are cached; the analysis is recomputed from them on every run (it takes
//! milliseconds), so a changed setting can never return a stale result. The key covers
//! everything that changes the poses: the video's content, and the tracker's identity (its
//! algorithm version, the model files' SHA-256, its options, the ONNX Runtime and libavcodec
//! versions), so an upgraded build never returns poses tracked by an older one.
//!
//! Entries are binary (postcard): floats come back bit for bit. Each file carries a magic
//! tag, the format, its key and a SHA-256 of its payload; anything else found in the folder
//! (a truncated, corrupt or foreign file) is ignored and replaced. The folder is capped in
//! size; the least recently used entries go first.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::pose::PoseFrame;
use crate::util::{atomic_write, hex, sha256_of};
use crate::video::VideoInfo;

/// File tag: "Hangtime poses".
const MAGIC: &[u8; 8] = b"HTPOSES\0";
/// Bumped when the entry layout changes.
const FORMAT: u32 = 6;
/// Entry file extension.
const EXTENSION: &str = "poses";
/// Default size cap of the folder.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;
/// Bytes before the payload: magic, format, key, payload hash.
const HEADER_LEN: usize = 8 + 4 + 32 + 32;

/// What is stored per video.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedPoses {
    /// Probe facts of the video (its path is the one it had when tracked).
    pub info: VideoInfo,
    /// Everyone the tracker followed, in the order found: one pose per displayed frame each.
    pub people: Vec<Vec<PoseFrame>>,
    /// Warnings raised while decoding.
    pub warnings: Vec<String>,
}

/// The key of one video tracked by one tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheKey([u8; 32]);

impl CacheKey {
    /// The key of the video at `video` tracked by the tracker `tracker_identity` names (see
    /// `pipeline::tracker_identity`): the file's content hash combined with it.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn new(video: &Path, tracker_identity: &str) -> std::io::Result<Self> {
        let content = sha256_of(fs::File::open(video)?)?;
        let mut hasher = Sha256::new();
        hasher.update(content);
        hasher.update(tracker_identity.as_bytes());
        Ok(Self(hasher.finalize().into()))
    }

    fn file_name(self) -> String {
        format!("{}.{EXTENSION}", hex(&self.0))
    }
}

/// How much the folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheUsage {
    /// Entries.
    pub entries: usize,
    /// Their total size.
    pub bytes: u64,
}

/// A folder of cached pose files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoseCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl PoseCache {
    /// The user's cache folder (`HANGTIME_CACHE_DIR` overrides), or `None` if there is none.
    /// Only the edges (the CLI, the app's start-up) call this; everything else is given a cache.
    pub fn user() -> Option<Self> {
        crate::folders::pose_cache_dir().map(|dir| Self::at(&dir))
    }

    /// A cache in a given folder, with the default size cap.
    pub fn at(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// The same cache with another size cap.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: CacheKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// The entry for `key`, if present and intact. A damaged or foreign file under the key is
    /// removed (the next store replaces it); a hit counts as a use for the size cap.
    pub fn load(&self, key: CacheKey) -> Option<CachedPoses> {
        let path = self.path(key);
        let bytes = fs::read(&path).ok()?;
        let Some(entry) = decode(&bytes, key) else {
            tracing::warn!("ignoring a damaged cache file: {}", path.display());
            fs::remove_file(&path).ok();
            return None;
        };
        if let Ok(file) = fs::File::options().append(true).open(&path) {
            file.set_modified(SystemTime::now()).ok();
        }
        Some(entry)
    }

    /// Stores an entry under `key`, then trims the folder to its cap. Failures are logged,
    /// never fatal: the cache is an optimisation.
    pub fn store(&self, key: CacheKey, entry: &CachedPoses) {
        let result = fs::create_dir_all(&self.dir)
            .and_then(|()| encode(entry, key).map_err(std::io::Error::other))
            .and_then(|bytes| atomic_write(&self.path(key), &bytes));
        match result {
            Ok(()) => self.trim(),
            Err(e) => tracing::warn!("results cache not written: {e}"),
        }
    }

    /// Entry files with their size and last use, oldest first.
    fn entries(&self) -> Vec<(PathBuf, u64, SystemTime)> {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<(PathBuf, u64, SystemTime)> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                meta.is_file().then(|| (e.path(), meta.len(), used))
            })
            .collect();
        out.sort_by_key(|e| e.2);
        out
    }

    /// Removes the least recently used entries until the folder fits its cap.
    fn trim(&self) {
        let entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        for (path, size, _) in entries {
            if total <= self.max_bytes {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
    }

    /// How many entries and bytes the folder holds.
    pub fn usage(&self) -> CacheUsage {
        let entries = self.entries();
        CacheUsage {
            entries: entries.len(),
            bytes: entries.iter().map(|e| e.1).sum(),
        }
    }

    /// Removes every entry (and nothing else in the folder); returns what was removed.
    ///
    /// # Errors
    /// The first file that could not be removed.
    pub fn clear(&self) -> std::io::Result<CacheUsage> {
        let mut removed = CacheUsage::default();
        for (path, size, _) in self.entries() {
            fs::remove_file(&path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{e}: {}", path.display())))?;
            removed.entries += 1;
            removed.bytes += size;
        }
        Ok(removed)
    }
}

fn encode(entry: &CachedPoses, key: CacheKey) -> Result<Vec<u8>, postcard::Error> {
    let payload = postcard::to_allocvec(entry)?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&key.0);
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    Ok(out)
}

fn decode(bytes: &[u8], key: CacheKey) -> Option<CachedPoses> {
    let (header, payload) = bytes.split_at_checked(HEADER_LEN)?;
    let (magic, rest) = header.split_at(8);
    let (format, rest) = rest.split_at(4);
    let (stored_key, digest) = rest.split_at(32);
    let intact = magic == MAGIC
        && format == FORMAT.to_le_bytes()
        && stored_key == key.0
        && digest == Sha256::digest(payload).as_slice();
    intact.then(|| postcard::from_bytes(payload).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::Landmark;

    fn entry() -> CachedPoses {
        let mut pose = PoseFrame::untracked(0, 1.0 / 3.0, true);
        pose.tracked = true;
        pose.landmarks = vec![
            Landmark {
                x: 0.1 + f32::EPSILON,
                y: f32::NAN,
                z: -0.0,
                visibility: 1.0 / 7.0,
                presence: f32::MIN_POSITIVE,
            };
            33
        ];
        CachedPoses {
            info: VideoInfo::default(),
            people: vec![vec![pose, PoseFrame::untracked(1, 0.1 + 0.2, false)]],
            warnings: vec!["a warning".to_owned()],
        }
    }

    /// Every float of an entry as raw bits (NaN included), and its warnings.
    fn bits(c: &CachedPoses) -> (Vec<u32>, Vec<u64>, Vec<String>) {
        let landmarks = c
            .people
            .iter()
            .flatten()
            .flat_map(|p| p.landmarks.iter())
            .flat_map(|l| [l.x, l.y, l.z, l.visibility, l.presence])
            .map(f32::to_bits)
            .collect();
        let times = c
            .people
            .iter()
            .flatten()
            .map(|p| p.time_s.to_bits())
            .collect();
        (landmarks, times, c.warnings.clone())
    }

    fn key(n: u8) -> CacheKey {
        CacheKey([n; 32])
    }

    #[test]
    fn an_entry_comes_back_bit_for_bit() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PoseCache::at(dir.path());
        let stored = entry();
        cache.store(key(1), &stored);
        let loaded = cache.load(key(1)).unwrap();
        assert_eq!(bits(&loaded), bits(&stored));
        assert_eq!(loaded.warnings, stored.warnings);
        assert!(cache.load(key(2)).is_none(), "another key is a miss");
    }

    #[test]
    fn damaged_truncated_or_foreign_files_are_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PoseCache::at(dir.path());
        cache.store(key(3), &entry());
        let path = cache.path(key(3));
        let good = fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        let damaged: Vec<Vec<u8>> = vec![
            good[..good.len() / 2].to_vec(),
            good[..10].to_vec(),
            Vec::new(),
            flipped,
            b"{\"format\":1,\"poses\":[]}".to_vec(),
            // The right bytes under another key's name: a file someone copied or renamed.
            fs::read(&path).unwrap(),
        ];
        for (i, bytes) in damaged.into_iter().enumerate() {
            let target = if i == 5 { key(4) } else { key(3) };
            fs::write(cache.path(target), &bytes).unwrap();
            assert!(cache.load(target).is_none(), "case {i} was accepted");
            assert!(!cache.path(target).exists(), "case {i} was left in place");
            cache.store(target, &entry());
            let replaced = cache.load(target).expect("replaced");
            assert_eq!(bits(&replaced), bits(&entry()), "case {i}");
        }
    }

    #[test]
    fn the_folder_keeps_to_its_cap_dropping_the_least_recently_used() {
        let dir = tempfile::tempdir().unwrap();
        let one = encode(&entry(), key(0)).unwrap().len() as u64;
        let cache = PoseCache::at(dir.path()).with_max_bytes(3 * one);
        let at = |secs: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        for n in 1..=3 {
            cache.store(key(n), &entry());
            let file = fs::File::options()
                .append(true)
                .open(cache.path(key(n)))
                .unwrap();
            file.set_modified(at(1_000 + u64::from(n))).unwrap();
        }
        // Reading the oldest makes it the most recently used.
        assert!(cache.load(key(1)).is_some());
        cache.store(key(4), &entry());
        let usage = cache.usage();
        assert_eq!(usage.entries, 3);
        assert!(usage.bytes <= 3 * one);
        assert!(cache.path(key(1)).exists(), "recently read, kept");
        assert!(!cache.path(key(2)).exists(), "least recently used, dropped");
        // Clearing removes entries only.
        fs::write(dir.path().join("notes.txt"), b"mine").unwrap();
        assert_eq!(cache.clear().unwrap().entries, 3);
        assert_eq!(cache.usage(), CacheUsage::default());
        assert!(dir.path().join("notes.txt").exists());
    }
}
