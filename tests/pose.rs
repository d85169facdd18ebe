//! Pose models and tracker: model I/O, and accuracy against MediaPipe's own landmarks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::path::PathBuf;

use hangtime::pipeline::PipelineOptions;
use hangtime::pose::{DETECTOR_FILE, LANDMARK_NAMES, ModelVariant, models_dir, output_shapes};

#[test]
fn each_model_runs_once_with_the_documented_output_shapes() {
    let dir = models_dir().unwrap();
    let detector = output_shapes(&dir.join(DETECTOR_FILE), [1, 224, 224, 3]).unwrap();
    assert_eq!(
        detector,
        vec![
            ("Identity".to_owned(), vec![1, 2254, 12]),
            ("Identity_1".to_owned(), vec![1, 2254, 1])
        ]
    );
    for variant in [ModelVariant::Lite, ModelVariant::Full] {
        let shapes = output_shapes(&dir.join(variant.landmark_file()), [1, 256, 256, 3]).unwrap();
        assert_eq!(
            shapes,
            vec![
                ("Identity".to_owned(), vec![1, 195]),
                ("Identity_1".to_owned(), vec![1, 1]),
                ("Identity_3".to_owned(), vec![1, 64, 64, 39]),
                ("Identity_4".to_owned(), vec![1, 117]),
            ],
            "{variant}"
        );
    }
}

/// MediaPipe's landmarks for one clip: per frame, 33 (x, y) or `None` when untracked.
fn reference(clip_stem: &str, variant: ModelVariant) -> Vec<Option<Vec<(f64, f64)>>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mediapipe")
        .join(format!("{clip_stem}.{variant}.csv"));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (xs, ys): (Vec<usize>, Vec<usize>) = LANDMARK_NAMES
        .iter()
        .map(|n| (col(&format!("{n}_x")), col(&format!("{n}_y"))))
        .unzip();
    let tracked = col("tracked");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (&r[tracked] == "1").then(|| {
                xs.iter()
                    .zip(&ys)
                    .map(|(&x, &y)| (r[x].parse().unwrap(), r[y].parse().unwrap()))
                    .collect()
            })
        })
        .collect()
}

/// Mean landmark distance to MediaPipe as a fraction of the person's bounding-box height.
fn relative_error(clip: &str, variant: ModelVariant) -> Option<f64> {
    let path = common::shared_video(clip)?;
    let stem = clip.trim_end_matches(".mp4");
    let expected = reference(stem, variant);
    let mut tracker = common::tracker(variant);
    let v = common::analyze(&path, &mut tracker, &PipelineOptions::default());
    assert_eq!(v.poses.len(), expected.len(), "{clip}: frame count");
    let mut ratios = Vec::new();
    for (pose, exp) in v.poses.iter().zip(&expected) {
        let Some(exp) = exp else { continue };
        assert!(
            pose.tracked,
            "{clip}: MediaPipe tracked frame {} but we did not",
            pose.index
        );
        let (lo, hi) = exp.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
        let mean: f64 = pose
            .landmarks
            .iter()
            .zip(exp)
            .map(|(l, e)| (f64::from(l.x) - e.0).hypot(f64::from(l.y) - e.1))
            .sum::<f64>()
            / exp.len() as f64;
        ratios.push(mean / (hi - lo));
    }
    Some(ratios.iter().sum::<f64>() / ratios.len() as f64)
}

#[test]
fn landmarks_match_mediapipe_within_two_percent_of_body_height() {
    for clip in [
        "cmj_side_multi6_29fps.mp4",
        "sj_oblique_portrait_30fps.mp4",
        "cmj_front_armswing_platform_portrait_30fps.mp4",
    ] {
        for variant in [ModelVariant::Lite, ModelVariant::Full] {
            let Some(err) = relative_error(clip, variant) else {
                continue;
            };
            eprintln!(
                "{clip} {variant}: mean landmark error {:.2} % of body height",
                err * 100.0
            );
            assert!(err <= 0.02, "{clip} {variant}: {err}");
        }
    }
}

/// Frames of the pinned tracker output.
const FINGERPRINT_FRAMES: usize = 12;

/// Mean landmark move, against the pinned fingerprint, that another CPU's rounding explains.
const MAX_MEAN_MOVE_PX: f64 = 0.25;
/// Largest single landmark move that another CPU's rounding explains.
const MAX_MOVE_PX: f64 = 5.0;

/// A landmark coordinate quantised to half a pixel.
fn half_pixel(v: f32) -> f64 {
    (f64::from(v) * 2.0).round() / 2.0
}

#[test]
fn the_tracker_version_changes_whenever_its_output_does() {
    use hangtime::pose::{TRACKER_VERSION, TrackingState};
    use hangtime::timing::Timings;
    use hangtime::video::{DecodeOptions, VideoDecoder};

    let clip_name = "cmj_side_multi6_29fps.mp4";
    let Some(clip) = common::shared_video(clip_name) else {
        return;
    };
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tracker_fingerprint.json");
    let mut tracker = common::tracker(ModelVariant::Lite);
    let mut state = TrackingState::default();
    let mut timings = Timings::new();
    let decoder = VideoDecoder::open(&clip, DecodeOptions::default()).unwrap();
    let frames: Vec<Vec<[f64; 2]>> = decoder
        .take(FINGERPRINT_FRAMES)
        .map(|frame| {
            let people = tracker
                .track(&frame.unwrap(), &mut state, &mut timings)
                .unwrap();
            assert_eq!(people.len(), 1, "one athlete in multi6");
            people[0]
                .landmarks
                .iter()
                .map(|l| [half_pixel(l.x), half_pixel(l.y)])
                .collect()
        })
        .collect();
    let current = serde_json::json!({
        "tracker_version": TRACKER_VERSION,
        "clip": clip_name,
        "model": "lite",
        "frames": frames,
    });
    if std::env::var_os("HANGTIME_UPDATE_FIXTURES").is_some() {
        std::fs::write(&fixture, serde_json::to_string(&current).unwrap()).unwrap();
        return;
    }
    let pinned: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let bump = format!(
        "bump TRACKER_VERSION (now {TRACKER_VERSION}) so no cache returns the old tracker's \
         poses, then rerun with HANGTIME_UPDATE_FIXTURES=1 cargo test --test pose"
    );
    assert_eq!(
        pinned["tracker_version"].as_u64(),
        Some(u64::from(TRACKER_VERSION)),
        "the fixture pins another tracker version: {bump}"
    );
    let pinned: Vec<Vec<[f64; 2]>> = serde_json::from_value(pinned["frames"].clone()).unwrap();
    assert_eq!(pinned.len(), frames.len());
    // Float summation order differs between CPUs (ONNX Runtime blocks its kernels for the
    // caches it finds), and the crop of each frame follows the previous frame's landmarks, so
    // another CPU moves a few landmarks by a few pixels (the fixture's AMD EPYC against a
    // Zen 5 one: mean 0.07 px, largest 3.5 px). A change to the tracker's arithmetic moves them
    // by far more (int8 weights, `examples/dump_crops.rs`: 6.5 px mean), so the bounds sit
    // between the two.
    let mut moves = Vec::new();
    for (f, (a, b)) in frames.iter().zip(&pinned).enumerate() {
        assert_eq!(a.len(), b.len(), "frame {f}: tracked differently; {bump}");
        for (p, q) in a.iter().zip(b) {
            moves.push((p[0] - q[0]).abs().max((p[1] - q[1]).abs()));
        }
    }
    let mean = moves.iter().sum::<f64>() / moves.len() as f64;
    let largest = moves.iter().copied().fold(0.0, f64::max);
    eprintln!("landmarks against the pinned ones: mean {mean:.3} px, largest {largest:.1} px");
    assert!(
        mean <= MAX_MEAN_MOVE_PX && largest <= MAX_MOVE_PX,
        "landmarks moved by {mean:.3} px on average, {largest:.1} px at most; the tracker's \
         output changed: {bump}"
    );
}
