//! Which model files exist, where they live, and checking them before use.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PoseError;
use crate::locate::{self, Found, Origin, Resource};

/// The variable that names the models folder explicitly.
pub const MODELS_DIR_ENV: &str = "HANGTIME_MODELS_DIR";

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

/// Every model file Hangtime ships, each with the name reports and messages give it.
pub const MODEL_FILES: [(&str, &str); 3] = [
    ("detector", DETECTOR_FILE),
    ("lite", "pose_landmark_lite.onnx"),
    ("full", "pose_landmark_full.onnx"),
];

/// Folders searched for models: `HANGTIME_MODELS_DIR` alone when set (silently using other
/// models would hide the user's mistake), else Hangtime's layouts (see [`crate::locate`]).
fn candidate_dirs() -> Vec<(PathBuf, Origin)> {
    if let Some(dir) = std::env::var_os(MODELS_DIR_ENV).filter(|d| !d.is_empty()) {
        return vec![(PathBuf::from(dir), Origin::Override(MODELS_DIR_ENV))];
    }
    locate::current_candidate_dirs(Resource::Models)
}

/// The first folder that holds the detector, and how it was found.
///
/// # Errors
/// [`PoseError::ModelsNotFound`] listing the places searched.
pub fn find_models() -> Result<Found, PoseError> {
    let dirs = candidate_dirs();
    dirs.iter()
        .find(|(d, _)| d.join(DETECTOR_FILE).is_file())
        .map(|(path, origin)| Found::new(path, *origin))
        .ok_or_else(|| {
            PoseError::ModelsNotFound(locate::describe(
                &dirs.into_iter().map(|(d, _)| d).collect::<Vec<_>>(),
            ))
        })
}

/// The first folder that holds the detector.
///
/// # Errors
/// [`PoseError::ModelsNotFound`] listing the places searched.
pub fn models_dir() -> Result<PathBuf, PoseError> {
    find_models().map(|found| found.path)
}

/// The expected SHA-256 (hex) of a shipped model file.
pub(crate) fn expected_sha256(file_name: &str) -> Option<&'static str> {
    SHA256SUMS.lines().find_map(|line| {
        let (hash, name) = line.split_once(char::is_whitespace)?;
        (name.trim().trim_start_matches('*') == file_name).then_some(hash)
    })
}

/// Checks a model file's SHA-256 against the build's list and returns it (hex).
///
/// # Errors
/// [`PoseError::ModelUnreadable`], or [`PoseError::ModelChecksum`] carrying the hash found.
pub fn verify(path: &Path) -> Result<String, PoseError> {
    read_checked(path).map(|(_, hash)| hash)
}

/// Reads a model file and checks its SHA-256 against the build's list.
///
/// # Errors
/// [`PoseError::ModelUnreadable`] or [`PoseError::ModelChecksum`].
pub(crate) fn read_verified(path: &Path) -> Result<Vec<u8>, PoseError> {
    read_checked(path).map(|(bytes, _)| bytes)
}

fn read_checked(path: &Path) -> Result<(Vec<u8>, String), PoseError> {
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
    Ok((bytes, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_has_a_checksum() {
        for (_, file) in MODEL_FILES {
            let hash = expected_sha256(file).unwrap_or_default();
            assert_eq!(hash.len(), 64, "{file}");
        }
    }

    #[test]
    fn the_listed_files_are_the_variants_files() {
        assert_eq!(MODEL_FILES[0].1, DETECTOR_FILE);
        for variant in [ModelVariant::Lite, ModelVariant::Full] {
            assert!(MODEL_FILES.contains(&(variant.name(), variant.landmark_file())));
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
