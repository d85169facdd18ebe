//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use hangtime::pipeline::{PipelineOptions, VideoAnalysis, analyze_video};
use hangtime::pose::{ModelVariant, Tracker, TrackerOptions};

pub mod copies;

/// The shared clips folder beside the checkout.
pub fn videos_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/videos")
}

/// A shared clip, or `None` (with a note) when the folder is absent outside CI.
/// Under `CI=true` a missing clip fails the test: CI must never skip silently.
pub fn shared_video(name: &str) -> Option<PathBuf> {
    let path = videos_dir().join(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "shared clip missing under CI: {}",
        path.display()
    );
    eprintln!("skipping: {} is not available", path.display());
    None
}

/// Every shared clip name.
pub const ALL_CLIPS: [&str; 11] = [
    "cmj_side_multi6_29fps.mp4",
    "cmj_side_armswing_dark_50fps.mp4",
    "cmj_jumpmat_rearoblique_pancam_30fps.mp4",
    "cmj_jumpmat_frontoblique_tiltcam_30fps.mp4",
    "jump_front_reach_portrait_vfr60fps.mp4",
    "sj_oblique_portrait_30fps.mp4",
    "cmj_front_armswing_platform_portrait_30fps.mp4",
    "hops_repeated_front_portrait_30fps.mp4",
    "approach_jump_front_slowmo_30fps.mp4",
    "sj_oblique_rot90meta_derived_30fps.mp4",
    "droplanding_table_soft_sideoblique_30fps.mp4",
];

/// The options the tests build trackers with.
pub fn tracker_options(variant: ModelVariant) -> TrackerOptions {
    TrackerOptions {
        variant,
        intra_threads: 1,
    }
}

/// A loaded tracker.
pub fn tracker(variant: ModelVariant) -> Tracker {
    Tracker::load(tracker_options(variant)).expect("tracker loads")
}

/// Runs the whole pipeline on a clip.
pub fn analyze(
    path: &std::path::Path,
    tracker: &mut Tracker,
    options: &PipelineOptions,
) -> VideoAnalysis {
    analyze_video(
        path,
        tracker,
        options,
        Duration::ZERO,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("analysis succeeds")
}

/// The mirrored athlete of [`two_athletes`] starts this much later.
pub const SECOND_ATHLETE_DELAY_S: f64 = 0.7;

/// Writes to `out` a clip of two athletes side by side: `source` on the left, a mirrored copy
/// of it [`SECOND_ATHLETE_DELAY_S`] later on the right (lossless, so the left athlete's
/// pixels are the source's).
pub fn two_athletes(source: &std::path::Path, out: &std::path::Path) {
    let filter = format!(
        "[0:v]split[a][b];[b]hflip,tpad=start_duration={SECOND_ATHLETE_DELAY_S}:start_mode=clone[m];[a][m]hstack=shortest=1"
    );
    lossless(source, &filter, out);
}

/// Re-encodes `source` through the FFmpeg filter graph `filter` into `out`, losslessly.
pub fn lossless(source: &std::path::Path, filter: &str, out: &std::path::Path) {
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-nostdin", "-i"])
        .arg(source)
        .args([
            "-an",
            "-filter_complex",
            filter,
            "-c:v",
            "libx264",
            "-qp",
            "0",
        ])
        .args(["-preset", "ultrafast", "-threads", "2"])
        .arg(out)
        .status()
        .expect("ffmpeg runs (scripts/setup installs it)");
    assert!(status.success(), "ffmpeg could not make {}", out.display());
}

/// Hand labels from `labels.csv`: (file, jump, kind, `takeoff_frame`, `landing_frame`).
pub fn labels() -> Vec<(String, usize, String, usize, usize)> {
    let path = videos_dir().join("labels.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Some((
                f.first()?.to_string(),
                f.get(1)?.parse().ok()?,
                f.get(2)?.to_string(),
                f.get(3)?.parse().ok()?,
                f.get(4)?.parse().ok()?,
            ))
        })
        .collect()
}
