//! One pixel layout for the samplers: pictures that are not 8-bit 4:2:0 (10-bit HDR phone
//! clips, 4:2:2 or 4:4:4 camera files) are converted once, with a scaler reused while the
//! picture size and format stay the same.

use std::path::Path;

use ffmpeg_next::format::Pixel;
use ffmpeg_next::{color, frame, software};

use super::VideoError;
use super::frame::{ColourMatrix, Frame, Rotation};

/// Converts decoded pictures to 8-bit 4:2:0 when they are not already.
#[derive(Default)]
pub(crate) struct PixelNormaliser {
    scaler: Option<software::scaling::Context>,
}

impl PixelNormaliser {
    /// A decoded `picture` of `path` as a [`Frame`]: the colour matrix it declares, its pixels
    /// in 8-bit 4:2:0.
    pub(crate) fn frame(
        &mut self,
        picture: frame::Video,
        index: usize,
        time_s: f64,
        rotation: Rotation,
        path: &Path,
    ) -> Result<Frame, VideoError> {
        let matrix = colour_matrix(&picture);
        let picture = self.yuv420(picture).map_err(|e| VideoError::Decode {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(Frame {
            index,
            time_s,
            picture,
            rotation,
            matrix,
        })
    }

    /// `picture` in 8-bit 4:2:0 (returned as is when it already is).
    fn yuv420(&mut self, picture: frame::Video) -> Result<frame::Video, ffmpeg_next::Error> {
        if matches!(picture.format(), Pixel::YUV420P | Pixel::YUVJ420P) {
            return Ok(picture);
        }
        let (w, h, format) = (picture.width(), picture.height(), picture.format());
        let scaler = match &mut self.scaler {
            Some(s)
                if s.input().width == w && s.input().height == h && s.input().format == format =>
            {
                s
            }
            slot => slot.insert(software::scaling::Context::get(
                format,
                w,
                h,
                Pixel::YUV420P,
                w,
                h,
                software::scaling::Flags::BILINEAR,
            )?),
        };
        let mut out = frame::Video::empty();
        scaler.run(&picture, &mut out)?;
        Ok(out)
    }
}

/// The picture's YUV→RGB matrix: what it declares, else BT.709 from 720p up and BT.601 below
/// (FFmpeg's and the players' convention for untagged video).
fn colour_matrix(picture: &frame::Video) -> ColourMatrix {
    let full = picture.color_range() == color::Range::JPEG || picture.format() == Pixel::YUVJ420P;
    let hd = matches!(picture.color_space(), color::Space::BT709)
        || (picture.color_space() == color::Space::Unspecified
            && picture.height() >= 720
            && picture.width() >= 720);
    match (hd, full) {
        (true, true) => ColourMatrix::Bt709Full,
        (true, false) => ColourMatrix::Bt709Limited,
        (false, true) => ColourMatrix::Bt601Full,
        (false, false) => ColourMatrix::Bt601Limited,
    }
}
