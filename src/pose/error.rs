//! Typed pose-tracking errors.

use std::path::PathBuf;

use crate::runtime::RuntimeError;

/// Why the tracker could not be built or run.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PoseError {
    /// ONNX Runtime is missing or broken.
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    /// No models folder was found.
    #[error(
        "the pose models were not found; reinstall Hangtime (in a source checkout they are in models/). Looked in: {0}"
    )]
    ModelsNotFound(String),
    /// A model file could not be read.
    #[error("the pose model could not be read ({reason}): {}", path.display())]
    ModelUnreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// A model file is not the one this build was made for.
    #[error(
        "the pose model has the wrong checksum (expected {expected}, found {found}); reinstall the models folder: {}",
        path.display()
    )]
    ModelChecksum {
        /// The file.
        path: PathBuf,
        /// SHA-256 this build expects.
        expected: String,
        /// SHA-256 of the file.
        found: String,
    },
    /// ONNX Runtime rejected the model or failed while running it.
    #[error("pose inference failed: {0}")]
    Inference(String),
    /// The model produced an output of an unexpected shape.
    #[error("the pose model output {name} has an unexpected size {len}")]
    OutputShape {
        /// Output name.
        name: &'static str,
        /// Elements found.
        len: usize,
    },
}

impl<R> From<ort::Error<R>> for PoseError {
    fn from(e: ort::Error<R>) -> Self {
        Self::Inference(e.to_string())
    }
}
