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
