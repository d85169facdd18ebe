//! One pixel layout for the samplers: pictures that are not 8-bit 4:2:0 (10-bit HDR phone
//! clips, 4:2:2 or 4:4:4 camera files) are converted once, with a scaler reused while the
//! picture size and format stay the same.

use ffmpeg_next::format::Pixel;
use ffmpeg_next::{color, frame, software};

use super::frame::ColourMatrix;

/// Converts decoded pictures to 8-bit 4:2:0 when they are not already.
#[derive(Default)]
pub(crate) struct PixelNormaliser {
    scaler: Option<software::scaling::Context>,
}

impl PixelNormaliser {
    /// `picture` in 8-bit 4:2:0 (returned as is when it already is).
    pub(crate) fn yuv420(
        &mut self,
        picture: frame::Video,
    ) -> Result<frame::Video, ffmpeg_next::Error> {
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
pub(crate) fn colour_matrix(picture: &frame::Video) -> ColourMatrix {
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
