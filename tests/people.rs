//! Several people in view: a clip of two athletes side by side (the six-jump clip beside a
//! mirrored copy of itself, 0.7 s later, made with FFmpeg) gives the chosen athlete's six
//! jumps, each within 1 cm of the same athlete filmed alone.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::path::Path;

use hangtime::analysis::people::PersonChoice;
use hangtime::analysis::{EventId, MetricId};
use hangtime::pipeline::{PipelineOptions, VideoAnalysis};
use hangtime::pose::ModelVariant;

fn jumps(v: &VideoAnalysis) -> Vec<(f64, f64)> {
    v.analysis
        .jumps
        .iter()
        .map(|j| {
            (
                j.metric(MetricId::JumpHeight).unwrap(),
                j.event(EventId::Takeoff).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_chosen_one_of_two_athletes_side_by_side_gives_their_six_jumps() {
    let Some(source) = common::shared_video("cmj_side_multi6_29fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("alone.mp4");
    let two = dir.path().join("two.mp4");
    // Both lossless: the athlete's pixels are the original's in both, so only the second
    // athlete differs (a lossy re-encode alone moves a height by up to 2.6 cm,
    // docs/ACCURACY.md).
    common::lossless(&source, "[0:v]null", &alone);
    common::two_athletes(&source, &two);
    let mut tracker = common::tracker(ModelVariant::Lite);
    let run = |tracker: &mut _, path: &Path, person| {
        let options = PipelineOptions {
            person,
            ..PipelineOptions::default()
        };
        common::analyze(path, tracker, &options)
    };
    let single = jumps(&run(&mut tracker, &alone, PersonChoice::Auto));
    assert_eq!(single.len(), 6, "the athlete alone: {single:?}");

    let left = run(&mut tracker, &two, PersonChoice::Left);
    assert_eq!(left.people.len(), 2, "two people in view");
    assert!(
        left.warnings
            .iter()
            .any(|w| w.contains("2 people are in view")),
        "says who was analysed: {:?}",
        left.warnings
    );
    let left = jumps(&left);
    assert_eq!(left.len(), 6, "left athlete: {left:?}");
    for (i, ((h, t), (h0, t0))) in left.iter().zip(&single).enumerate() {
        eprintln!(
            "jump {}: {:.1} cm beside another athlete, {:.1} cm alone",
            i + 1,
            h * 100.0,
            h0 * 100.0
        );
        assert!((h - h0).abs() <= 0.01, "jump {}: {h} vs {h0}", i + 1);
        assert!((t - t0).abs() < 0.05, "jump {} is the same jump", i + 1);
    }

    // The other athlete is someone else: the same six jumps, later.
    let shift = common::SECOND_ATHLETE_DELAY_S;
    let right = jumps(&run(&mut tracker, &two, PersonChoice::Index(2)));
    assert_eq!(right.len(), 6, "right athlete: {right:?}");
    for ((_, t), (_, t0)) in right.iter().zip(&single) {
        assert!((t - t0 - shift).abs() < 0.1, "{t} vs {t0} + {shift}");
    }
    // By default whoever jumps is analysed (both do here).
    let auto = run(&mut tracker, &two, PersonChoice::Auto);
    assert_eq!(jumps(&auto).len(), 6);
}
