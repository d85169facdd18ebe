//! `hangtime --version`: Hangtime's version, and which models and ONNX Runtime it uses and
//! where it found them (the first thing to ask for in a bug report).

use hangtime::pose::{self, MODEL_FILES, PoseError};
use hangtime::runtime;

/// Characters of a SHA-256 shown: enough to tell files apart at a glance.
pub const SHORT_HASH: usize = 12;

/// Prints the version report. Missing parts are reported, not errors: `--version` always
/// answers.
pub fn run() {
    println!("hangtime {}", env!("CARGO_PKG_VERSION"));
    match pose::find_models() {
        Ok(models) => {
            println!("models: {} ({})", models.path.display(), models.origin);
            for (name, file) in MODEL_FILES {
                let state = match pose::verify_model(&models.path.join(file)) {
                    Ok(hash) => format!("sha256 {}", &hash[..SHORT_HASH]),
                    Err(PoseError::ModelChecksum { found, .. }) => format!(
                        "sha256 {} (not the file this Hangtime was built with)",
                        &found[..SHORT_HASH]
                    ),
                    Err(e) => e.to_string(),
                };
                println!("  {name:<9} {file:<24} {state}");
            }
        }
        Err(e) => println!("models: {e}"),
    }
    match runtime::info() {
        Ok(info) => println!(
            "ONNX Runtime {}: {} ({})",
            info.version,
            info.library.path.display(),
            info.library.origin
        ),
        Err(e) => println!("ONNX Runtime: {e}"),
    }
}
