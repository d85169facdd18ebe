//! Video input and output on FFmpeg: probe, streaming decode, frame sampling, preview, export.
//!
//! Frames stay in the decoder's YUV layout; the pose stage samples exactly the pixels it needs
//! through one affine map that already contains the clip's rotation, so no full-frame RGB or
//! rotated copy is ever made on the analysis path.

mod background;
mod decode;
mod encode;
mod error;
mod frame;
mod normalise;
mod preview;
mod probe;
#[cfg(target_arch = "x86_64")]
mod sample_avx2;

pub use background::{BackgroundMotion, CameraMotion};
pub use decode::{DecodeOptions, DecodeReport, DecoderThread, VideoDecoder, spawn_decoder};
pub use encode::{VideoEncoder, export_size};
pub use error::VideoError;
pub use frame::{Affine, Border, ColourMatrix, Frame, Normalise, Plane, Rotation, YuvImage};
pub use preview::{
    PreviewDecode, PreviewFeed, PreviewFrame, PreviewLayout, PreviewMode, PreviewOptions,
    PreviewSource, PreviewStatus, preview_size,
};
pub use probe::{VideoInfo, probe, recorded_at};

/// The decoding library's identity for cache keys: another libavcodec may decode the same
/// file to slightly different pixels.
pub fn decoder_identity() -> String {
    let v = ffmpeg_next::codec::version();
    format!("libavcodec {}.{}.{}", v >> 16, (v >> 8) & 0xff, v & 0xff)
}

/// The video codecs phones and cameras record in, by the names users know them by.
pub const PHONE_CODECS: [(&str, ffmpeg_next::codec::Id); 4] = [
    ("H.264", ffmpeg_next::codec::Id::H264),
    ("HEVC", ffmpeg_next::codec::Id::HEVC),
    ("VP9", ffmpeg_next::codec::Id::VP9),
    ("AV1", ffmpeg_next::codec::Id::AV1),
];

/// The decoder FFmpeg would pick for `codec` (its name, e.g. `libdav1d` for AV1), or `None`
/// when this FFmpeg build cannot decode it.
///
/// # Errors
/// [`VideoError::Init`] when FFmpeg cannot be initialised.
pub fn decoder_name(codec: ffmpeg_next::codec::Id) -> Result<Option<String>, VideoError> {
    init_ffmpeg()?;
    Ok(ffmpeg_next::decoder::find(codec).map(|c| c.name().to_owned()))
}

/// Makes sure FFmpeg is initialised once and quiet (its own log would interleave with ours).
pub(crate) fn init_ffmpeg() -> Result<(), VideoError> {
    static INIT: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    INIT.get_or_init(|| {
        ffmpeg_next::init().map_err(|e| e.to_string())?;
        ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Fatal);
        Ok(())
    })
    .clone()
    .map_err(VideoError::Init)
}
