//! Results cache: tracked poses of a video, keyed by the file's content, the model and this
//! build. Analysis is recomputed from the poses on every run (it takes milliseconds), so a
//! changed setting can never return a stale result, and a changed file has another key.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::pose::{ModelVariant, PoseFrame};
use crate::video::VideoInfo;

/// Bumped when the cached format or the tracker's output changes meaning.
const FORMAT: u32 = 1;

/// What is stored per video.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedPoses {
    /// Cache format version.
    pub format: u32,
    /// Probe facts of the video.
    pub info: VideoInfo,
    /// One pose per displayed frame.
    pub poses: Vec<PoseFrame>,
    /// Warnings raised while decoding.
    pub warnings: Vec<String>,
}

impl CachedPoses {
    /// An entry in the current format.
    pub fn new(info: VideoInfo, poses: Vec<PoseFrame>, warnings: Vec<String>) -> Self {
        Self {
            format: FORMAT,
            info,
            poses,
            warnings,
        }
    }
}

/// A folder of cached pose files.
#[derive(Debug, Clone)]
pub struct PoseCache {
    dir: PathBuf,
}

impl PoseCache {
    /// The user's cache folder (`HANGTIME_CACHE_DIR` overrides), or `None` if there is none.
    pub fn user() -> Option<Self> {
        let dir = std::env::var_os("HANGTIME_CACHE_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                directories::ProjectDirs::from("", "", "hangtime")
                    .map(|d| d.cache_dir().to_path_buf())
            })?;
        Some(Self {
            dir: dir.join("poses"),
        })
    }

    /// A cache in a given folder.
    pub fn at(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    /// The key of a video for a model: content hash, model, build.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn key(video: &Path, model: ModelVariant) -> std::io::Result<String> {
        let mut hasher = Sha256::new();
        let mut file = std::fs::File::open(video)?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        hasher.update(model.name().as_bytes());
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(FORMAT.to_le_bytes());
        Ok(crate::pose::hex(&hasher.finalize()))
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The cached poses for `key`, if present and readable.
    pub fn load(&self, key: &str) -> Option<CachedPoses> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice::<CachedPoses>(&bytes)
            .ok()
            .filter(|c| c.format == FORMAT)
    }

    /// Stores poses under `key`; failures are logged, never fatal (the cache is an optimisation).
    pub fn store(&self, key: &str, entry: &CachedPoses) {
        let result = std::fs::create_dir_all(&self.dir)
            .and_then(|()| serde_json::to_vec(entry).map_err(std::io::Error::other))
            .and_then(|bytes| crate::report::atomic_write(&self.path(key), &bytes));
        if let Err(e) = result {
            tracing::warn!("results cache not written: {e}");
        }
    }
}
