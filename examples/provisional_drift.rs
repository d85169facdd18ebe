//! How the jumps found in the first frames of a clip change as more frames are tracked (the
//! app's provisional rows): analyses the clip, then every 10 frames the poses so far, and
//! prints each jump's landing frame, height and flight time beside the final ones.
//!
//! `cargo run --release --example provisional_drift [VIDEO]` (default: the shared multi6 clip).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a measurement fails loudly"
)]

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use hangtime::analysis::{self, ClipFacts, MetricId};
use hangtime::pipeline::{PipelineOptions, analyze_video};
use hangtime::pose::{Tracker, TrackerOptions};
use hangtime::timing::Timings;

fn main() {
    let path = std::env::args_os().nth(1).map_or_else(
        || {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/videos/cmj_side_multi6_29fps.mp4")
        },
        std::path::PathBuf::from,
    );
    let mut tracker = Tracker::load(TrackerOptions::default()).expect("the tracker loads");
    let video = analyze_video(
        &path,
        &mut tracker,
        &PipelineOptions::default(),
        Duration::ZERO,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("the clip is analysed");
    let facts = ClipFacts {
        fps: video.info.measured_fps,
        vfr: video.info.vfr,
        width: video.info.width,
        height: video.info.height,
    };
    let line = |jumps: &[analysis::Jump]| {
        jumps
            .iter()
            .map(|j| {
                format!(
                    "f{} {:.1} cm {:.0} ms",
                    j.landing_frame,
                    j.metric(MetricId::JumpHeight).unwrap_or(f64::NAN) * 100.0,
                    j.metric(MetricId::FlightTime).unwrap_or(f64::NAN) * 1000.0
                )
            })
            .collect::<Vec<_>>()
            .join(" | ")
    };
    println!(
        "final ({} frames): {}",
        video.poses.len(),
        line(&video.analysis.jumps)
    );
    for n in (40..video.poses.len()).step_by(10) {
        let so_far = analysis::analyze(
            &video.poses[..n],
            &facts,
            &analysis::AnalysisOptions::default(),
            &mut Timings::new(),
        );
        println!("{n:>4} frames: {}", line(&so_far.jumps));
    }
}
