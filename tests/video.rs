//! Video decoding on the shared real clips: displayed frames, real timestamps, rotation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::path::Path;
use std::process::Command;

use hangtime::video::{
    Affine, DecodeOptions, Rotation, VideoDecoder, VideoError, probe, recorded_at,
};

/// Frames FFmpeg's own command-line decoder shows (edit lists applied).
fn ffprobe_frame_times(path: &Path) -> Vec<f64> {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "frame=best_effort_timestamp_time",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs (installed by scripts/setup)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().trim_end_matches(',').parse::<f64>().ok())
        .collect()
}

fn decode_all(path: &Path) -> Vec<f64> {
    VideoDecoder::open(path, DecodeOptions::default())
        .unwrap()
        .map(|f| f.unwrap().time_s)
        .collect()
}

#[test]
fn every_clip_shows_the_frames_ffmpeg_shows_with_their_timestamps() {
    for name in common::ALL_CLIPS {
        let Some(path) = common::shared_video(name) else {
            continue;
        };
        let reference = ffprobe_frame_times(&path);
        let info = probe(&path).unwrap();
        let times = decode_all(&path);
        assert_eq!(info.frames, reference.len(), "{name}: probe frame count");
        assert_eq!(times.len(), reference.len(), "{name}: decoded frame count");
        let t0 = reference[0];
        for (i, (ours, theirs)) in times.iter().zip(&reference).enumerate() {
            assert!(
                (ours - (theirs - t0)).abs() < 1e-4,
                "{name} frame {i}: {ours} vs {}",
                theirs - t0
            );
        }
    }
}

#[test]
fn edit_lists_hide_the_documented_frames() {
    for (name, displayed, coded) in [
        ("cmj_side_armswing_dark_50fps.mp4", 154, 409),
        ("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4", 54, 80),
        ("cmj_front_armswing_platform_portrait_30fps.mp4", 330, 355),
    ] {
        let Some(path) = common::shared_video(name) else {
            continue;
        };
        let info = probe(&path).unwrap();
        assert_eq!(
            (info.frames, info.coded_frames),
            (displayed, coded),
            "{name}"
        );
    }
}

#[test]
fn variable_frame_rate_is_detected_and_constant_rate_is_not() {
    let Some(vfr) = common::shared_video("jump_front_reach_portrait_vfr60fps.mp4") else {
        return;
    };
    let info = probe(&vfr).unwrap();
    assert!(info.vfr, "{info:?}");
    assert!(
        (info.measured_fps - 59.96).abs() < 0.2,
        "{}",
        info.measured_fps
    );
    let times = decode_all(&vfr);
    let intervals: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let (lo, hi) = intervals
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), d| (lo.min(*d), hi.max(*d)));
    assert!(
        lo < 0.0155 && hi > 0.018,
        "real intervals are uneven: {lo} .. {hi}"
    );
    let Some(cfr) = common::shared_video("cmj_side_multi6_29fps.mp4") else {
        return;
    };
    let info = probe(&cfr).unwrap();
    assert!(!info.vfr);
    assert!(
        (info.measured_fps - 28.913).abs() < 0.01,
        "{}",
        info.measured_fps
    );
    assert_eq!(
        (info.width, info.height, info.rotation),
        (1280, 720, Rotation::None)
    );
}

/// Mean absolute RGB difference between frame `index` of two clips sampled at displayed size.
fn frame_difference(a: &Path, b: &Path, index: usize, rotate_b: Option<Rotation>) -> f64 {
    let grab = |path: &Path, rotation: Option<Rotation>| {
        let mut dec = VideoDecoder::open(path, DecodeOptions::default()).unwrap();
        let frame = dec.nth(index).unwrap().unwrap();
        let mut image = frame.image();
        if let Some(r) = rotation {
            image.rotation = r;
        }
        let (w, h) = image.displayed_size();
        let mut rgba = vec![0u8; (w * h * 4) as usize];
        image.sample_rgba(&Affine::IDENTITY, w as usize, h as usize, &mut rgba);
        ((w, h), rgba)
    };
    let (size_a, pa) = grab(a, None);
    let (size_b, pb) = grab(b, rotate_b);
    assert_eq!(size_a, size_b, "displayed sizes");
    pa.iter()
        .zip(&pb)
        .map(|(x, y)| f64::from(x.abs_diff(*y)))
        .sum::<f64>()
        / pa.len() as f64
}

#[test]
fn rotation_metadata_is_applied_so_the_twin_clips_match() {
    let (Some(upright), Some(rotated)) = (
        common::shared_video("sj_oblique_portrait_30fps.mp4"),
        common::shared_video("sj_oblique_rot90meta_derived_30fps.mp4"),
    ) else {
        return;
    };
    let info = probe(&rotated).unwrap();
    assert_eq!((info.coded_width, info.coded_height), (850, 478));
    assert_eq!(
        (info.width, info.height, info.rotation),
        (478, 850, Rotation::Cw90)
    );
    let same = frame_difference(&upright, &rotated, 338, None);
    let wrong = frame_difference(&upright, &rotated, 338, Some(Rotation::Cw270));
    eprintln!("frame 338 mean abs difference: upright {same:.2}, wrongly rotated {wrong:.2}");
    assert!(same < 4.0, "coding noise only: {same}");
    assert!(
        wrong > 4.0 * same,
        "the comparison can tell rotations apart: {wrong} vs {same}"
    );
}

#[test]
fn bad_paths_give_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.mp4");
    assert!(matches!(probe(&missing), Err(VideoError::NotFound(_))));
    assert!(matches!(probe(dir.path()), Err(VideoError::IsDirectory(_))));
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, "this is not a video, just some text\n".repeat(50)).unwrap();
    let err = probe(&text).unwrap_err();
    assert!(matches!(err, VideoError::NotAVideo(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("this file is not a video"),
        "{err}"
    );
    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    assert!(probe(&empty).is_err());
}

#[test]
fn the_recording_time_comes_from_the_creation_time_tag() {
    let (Some(tagged), Some(untagged)) = (
        common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4"),
        common::shared_video("cmj_side_multi6_29fps.mp4"),
    ) else {
        return;
    };
    assert_eq!(
        recorded_at(&tagged).map(|t| t.to_string()).as_deref(),
        Some("2025-03-14T07:13:16Z")
    );
    assert_eq!(recorded_at(&untagged), None);
    assert_eq!(recorded_at(Path::new("/nonexistent.mp4")), None);
}
