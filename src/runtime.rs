//! Locating and loading the ONNX Runtime shared library (never downloaded at run time).
//!
//! Search order: `ORT_DYLIB_PATH` (exclusively, when set), the repository's
//! `.runtime/onnxruntime/` folder filled by `scripts/setup`, then the executable's own folder.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;

/// File name of the runtime library that `scripts/setup` unpacks from the PyPI wheel.
pub const ORT_LIBRARY_FILE: &str = "libonnxruntime.so.1.31.1";

/// Why the runtime could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RuntimeError {
    /// No library file at any searched place.
    #[error(
        "ONNX Runtime was not found; run scripts/setup (or set ORT_DYLIB_PATH). Looked in: {searched}"
    )]
    NotFound {
        /// The places that were tried, for the message.
        searched: String,
    },
    /// The file exists but could not be loaded or initialised.
    #[error("ONNX Runtime at {path} could not be loaded: {reason}")]
    LoadFailed {
        /// The library file.
        path: PathBuf,
        /// What the loader said.
        reason: String,
    },
}

/// Candidate locations of the runtime library, most specific first.
pub fn candidate_paths() -> Vec<PathBuf> {
    // An explicit choice is the only candidate: silently loading another library would hide
    // the user's mistake.
    if let Some(explicit) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        return vec![PathBuf::from(explicit)];
    }
    let mut paths = Vec::new();
    let repo_runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join(".runtime/onnxruntime");
    paths.push(repo_runtime.join(ORT_LIBRARY_FILE));
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        paths.push(exe_dir.join(ORT_LIBRARY_FILE));
        paths.push(exe_dir.join("libonnxruntime.so"));
    }
    paths
}

/// Finds the first existing runtime library among [`candidate_paths`].
///
/// # Errors
/// [`RuntimeError::NotFound`] when none exists.
pub fn find_library() -> Result<PathBuf, RuntimeError> {
    let candidates = candidate_paths();
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| RuntimeError::NotFound {
            searched: candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The process-wide ONNX Runtime environment, loaded on first use.
///
/// # Errors
/// A [`RuntimeError`] when the library is missing or fails to load; the result is cached,
/// so later calls return the same error without retrying.
pub fn environment() -> Result<&'static Environment, RuntimeError> {
    static ENVIRONMENT: OnceLock<Result<Environment, RuntimeError>> = OnceLock::new();
    ENVIRONMENT
        .get_or_init(|| {
            let path = find_library()?;
            let load_failed = |reason: String| RuntimeError::LoadFailed {
                path: path.clone(),
                reason,
            };
            ort::init_from(&path)
                .map_err(|e| load_failed(e.to_string()))?
                .with_name("hangtime")
                .build()
                .map_err(|e| load_failed(e.to_string()))
        })
        .as_ref()
        .map_err(Clone::clone)
}
