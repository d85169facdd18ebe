//! Which model files exist, where they live, and checking them before use.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PoseError;

/// SHA-256 of every shipped model, fixed at build time so a swapped file is caught.
const SHA256SUMS: &str = include_str!("../../models/SHA256SUMS");

/// Detector file name.
pub const DETECTOR_FILE: &str = "pose_detector.onnx";

/// Landmark model size/accuracy trade-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelVariant {
    /// BlazePose GHUM lite: fastest.
    #[default]
    Lite,
    /// BlazePose GHUM full: more accurate, slower.
    Full,
}

impl ModelVariant {
    /// Landmark model file name.
    pub fn landmark_file(self) -> &'static str {
        match self {
            Self::Lite => "pose_landmark_lite.onnx",
            Self::Full => "pose_landmark_full.onnx",
        }
    }

    /// Lower-case name used in reports and settings.
    pub fn name(self) -> &'static str {
        match self {
            Self::Lite => "lite",
            Self::Full => "full",
        }
    }
}

impl std::fmt::Display for ModelVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Folders searched for models: `HANGTIME_MODELS_DIR`, beside the executable, the source tree.
fn candidate_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("HANGTIME_MODELS_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("models"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("models"));
    dirs
}

/// The first folder that holds the detector.
///
/// # Errors
/// [`PoseError::ModelsNotFound`] listing the places searched.
pub fn models_dir() -> Result<PathBuf, PoseError> {
    let dirs = candidate_dirs();
    dirs.iter()
        .find(|d| d.join(DETECTOR_FILE).is_file())
        .cloned()
        .ok_or_else(|| {
            PoseError::ModelsNotFound(
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
}

/// The expected SHA-256 (hex) of a shipped model file.
pub(crate) fn expected_sha256(file_name: &str) -> Option<&'static str> {
    SHA256SUMS.lines().find_map(|line| {
        let (hash, name) = line.split_once(char::is_whitespace)?;
        (name.trim().trim_start_matches('*') == file_name).then_some(hash)
    })
}

/// Reads a model file and checks its SHA-256 against the build's list.
///
/// # Errors
/// [`PoseError::ModelUnreadable`] or [`PoseError::ModelChecksum`].
pub(crate) fn read_verified(path: &Path) -> Result<Vec<u8>, PoseError> {
    let bytes = std::fs::read(path).map_err(|e| PoseError::ModelUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let expected = expected_sha256(file_name).unwrap_or_default();
    let found = crate::util::hex(&Sha256::digest(&bytes));
    if found != expected {
        return Err(PoseError::ModelChecksum {
            path: path.to_path_buf(),
            expected: expected.to_owned(),
            found,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_has_a_checksum() {
        for file in [
            DETECTOR_FILE,
            ModelVariant::Lite.landmark_file(),
            ModelVariant::Full.landmark_file(),
        ] {
            let hash = expected_sha256(file).unwrap_or_default();
            assert_eq!(hash.len(), 64, "{file}");
        }
    }

    #[test]
    fn a_tampered_model_is_refused_with_both_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DETECTOR_FILE);
        std::fs::write(&path, b"not a model").unwrap();
        let err = read_verified(&path).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, PoseError::ModelChecksum { .. }), "{msg}");
        assert!(
            msg.contains("wrong checksum")
                && msg.contains(&crate::util::hex(&Sha256::digest(b"not a model")))
        );
    }
}
