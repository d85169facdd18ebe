//! What a video is: sizes, rotation, codec, displayed frames and their real timing.

use std::path::{Path, PathBuf};

use ffmpeg_next::packet::Ref;
use ffmpeg_next::{codec, format, media};
use serde::{Deserialize, Serialize};

use super::{Rotation, VideoError, init_ffmpeg};

/// Largest displayed side the analysis accepts.
pub const MAX_SIDE: u32 = 8192;

/// Facts about a video, measured from its packets (edit lists applied).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VideoInfo {
    /// The file.
    pub path: PathBuf,
    /// Stored picture width.
    pub coded_width: u32,
    /// Stored picture height.
    pub coded_height: u32,
    /// Upright (displayed) width.
    pub width: u32,
    /// Upright (displayed) height.
    pub height: u32,
    /// Clockwise rotation applied for display.
    pub rotation: Rotation,
    /// Codec name, e.g. `h264`.
    pub codec: String,
    /// Frames a player shows (MP4 edit lists honoured).
    pub frames: usize,
    /// Frames stored in the file, shown or not.
    pub coded_frames: usize,
    /// The container's nominal frame rate.
    pub nominal_fps: f64,
    /// Frame rate measured from the displayed frames' timestamps.
    pub measured_fps: f64,
    /// Time from the first displayed frame to the end of the last, in seconds.
    pub duration_s: f64,
    /// Whether frame intervals vary (variable frame rate).
    pub vfr: bool,
    /// The video's duration as the container declares it, in seconds, when it does: more
    /// than was read means the file ends early.
    #[serde(default)]
    pub declared_duration_s: Option<f64>,
}

impl VideoInfo {
    /// Whether the container declares clearly more video than its frames hold (the file was
    /// cut short, e.g. an interrupted copy or upload).
    pub fn looks_incomplete(&self) -> bool {
        let frame_s = 1.0 / self.measured_fps.max(1.0);
        self.declared_duration_s
            .is_some_and(|d| d > self.duration_s + 2.0 * frame_s + INCOMPLETE_MARGIN_S)
    }
}

/// Declared duration beyond what was read that still counts as a rounding difference.
const INCOMPLETE_MARGIN_S: f64 = 0.25;

/// Opens `path` for demuxing, turning every failure into a clear [`VideoError`].
pub(crate) fn open_input(path: &Path) -> Result<format::context::Input, VideoError> {
    init_ffmpeg()?;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VideoError::NotFound(path.to_path_buf()),
        _ => VideoError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
    })?;
    if meta.is_dir() {
        return Err(VideoError::IsDirectory(path.to_path_buf()));
    }
    // Checking readability first gives "permission denied" instead of "not a video".
    std::fs::File::open(path).map_err(|e| VideoError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let input = format::input(path).map_err(|_| VideoError::NotAVideo(path.to_path_buf()))?;
    let format_name = input.format().name().to_owned();
    if format_name.starts_with("image2") || format_name.ends_with("_pipe") {
        return Err(VideoError::StillImage(path.to_path_buf()));
    }
    Ok(input)
}

/// Index of the best video stream, or [`VideoError::NoVideoStream`].
pub(crate) fn video_stream_index(
    input: &format::context::Input,
    path: &Path,
) -> Result<usize, VideoError> {
    input
        .streams()
        .best(media::Type::Video)
        .map(|s| s.index())
        .ok_or_else(|| VideoError::NoVideoStream(path.to_path_buf()))
}

/// Clockwise display rotation from the stream's display matrix, if any.
pub(crate) fn stream_rotation(stream: &format::stream::Stream<'_>) -> Rotation {
    stream
        .side_data()
        .find(|sd| sd.kind() == codec::packet::side_data::Type::DisplayMatrix)
        .and_then(|sd| display_matrix_rotation(sd.data()))
        .map_or(Rotation::None, Rotation::from_degrees_cw)
}

/// Clockwise degrees encoded by a 3×3 display matrix (nine native-endian `i32`), the angle
/// FFmpeg's own auto-rotation applies.
fn display_matrix_rotation(bytes: &[u8]) -> Option<f64> {
    let m: Vec<f64> = bytes
        .chunks_exact(4)
        .take(9)
        .filter_map(|c| c.try_into().ok().map(|b| f64::from(i32::from_ne_bytes(b))))
        .collect();
    let [m0, m1, _, m3, m4, ..] = m.as_slice() else {
        return None;
    };
    let s0 = m0.hypot(*m3);
    let s1 = m1.hypot(*m4);
    if s0 == 0.0 || s1 == 0.0 {
        return None;
    }
    Some((m1 / s1).atan2(m0 / s0).to_degrees())
}

/// Whether a packet is hidden by an MP4 edit list (FFmpeg's `AV_PKT_FLAG_DISCARD`).
#[allow(unsafe_code)]
pub(crate) fn packet_is_hidden(packet: &codec::packet::Packet) -> bool {
    // ffmpeg-next's `flags()` truncates unknown bits, DISCARD among them.
    // SAFETY: `as_ptr` points at the packet's live AVPacket; reading one int field is sound.
    let flags = unsafe { (*packet.as_ptr()).flags };
    flags & ffmpeg_next::ffi::AV_PKT_FLAG_DISCARD != 0
}

/// Measures a video: demuxes every packet (no decoding) to count displayed frames and read
/// their timestamps.
///
/// # Errors
/// A [`VideoError`] naming what is wrong with the file.
pub fn probe(path: &Path) -> Result<VideoInfo, VideoError> {
    probe_with_pts(path).map(|(info, _)| info)
}

/// [`probe`], with the sorted presentation timestamps of the displayed frames (in the
/// stream's time base) that numbered them.
pub(crate) fn probe_with_pts(path: &Path) -> Result<(VideoInfo, Vec<i64>), VideoError> {
    let mut input = open_input(path)?;
    let index = video_stream_index(&input, path)?;
    let (params, time_base, rotation, nominal, declared) = {
        let stream = input
            .stream(index)
            .ok_or_else(|| VideoError::NoVideoStream(path.to_path_buf()))?;
        (
            stream.parameters(),
            stream.time_base(),
            stream_rotation(&stream),
            stream.avg_frame_rate(),
            stream.duration(),
        )
    };
    let ctx = codec::Context::from_parameters(params).map_err(|e| VideoError::Decode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let codec_id = ctx.id();
    let codec_name = format!("{codec_id:?}").to_lowercase();
    if matches!(
        codec_id,
        codec::Id::PNG | codec::Id::BMP | codec::Id::TIFF | codec::Id::WEBP
    ) {
        return Err(VideoError::StillImage(path.to_path_buf()));
    }
    let decoder = ctx
        .decoder()
        .video()
        .map_err(|_| VideoError::UnsupportedCodec {
            codec: codec_name.clone(),
            path: path.to_path_buf(),
        })?;
    let (coded_width, coded_height) = (decoder.width(), decoder.height());
    let (width, height) = rotation.displayed_size(coded_width, coded_height);
    if width == 0 || height == 0 {
        return Err(VideoError::NoFrames(path.to_path_buf()));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(VideoError::TooLarge {
            width,
            height,
            path: path.to_path_buf(),
        });
    }

    let (pts, coded_frames) = displayed_pts(&mut input, index);
    let Some(&first) = pts.first() else {
        return Err(VideoError::NoFrames(path.to_path_buf()));
    };
    let tb = f64::from(time_base);
    let times: Vec<f64> = pts.iter().map(|&p| (p - first) as f64 * tb).collect();
    let timing = FrameTiming::from_times(&times);
    let nominal_fps = if nominal.denominator() == 0 {
        timing.measured_fps
    } else {
        f64::from(nominal)
    };
    let info = VideoInfo {
        path: path.to_path_buf(),
        coded_width,
        coded_height,
        width,
        height,
        rotation,
        codec: codec_name,
        frames: times.len(),
        coded_frames,
        nominal_fps,
        measured_fps: timing.measured_fps,
        duration_s: timing.duration_s,
        vfr: timing.vfr,
        declared_duration_s: (declared > 0).then_some(declared as f64 * tb),
    };
    Ok((info, pts))
}

/// When the video was recorded: its `creation_time` tag (the container's, else the video
/// stream's), if it has a plausible one. Phones write it in UTC; unset clocks write 1970 or
/// 1904, which count as none.
pub fn recorded_at(path: &Path) -> Option<jiff::Timestamp> {
    let input = open_input(path).ok()?;
    let tag = input
        .metadata()
        .get("creation_time")
        .map(str::to_owned)
        .or_else(|| {
            let index = video_stream_index(&input, path).ok()?;
            let stream = input.stream(index)?;
            stream.metadata().get("creation_time").map(str::to_owned)
        })?;
    let time: jiff::Timestamp = tag.trim().parse().ok()?;
    (time.as_second() > PLAUSIBLE_RECORDING_S).then_some(time)
}

/// 1990-01-01 in seconds since 1970: anything earlier is an unset camera clock.
const PLAUSIBLE_RECORDING_S: i64 = 631_152_000;

/// Sorted presentation timestamps of the displayed frames of stream `index` and the number of
/// coded frames, read from the packets without decoding (edit-list hidden packets left out).
pub(crate) fn displayed_pts(input: &mut format::context::Input, index: usize) -> (Vec<i64>, usize) {
    let mut pts = Vec::new();
    let mut coded_frames = 0usize;
    loop {
        // A fresh packet each time: av_read_frame overwrites without releasing the old data.
        let mut packet = codec::packet::Packet::empty();
        match packet.read(input) {
            Ok(()) => {}
            Err(ffmpeg_next::Error::InvalidData) => continue,
            // End of file, or a truncated file: what was read so far describes the video.
            Err(_) => break,
        }
        if packet.stream() != index {
            continue;
        }
        coded_frames += 1;
        if let Some(p) = packet
            .pts()
            .or(packet.dts())
            .filter(|_| !packet_is_hidden(&packet))
        {
            pts.push(p);
        }
    }
    pts.sort_unstable();
    (pts, coded_frames)
}

/// Frame rate and regularity from presentation times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrameTiming {
    pub measured_fps: f64,
    pub duration_s: f64,
    pub vfr: bool,
}

impl FrameTiming {
    /// From sorted presentation times in seconds.
    pub(crate) fn from_times(times: &[f64]) -> Self {
        let mut intervals: Vec<f64> = times
            .windows(2)
            .map(|w| w[1] - w[0])
            .filter(|d| *d > 0.0)
            .collect();
        if intervals.is_empty() {
            return Self {
                measured_fps: 0.0,
                duration_s: 0.0,
                vfr: false,
            };
        }
        let span = times.last().copied().unwrap_or(0.0) - times.first().copied().unwrap_or(0.0);
        intervals.sort_by(f64::total_cmp);
        let median = intervals[intervals.len() / 2];
        // One odd interval (a stray first frame) is common in CFR files; VFR repeats.
        let irregular = intervals
            .iter()
            .filter(|d| (*d - median).abs() > 0.05 * median)
            .count();
        let measured_fps = if span > 0.0 {
            (times.len() - 1) as f64 / span
        } else {
            0.0
        };
        Self {
            measured_fps,
            duration_s: span + median,
            vfr: irregular >= 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matrix_of_a_portrait_phone_clip_is_90_clockwise() {
        let m: [i32; 9] = [0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30];
        let bytes: Vec<u8> = m.iter().flat_map(|v| v.to_ne_bytes()).collect();
        let deg = display_matrix_rotation(&bytes).unwrap();
        assert!((deg - 90.0).abs() < 1e-9);
        assert_eq!(Rotation::from_degrees_cw(deg), Rotation::Cw90);
        assert_eq!(display_matrix_rotation(&[0; 8]), None);
    }

    #[test]
    fn timing_flags_jittery_intervals_but_not_one_stray_frame() {
        let cfr: Vec<f64> = (0..100).map(|i| f64::from(i) / 30.0).collect();
        let t = FrameTiming::from_times(&cfr);
        assert!((t.measured_fps - 30.0).abs() < 1e-9 && !t.vfr);
        assert!((t.duration_s - 100.0 / 30.0).abs() < 1e-9);
        // The first frame 8 ms before the second instead of 33 ms: one odd interval.
        let mut stray = cfr.clone();
        stray[0] = stray[1] - 0.008;
        assert!(!FrameTiming::from_times(&stray).vfr);
        let vfr: Vec<f64> = (0..100)
            .scan(0.0, |t, i| {
                *t += if i % 7 == 0 { 0.018 } else { 0.0167 };
                Some(*t)
            })
            .collect();
        assert!(FrameTiming::from_times(&vfr).vfr);
        assert!(FrameTiming::from_times(&[]).measured_fps.abs() < f64::EPSILON);
    }
}
