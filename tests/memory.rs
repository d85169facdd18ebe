//! Memory stays flat with clip length: a whole analysis of a generated 60-second 1080p60 clip
//! (3600 frames) peaks under 150 MB, and barely more than a 10-second one, because frames
//! stream through a bounded queue and only poses are kept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

use std::path::Path;
use std::process::Command;

/// Peak resident memory allowed for a whole analysis.
const PEAK_LIMIT_MB: f64 = 150.0;
/// What six times more frames may add (poses are about 1 kB a frame).
const GROWTH_LIMIT_MB: f64 = 25.0;

fn generate(path: &Path, seconds: u32) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg("testsrc2=size=1920x1080:rate=60")
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
    let kb: f64 = std::fs::read_to_string(&report)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
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
