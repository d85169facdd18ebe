//! MP4 writing for the overlay export: H.264 (libx264) when the FFmpeg build has it,
//! MPEG-4 part 2 otherwise; RGBA frames in, real timestamps kept.

use std::path::{Path, PathBuf};

use ffmpeg_next::{Dictionary, Rational, codec, encoder, format, frame, software};

use super::{VideoError, init_ffmpeg};

/// Microsecond time base: keeps every source timestamp exactly enough for VFR clips.
const TIME_BASE: Rational = Rational(1, 1_000_000);

/// Output size for a displayed size: long edge at most `max_long_edge`, both sides even.
pub fn export_size(width: u32, height: u32, max_long_edge: u32) -> (u32, u32) {
    let long = width.max(height).max(1);
    let scale = (f64::from(max_long_edge) / f64::from(long)).min(1.0);
    let even = |v: u32| ((f64::from(v) * scale / 2.0).round() as u32 * 2).max(2);
    (even(width), even(height))
}

/// Writes RGBA frames to an MP4 file.
pub struct VideoEncoder {
    path: PathBuf,
    output: format::context::Output,
    encoder: encoder::Video,
    scaler: software::scaling::Context,
    rgba: frame::Video,
    yuv: frame::Video,
    stream_time_base: Rational,
    last_pts: Option<i64>,
    /// Name of the codec in use (`libx264` or `mpeg4`).
    pub codec_name: &'static str,
}

impl VideoEncoder {
    /// Creates `path` for `width × height` RGBA frames (`fps` is a hint for rate control).
    ///
    /// # Errors
    /// [`VideoError::Encode`] if the file or the encoder cannot be set up.
    pub fn create(path: &Path, width: u32, height: u32, fps: f64) -> Result<Self, VideoError> {
        init_ffmpeg()?;
        let fail = |e: &dyn std::fmt::Display| VideoError::Encode {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let mut output = format::output_as(&path, "mp4").map_err(|e| fail(&e))?;
        let (codec, codec_name) = match encoder::find_by_name("libx264") {
            Some(c) => (c, "libx264"),
            None => (
                encoder::find(codec::Id::MPEG4)
                    .ok_or_else(|| fail(&"no H.264 or MPEG-4 encoder"))?,
                "mpeg4",
            ),
        };
        let global_header = output
            .format()
            .flags()
            .contains(format::Flags::GLOBAL_HEADER);
        let mut stream = output.add_stream(codec).map_err(|e| fail(&e))?;
        let mut enc = codec::context::Context::new_with_codec(codec)
            .encoder()
            .video()
            .map_err(|e| fail(&e))?;
        enc.set_width(width);
        enc.set_height(height);
        enc.set_format(format::Pixel::YUV420P);
        enc.set_time_base(TIME_BASE);
        let fps_milli = (fps.clamp(1.0, 1000.0) * 1000.0).round() as i32;
        enc.set_frame_rate(Some(Rational(fps_milli, 1000)));
        if global_header {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let mut opts = Dictionary::new();
        if codec_name == "libx264" {
            opts.set("preset", "veryfast");
            opts.set("crf", "21");
        } else {
            opts.set("qscale", "4");
        }
        let encoder = enc.open_with(opts).map_err(|e| fail(&e))?;
        stream.set_parameters(&encoder);
        stream.set_time_base(TIME_BASE);
        output.write_header().map_err(|e| fail(&e))?;
        let stream_time_base = output.stream(0).map_or(TIME_BASE, |s| s.time_base());
        let scaler = software::scaling::Context::get(
            format::Pixel::RGBA,
            width,
            height,
            format::Pixel::YUV420P,
            width,
            height,
            software::scaling::Flags::BILINEAR,
        )
        .map_err(|e| fail(&e))?;
        Ok(Self {
            path: path.to_path_buf(),
            output,
            encoder,
            scaler,
            rgba: frame::Video::new(format::Pixel::RGBA, width, height),
            yuv: frame::Video::empty(),
            stream_time_base,
            last_pts: None,
            codec_name,
        })
    }

    fn fail(&self, e: &dyn std::fmt::Display) -> VideoError {
        VideoError::Encode {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// Adds one frame shown at `time_s` (`rgba` is `width·height·4` bytes).
    ///
    /// # Errors
    /// [`VideoError::Encode`] when the encoder or the file fails.
    pub fn push(&mut self, rgba: &[u8], time_s: f64) -> Result<(), VideoError> {
        let width = self.rgba.width() as usize;
        let stride = self.rgba.stride(0);
        let dst = self.rgba.data_mut(0);
        for (row, src) in rgba.chunks_exact(width * 4).enumerate() {
            if let Some(d) = dst.get_mut(row * stride..row * stride + width * 4) {
                d.copy_from_slice(src);
            }
        }
        self.scaler
            .run(&self.rgba, &mut self.yuv)
            .map_err(|e| self.fail(&e))?;
        // Strictly increasing timestamps even if the source repeats one.
        let mut pts = (time_s * 1_000_000.0).round() as i64;
        if let Some(last) = self.last_pts {
            pts = pts.max(last + 1);
        }
        self.last_pts = Some(pts);
        self.yuv.set_pts(Some(pts));
        self.encoder
            .send_frame(&self.yuv)
            .map_err(|e| self.fail(&e))?;
        self.drain()
    }

    fn drain(&mut self) -> Result<(), VideoError> {
        let mut packet = codec::packet::Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            packet.set_stream(0);
            packet.rescale_ts(TIME_BASE, self.stream_time_base);
            packet
                .write_interleaved(&mut self.output)
                .map_err(|e| self.fail(&e))?;
        }
        Ok(())
    }

    /// Flushes the encoder and closes the file.
    ///
    /// # Errors
    /// [`VideoError::Encode`] when the last packets or the trailer cannot be written.
    pub fn finish(mut self) -> Result<(), VideoError> {
        self.encoder.send_eof().map_err(|e| self.fail(&e))?;
        self.drain()?;
        self.output.write_trailer().map_err(|e| self.fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_size_caps_the_long_edge_and_keeps_sides_even() {
        assert_eq!(export_size(1280, 720, 720), (720, 406));
        assert_eq!(export_size(1080, 1920, 720), (406, 720));
        assert_eq!(export_size(478, 850, 720), (404, 720));
        assert_eq!(export_size(640, 480, 720), (640, 480));
        assert_eq!(export_size(479, 301, 720), (480, 302));
    }
}
