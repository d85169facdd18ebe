//! Where Hangtime's own files (the pose models, the ONNX Runtime library) are, found from the
//! executable's location in each way Hangtime is laid out, never from a path fixed at build
//! time.
//!
//! Layouts, per platform (`EXE` is the executable's folder):
//! - Linux and other Unix systems: a prefix, `EXE/../lib/hangtime/` (the .deb's
//!   `/usr/bin/hangtime` with `/usr/lib/hangtime/`, or the tarball unpacked anywhere), or a
//!   flat folder with everything beside the executable.
//! - macOS: an app bundle, `Contents/MacOS/hangtime` with `Contents/Resources/models/` and the
//!   library in `Contents/Frameworks/`; the prefix and flat layouts as on Linux.
//! - Windows: a program folder, `hangtime.exe` beside `onnxruntime.dll` and `models\`.
//! - Everywhere, a source checkout: the executable under `target/` (`target/<profile>/`, its
//!   `deps/` and `examples/`, or `target/<triple>/<profile>/`), the models in `models/` and
//!   the library in `.runtime/onnxruntime/` of the folder holding `target/`. When the target
//!   folder lies outside the checkout, `cargo run` and `cargo test` still name the checkout
//!   in `CARGO_MANIFEST_DIR` (set by cargo when it starts a program, read at run time).

use std::fmt;
use std::path::{Path, PathBuf};

/// What is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The folder of pose model files.
    Models,
    /// The folder holding the ONNX Runtime shared library.
    Runtime,
}

/// Which rule named a place: reported by `hangtime --version` and `hangtime doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An environment variable the user set (its name).
    Override(&'static str),
    /// The installed prefix layout (`EXE/../lib/hangtime`).
    Installed,
    /// A macOS app bundle (`Contents/Resources`, `Contents/Frameworks`).
    AppBundle,
    /// Beside the executable (a flat folder, or a Windows program folder).
    BesideExecutable,
    /// The source checkout that holds the executable's `target/` folder.
    SourceTree,
    /// The source checkout cargo named when it started the program.
    Cargo,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Override(var) => write!(f, "set by {var}"),
            Self::Installed => f.write_str("installed with Hangtime"),
            Self::AppBundle => f.write_str("inside the app bundle"),
            Self::BesideExecutable => f.write_str("beside the executable"),
            Self::SourceTree => f.write_str("source checkout"),
            Self::Cargo => f.write_str("source checkout named by cargo"),
        }
    }
}

/// A file or folder that was found, and the rule that found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file or folder.
    pub path: PathBuf,
    /// How it was found.
    pub origin: Origin,
}

impl Found {
    /// `path` as found by `origin`, with `..` and symbolic links resolved so messages show
    /// the real place (`/usr/lib/hangtime`, not `/usr/bin/../lib/hangtime`). Windows paths
    /// stay as they are: their candidates hold no `..`, and the canonical form is a `\\?\`
    /// path.
    pub fn new(path: &Path, origin: Origin) -> Self {
        let path = if cfg!(windows) {
            path.to_path_buf()
        } else {
            path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
        };
        Self { path, origin }
    }
}

/// The operating systems whose layouts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Linux and the other Unix systems except macOS.
    Unix,
    /// macOS.
    MacOs,
    /// Windows.
    Windows,
}

impl Platform {
    /// The platform this build runs on.
    pub const fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Unix
        }
    }

    /// ONNX Runtime library file names, the versioned one first (the one Hangtime ships).
    pub fn runtime_file_names(self) -> &'static [&'static str] {
        match self {
            Self::Unix => &["libonnxruntime.so.1.31.1", "libonnxruntime.so"],
            Self::MacOs => &["libonnxruntime.1.31.1.dylib", "libonnxruntime.dylib"],
            Self::Windows => &["onnxruntime.dll"],
        }
    }
}

/// Folders that may hold `resource`, most specific first, for an executable in `exe_dir`
/// (`None` when the system cannot say) and the checkout cargo named (if any).
pub fn candidate_dirs(
    resource: Resource,
    platform: Platform,
    exe_dir: Option<&Path>,
    cargo_manifest_dir: Option<&Path>,
) -> Vec<(PathBuf, Origin)> {
    let mut dirs = Vec::new();
    let in_checkout = |root: &Path| match resource {
        Resource::Models => root.join("models"),
        Resource::Runtime => root.join(".runtime").join("onnxruntime"),
    };
    if let Some(exe) = exe_dir {
        let prefix = exe.join("..").join("lib").join("hangtime");
        let bundle = match resource {
            Resource::Models => exe.join("..").join("Resources").join("models"),
            Resource::Runtime => exe.join("..").join("Frameworks"),
        };
        let beside = match resource {
            Resource::Models => exe.join("models"),
            Resource::Runtime => exe.to_path_buf(),
        };
        let installed = match resource {
            Resource::Models => prefix.join("models"),
            Resource::Runtime => prefix,
        };
        match platform {
            Platform::Unix => {
                dirs.push((installed, Origin::Installed));
                dirs.push((beside, Origin::BesideExecutable));
            }
            Platform::MacOs => {
                dirs.push((bundle, Origin::AppBundle));
                dirs.push((installed, Origin::Installed));
                dirs.push((beside, Origin::BesideExecutable));
            }
            Platform::Windows => dirs.push((beside, Origin::BesideExecutable)),
        }
        if let Some(root) = checkout_of(exe) {
            dirs.push((in_checkout(&root), Origin::SourceTree));
        }
    }
    if let Some(root) = cargo_manifest_dir {
        dirs.push((in_checkout(root), Origin::Cargo));
    }
    dirs
}

/// The candidate folders for this process: its own executable's folder and cargo's variable.
pub fn current_candidate_dirs(resource: Resource) -> Vec<(PathBuf, Origin)> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    let cargo = std::env::var_os("CARGO_MANIFEST_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from);
    candidate_dirs(
        resource,
        Platform::current(),
        exe_dir.as_deref(),
        cargo.as_deref(),
    )
}

/// The checkout whose `target/` folder holds `exe_dir`: the parent of the nearest ancestor
/// named `target`, if it has a `Cargo.toml`.
fn checkout_of(exe_dir: &Path) -> Option<PathBuf> {
    let target = exe_dir
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|name| name == "target"))?;
    let root = target.parent()?;
    root.join("Cargo.toml")
        .is_file()
        .then(|| root.to_path_buf())
}

/// Lists places for an error message.
pub fn describe(places: &[PathBuf]) -> String {
    places
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(
        resource: Resource,
        platform: Platform,
        exe_dir: &Path,
        cargo: Option<&Path>,
    ) -> Vec<(PathBuf, Origin)> {
        candidate_dirs(resource, platform, Some(exe_dir), cargo)
    }

    /// The first candidate that exists on disk.
    fn first_existing(candidates: &[(PathBuf, Origin)], file: &str) -> Option<(PathBuf, Origin)> {
        candidates
            .iter()
            .find(|(dir, _)| dir.join(file).is_file())
            .map(|(dir, origin)| (dir.canonicalize().unwrap(), *origin))
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    #[test]
    fn the_deb_and_tarball_prefix_layout_is_found_from_bin() {
        let root = tempfile::tempdir().unwrap();
        let prefix = root.path().join("anywhere/hangtime-0.1.0");
        touch(&prefix.join("bin/hangtime"));
        touch(&prefix.join("lib/hangtime/models/pose_detector.onnx"));
        touch(&prefix.join("lib/hangtime/libonnxruntime.so.1.31.1"));
        let bin = prefix.join("bin");
        let models = dirs(Resource::Models, Platform::Unix, &bin, None);
        let runtime = dirs(Resource::Runtime, Platform::Unix, &bin, None);
        let lib = prefix.join("lib/hangtime").canonicalize().unwrap();
        assert_eq!(
            first_existing(&models, "pose_detector.onnx"),
            Some((lib.join("models"), Origin::Installed))
        );
        assert_eq!(
            first_existing(&runtime, "libonnxruntime.so.1.31.1"),
            Some((lib, Origin::Installed))
        );
    }

    #[test]
    fn a_source_checkout_is_found_from_the_binary_its_tests_and_a_cross_build() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("hangtime");
        touch(&repo.join("Cargo.toml"));
        touch(&repo.join("models/pose_detector.onnx"));
        touch(&repo.join(".runtime/onnxruntime/libonnxruntime.so.1.31.1"));
        let repo = repo.canonicalize().unwrap();
        for exe_dir in [
            "target/debug",
            "target/release/deps",
            "target/release/examples",
            "target/x86_64-unknown-linux-gnu/release",
        ] {
            let exe_dir = repo.join(exe_dir);
            std::fs::create_dir_all(&exe_dir).unwrap();
            let models = dirs(Resource::Models, Platform::Unix, &exe_dir, None);
            assert_eq!(
                first_existing(&models, "pose_detector.onnx"),
                Some((repo.join("models"), Origin::SourceTree)),
                "{}",
                exe_dir.display()
            );
            let runtime = dirs(Resource::Runtime, Platform::Unix, &exe_dir, None);
            assert_eq!(
                first_existing(&runtime, "libonnxruntime.so.1.31.1"),
                Some((repo.join(".runtime/onnxruntime"), Origin::SourceTree))
            );
        }
    }

    #[test]
    fn a_target_folder_outside_the_checkout_needs_cargos_variable() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("checkout");
        touch(&repo.join("Cargo.toml"));
        touch(&repo.join("models/pose_detector.onnx"));
        let exe_dir = root.path().join("elsewhere/debug/deps");
        std::fs::create_dir_all(&exe_dir).unwrap();
        let without = dirs(Resource::Models, Platform::Unix, &exe_dir, None);
        assert_eq!(first_existing(&without, "pose_detector.onnx"), None);
        let with = dirs(Resource::Models, Platform::Unix, &exe_dir, Some(&repo));
        assert_eq!(
            first_existing(&with, "pose_detector.onnx"),
            Some((repo.join("models").canonicalize().unwrap(), Origin::Cargo))
        );
    }

    #[test]
    fn a_folder_named_target_without_a_manifest_is_not_a_checkout() {
        let root = tempfile::tempdir().unwrap();
        touch(&root.path().join("models/pose_detector.onnx"));
        let exe_dir = root.path().join("target/bin");
        std::fs::create_dir_all(&exe_dir).unwrap();
        let models = dirs(Resource::Models, Platform::Unix, &exe_dir, None);
        assert!(models.iter().all(|(_, o)| *o != Origin::SourceTree));
    }

    #[test]
    fn a_macos_bundle_and_a_windows_program_folder_have_their_own_places() {
        let contents = Path::new("/Applications/Hangtime.app/Contents");
        let macos = dirs(
            Resource::Runtime,
            Platform::MacOs,
            &contents.join("MacOS"),
            None,
        );
        assert_eq!(
            macos[0],
            (contents.join("MacOS/../Frameworks"), Origin::AppBundle)
        );
        let models = dirs(
            Resource::Models,
            Platform::MacOs,
            &contents.join("MacOS"),
            None,
        );
        assert_eq!(
            models[0],
            (
                contents.join("MacOS/../Resources/models"),
                Origin::AppBundle
            )
        );
        let program = Path::new(r"C:\Program Files\Hangtime");
        let windows = dirs(Resource::Models, Platform::Windows, program, None);
        assert_eq!(
            windows,
            vec![(program.join("models"), Origin::BesideExecutable)]
        );
        assert_eq!(Platform::Windows.runtime_file_names(), &["onnxruntime.dll"]);
        assert_eq!(
            Platform::MacOs.runtime_file_names(),
            &["libonnxruntime.1.31.1.dylib", "libonnxruntime.dylib"]
        );
    }
}
