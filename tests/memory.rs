//! Memory stays flat with clip length: a whole analysis of a generated 60-second 1080p60 clip
//! (3600 frames) peaks under 150 MB, and barely more than a 10-second one, because frames
//! stream through a bounded queue and only poses are kept. Phone formats (HEVC 10-bit at
//! 1080p and 4K60) hold little beyond what FFmpeg's decoder itself holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Peak resident memory allowed for a whole analysis.
const PEAK_LIMIT_MB: f64 = 150.0;
/// What six times more frames may add (poses are about 1 kB a frame).
const GROWTH_LIMIT_MB: f64 = 25.0;

fn generate(path: &Path, seconds: u32) {
    generate_sized(path, "1920x1080", seconds);
}

fn generate_sized(path: &Path, size: &str, seconds: u32) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size={size}:rate=60"))
        .args(["-t", &seconds.to_string()])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(path)
        .status()
        .expect("ffmpeg runs (scripts/setup installs it)");
    assert!(
        status.success(),
        "ffmpeg could not generate {}",
        path.display()
    );
}

/// The peak RSS in kB that GNU time's `%M` wrote to `report`.
fn peak_kb(report: &Path) -> f64 {
    std::fs::read_to_string(report)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

/// Peak RSS in MB of `hangtime analyze` on `clip`, from GNU time.
fn peak_rss_mb(clip: &Path, dir: &Path) -> f64 {
    let report = dir.join("time.txt");
    let json = dir.join("out.json");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_hangtime"))
        .args(["analyze", "--no-cache", "--json"])
        .arg(&json)
        .arg(clip)
        .status()
        .expect("GNU time runs (scripts/setup installs it)");
    assert!(status.success(), "analysis of {} failed", clip.display());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let frames = doc["results"][0]["video"]["frames"].as_u64().unwrap();
    assert!(frames > 0);
    let kb = peak_kb(&report);
    eprintln!(
        "{}: {frames} frames, peak {:.1} MB",
        clip.display(),
        kb / 1024.0
    );
    kb / 1024.0
}

#[test]
fn peak_memory_does_not_grow_with_clip_length() {
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("testsrc_10s_1080p60.mp4");
    let long = dir.path().join("testsrc_60s_1080p60.mp4");
    generate(&short, 10);
    generate(&long, 60);
    let short_mb = peak_rss_mb(&short, dir.path());
    let long_mb = peak_rss_mb(&long, dir.path());
    assert!(
        long_mb < PEAK_LIMIT_MB,
        "60 s 1080p60 peaked at {long_mb:.1} MB (limit {PEAK_LIMIT_MB} MB)"
    );
    assert!(
        long_mb - short_mb < GROWTH_LIMIT_MB,
        "peak grew from {short_mb:.1} MB (10 s) to {long_mb:.1} MB (60 s)"
    );
}

/// Peak RSS in MB of FFmpeg's command line decoding `clip` alone, one thread.
fn ffmpeg_decode_mb(clip: &Path, dir: &Path) -> f64 {
    let report = dir.join("ffmpeg_time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .args(["ffmpeg", "-v", "error", "-nostdin", "-threads", "1", "-i"])
        .arg(clip)
        .args(["-f", "null", "-"])
        .status()
        .expect("ffmpeg runs");
    assert!(
        status.success(),
        "ffmpeg could not decode {}",
        clip.display()
    );
    peak_kb(&report) / 1024.0
}

fn encode_hevc10(source: &Path, filter: &str, out: &Path) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-nostdin", "-i"])
        .arg(source)
        .args([
            "-an",
            "-vf",
            filter,
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
        ])
        .args(["-pix_fmt", "yuv420p10le", "-x265-params", "log-level=error"])
        .arg(out)
        .status()
        .expect("ffmpeg runs (scripts/setup installs it)");
    assert!(status.success(), "ffmpeg could not make {}", out.display());
}

/// What an analysis may hold beyond the HEVC decoder's own reference frames: the runtime,
/// the models and the frames in flight (measured 116–122 MB at 1080p and at 4K).
const BEYOND_DECODER_MB: f64 = 140.0;

#[test]
fn phone_formats_hold_little_beyond_the_decoders_own_frames() {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/videos");
    let clips = [
        (
            "cmj_front_armswing_platform_portrait_30fps.mp4",
            "null",
            "1080p HEVC 10-bit",
        ),
        (
            "cmj_side_multi6_29fps.mp4",
            "trim=duration=5,scale=3840:2160,fps=60",
            "4K60 HEVC 10-bit (5 s)",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    // FFmpeg's own footprint, to take out of its decode-only figure.
    let tiny = dir.path().join("tiny.mp4");
    generate_sized(&tiny, "64x64", 1);
    let ffmpeg_itself = ffmpeg_decode_mb(&tiny, dir.path());
    for (name, filter, label) in clips {
        let clip = source.join(name);
        if !clip.is_file() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "shared clip missing under CI: {}",
                clip.display()
            );
            return;
        }
        let copy = dir.path().join("copy.mp4");
        encode_hevc10(&clip, filter, &copy);
        let decoder = ffmpeg_decode_mb(&copy, dir.path()) - ffmpeg_itself;
        let peak = peak_rss_mb(&copy, dir.path());
        eprintln!(
            "{label}: peak {peak:.0} MB; the decoder alone {decoder:.0} MB, so {:.0} MB beyond it",
            peak - decoder
        );
        assert!(
            peak - decoder <= BEYOND_DECODER_MB,
            "{label}: {peak:.0} MB peak, {decoder:.0} MB of it the decoder's"
        );
    }
}
