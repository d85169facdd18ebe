//! Typed video errors, each one clear sentence for the user (paths last).

use std::path::PathBuf;

/// Why a video could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VideoError {
    /// FFmpeg itself failed to initialise.
    #[error("the video library could not start: {0}")]
    Init(String),
    /// No file at the path.
    #[error("the file does not exist: {}", .0.display())]
    NotFound(PathBuf),
    /// The path is a folder.
    #[error("this is a folder, not a video file: {}", .0.display())]
    IsDirectory(PathBuf),
    /// The file cannot be opened (permissions, I/O).
    #[error("the file cannot be read ({reason}): {}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// FFmpeg does not recognise the container.
    #[error("this file is not a video Hangtime can read: {}", .0.display())]
    NotAVideo(PathBuf),
    /// The container has no video stream (audio only, for example).
    #[error("the file has no video track (audio only?): {}", .0.display())]
    NoVideoStream(PathBuf),
    /// A still image rather than a video.
    #[error("this is a still image, not a video; record the jump as a video: {}", .0.display())]
    StillImage(PathBuf),
    /// No decoder for the codec.
    #[error("the video codec {codec} is not supported: {}", path.display())]
    UnsupportedCodec {
        /// The codec name FFmpeg reports.
        codec: String,
        /// The file.
        path: PathBuf,
    },
    /// Nothing decodable in the file.
    #[error("no frame could be decoded; the file is corrupt or truncated: {}", .0.display())]
    NoFrames(PathBuf),
    /// A frame size beyond what the analysis supports.
    #[error("the frame size {width}×{height} is too large (at most 8192 px a side): {}", path.display())]
    TooLarge {
        /// Displayed width.
        width: u32,
        /// Displayed height.
        height: u32,
        /// The file.
        path: PathBuf,
    },
    /// A failure inside the decoder or demuxer.
    #[error("the video could not be decoded ({reason}): {}", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// FFmpeg's reason.
        reason: String,
    },
    /// Writing a video failed.
    #[error("the video could not be written ({reason}): {}", path.display())]
    Encode {
        /// The output file.
        path: PathBuf,
        /// FFmpeg's reason.
        reason: String,
    },
}
