//! Locating and loading the ONNX Runtime shared library (never downloaded at run time).
//!
//! `ORT_DYLIB_PATH`, when set, is the only place tried; otherwise the library is looked for
//! where Hangtime's layouts put it, relative to the executable (see [`crate::locate`]).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;

use crate::locate::{self, Found, Origin, Platform, Resource};

/// The variable that names the library file explicitly.
pub const ORT_DYLIB_ENV: &str = "ORT_DYLIB_PATH";

/// Why the runtime could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RuntimeError {
    /// No library file at any searched place.
    #[error(
        "ONNX Runtime was not found; reinstall Hangtime (in a source checkout: run scripts/setup). Looked in: {searched}"
    )]
    NotFound {
        /// The places that were tried, for the message.
        searched: String,
    },
    /// `ORT_DYLIB_PATH` names a file that does not exist.
    #[error("ORT_DYLIB_PATH names {}, which does not exist; unset it or point it at the ONNX Runtime library", path.display())]
    OverrideMissing {
        /// The file named.
        path: PathBuf,
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

/// Candidate library files, most specific first, each with the rule that names it.
pub fn candidate_paths() -> Vec<(PathBuf, Origin)> {
    // An explicit choice is the only candidate: silently loading another library would hide
    // the user's mistake.
    if let Some(explicit) = std::env::var_os(ORT_DYLIB_ENV).filter(|p| !p.is_empty()) {
        return vec![(PathBuf::from(explicit), Origin::Override(ORT_DYLIB_ENV))];
    }
    let names = Platform::current().runtime_file_names();
    locate::current_candidate_dirs(Resource::Runtime)
        .into_iter()
        .flat_map(|(dir, origin)| names.iter().map(move |name| (dir.join(name), origin)))
        .collect()
}

/// Finds the first existing runtime library among [`candidate_paths`].
///
/// # Errors
/// [`RuntimeError::OverrideMissing`] when `ORT_DYLIB_PATH` names no file,
/// [`RuntimeError::NotFound`] when no candidate exists.
pub fn find_library() -> Result<Found, RuntimeError> {
    let candidates = candidate_paths();
    if let Some((path, origin)) = candidates.iter().find(|(p, _)| p.is_file()) {
        return Ok(Found::new(path, *origin));
    }
    match candidates.as_slice() {
        [(path, Origin::Override(_))] => Err(RuntimeError::OverrideMissing { path: path.clone() }),
        _ => Err(RuntimeError::NotFound {
            searched: locate::describe(&candidates.into_iter().map(|(p, _)| p).collect::<Vec<_>>()),
        }),
    }
}

/// The loaded library: where it was found and the version it reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeInfo {
    /// The library file and how it was found.
    pub library: Found,
    /// The version ONNX Runtime reports (`1.31.1`), or its build string if it cannot say.
    pub version: String,
}

/// The process-wide ONNX Runtime environment, loaded on first use.
///
/// # Errors
/// A [`RuntimeError`] when the library is missing or fails to load; the result is cached,
/// so later calls return the same error without retrying.
pub fn environment() -> Result<&'static Environment, RuntimeError> {
    loaded().map(|(environment, _)| environment)
}

/// Loads the runtime (once) and says where it came from and which version it is.
///
/// # Errors
/// As [`environment`].
pub fn info() -> Result<RuntimeInfo, RuntimeError> {
    loaded().map(|(_, info)| info.clone())
}

fn loaded() -> Result<&'static (Environment, RuntimeInfo), RuntimeError> {
    static LOADED: OnceLock<Result<(Environment, RuntimeInfo), RuntimeError>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let library = find_library()?;
            let load_failed = |reason: String| RuntimeError::LoadFailed {
                path: library.path.clone(),
                reason,
            };
            let environment = ort::init_from(&library.path)
                .map_err(|e| load_failed(e.to_string()))?
                .with_name("hangtime")
                .build()
                .map_err(|e| load_failed(e.to_string()))?;
            let version =
                reported_version(&library.path).unwrap_or_else(|| ort::info().trim().to_owned());
            Ok((environment, RuntimeInfo { library, version }))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The version the library at `path` reports (`OrtGetApiBase()->GetVersionString()`, e.g.
/// `1.31.1`), asked after ort has loaded it.
#[allow(
    unsafe_code,
    reason = "ONNX Runtime's C entry point and its version call, which have no preconditions"
)]
fn reported_version(path: &Path) -> Option<String> {
    type GetApiBase = unsafe extern "C" fn() -> *const ort::sys::OrtApiBase;
    // SAFETY: ort has already loaded this library, so the loader hands back the same handle
    // and runs no initialiser again; the handle keeps it loaded for as long as we use it.
    let library = unsafe { libloading::Library::new(path) }.ok()?;
    // SAFETY: every ONNX Runtime release exports `OrtGetApiBase` with this signature
    // (onnxruntime_c_api.h).
    let get_api_base = unsafe { library.get::<GetApiBase>(b"OrtGetApiBase") }.ok()?;
    // SAFETY: it returns a pointer to a static table, never freed.
    let base = unsafe { get_api_base() };
    if base.is_null() {
        return None;
    }
    // SAFETY: `base` is that static table; `GetVersionString` returns a static NUL-terminated
    // string.
    let version = unsafe { std::ffi::CStr::from_ptr(((*base).GetVersionString)()) };
    Some(version.to_string_lossy().into_owned())
}
