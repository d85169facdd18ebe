//! Ordinary copies of a clip, made with FFmpeg, for the invariance test and benchmark: the same
//! frames re-encoded, scaled, in other codecs, rotated as a phone stores it, or cut a frame late.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// One kind of copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copy {
    /// libx264 at CRF 18 (visually lossless).
    X264Crf18,
    /// libx264 at CRF 28 (a messenger-app quality).
    X264Crf28,
    /// Scaled to 75 % (libx264 CRF 18).
    Scale75,
    /// Scaled to 50 % (libx264 CRF 18).
    Scale50,
    /// VP9 (WebM).
    Vp9,
    /// HEVC 10-bit stored rotated with a rotation tag, as an iPhone records portrait video.
    Hevc10Rotated,
    /// The first frame cut off (every event one frame earlier).
    LateCut,
}

impl Copy {
    /// Every kind, in report order.
    pub const ALL: [Self; 7] = [
        Self::X264Crf18,
        Self::X264Crf28,
        Self::Scale75,
        Self::Scale50,
        Self::Vp9,
        Self::Hevc10Rotated,
        Self::LateCut,
    ];

    /// Short name for tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Self::X264Crf18 => "x264-crf18",
            Self::X264Crf28 => "x264-crf28",
            Self::Scale75 => "scale75",
            Self::Scale50 => "scale50",
            Self::Vp9 => "vp9",
            Self::Hevc10Rotated => "hevc10-rot",
            Self::LateCut => "late-cut",
        }
    }

    /// Displayed frames the copy lacks at its start (its events come this many frames early).
    pub fn frames_cut(self) -> usize {
        usize::from(self == Self::LateCut)
    }

    fn extension(self) -> &'static str {
        if self == Self::Vp9 { "webm" } else { "mp4" }
    }

    fn encoder_args(self) -> Vec<&'static str> {
        let x264 = vec![
            "-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        ];
        match self {
            Self::X264Crf18 => x264,
            Self::X264Crf28 => vec![
                "-c:v", "libx264", "-crf", "28", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            ],
            Self::Scale75 => [
                vec!["-vf", "scale=trunc(iw*0.75/2)*2:trunc(ih*0.75/2)*2"],
                x264,
            ]
            .concat(),
            Self::Scale50 => [
                vec!["-vf", "scale=trunc(iw*0.5/2)*2:trunc(ih*0.5/2)*2"],
                x264,
            ]
            .concat(),
            Self::Vp9 => vec![
                "-c:v",
                "libvpx-vp9",
                "-crf",
                "32",
                "-b:v",
                "0",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
                "-row-mt",
                "1",
            ],
            // Stored turned a quarter turn anticlockwise, tagged to be shown turned back.
            // (The rotation tag is added by a second, copying pass: FFmpeg 5.1 drops it when
            // encoding.)
            Self::Hevc10Rotated => vec![
                "-vf",
                "transpose=2",
                "-c:v",
                "libx265",
                "-preset",
                "veryfast",
                "-crf",
                "22",
                "-pix_fmt",
                "yuv420p10le",
                "-tag:v",
                "hvc1",
                "-x265-params",
                "log-level=error",
            ],
            Self::LateCut => [vec!["-vf", "trim=start_frame=1,setpts=PTS-STARTPTS"], x264].concat(),
        }
    }

    /// Makes this copy of `source` in `dir` (once: an existing copy is reused) and returns it.
    ///
    /// # Panics
    /// When FFmpeg fails: a copy that cannot be made is a broken test.
    pub fn make(self, source: &Path, dir: &Path) -> PathBuf {
        let stem = source
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("clip");
        let out = dir.join(format!("{stem}.{}.{}", self.name(), self.extension()));
        if out.is_file() {
            return out;
        }
        let partial = dir.join(format!(".{stem}.{}.part.{}", self.name(), self.extension()));
        let ffmpeg = |input: &Path, args: &[&str], output: &Path| {
            let status = Command::new("ffmpeg")
                .args(["-v", "error", "-y", "-nostdin", "-i"])
                .arg(input)
                .args(args)
                .arg(output)
                .status()
                .expect("ffmpeg runs (scripts/setup installs it)");
            assert!(
                status.success(),
                "ffmpeg could not make the {} copy of {}",
                self.name(),
                source.display()
            );
        };
        let mut encode = vec!["-an", "-fps_mode", "passthrough", "-threads", "2"];
        encode.extend(self.encoder_args());
        ffmpeg(source, &encode, &partial);
        if self == Self::Hevc10Rotated {
            // Shown turned a quarter turn clockwise, as a phone's portrait clip.
            ffmpeg(
                &partial,
                &["-c", "copy", "-metadata:s:v:0", "rotate=270"],
                &out,
            );
            std::fs::remove_file(&partial).ok();
        } else {
            std::fs::rename(&partial, &out).expect("the copy is moved into place");
        }
        out
    }
}
