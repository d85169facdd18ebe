//! Cancelling an analysis: quick, leaves the tracker usable, and leaks nothing.
//! (Own test binary so the memory reading is not disturbed by other tests.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hangtime::pipeline::{PipelineOptions, analyze_video};
use hangtime::pose::ModelVariant;

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024.0
}

/// Cancel/restart cycles, each stopping seven frames later than the one before.
const CYCLES: usize = 40;

#[test]
fn forty_cancel_restart_cycles_keep_the_tracker_and_memory_intact() {
    let Some(clip) = common::shared_video("cmj_side_multi6_29fps.mp4") else {
        return;
    };
    let mut tracker = common::tracker(ModelVariant::Lite);
    let options = PipelineOptions::default();
    let reference = common::analyze(&clip, &mut tracker, &options);
    let baseline = rss_mb();
    let mut worst_latency = Duration::ZERO;
    for cycle in 0..CYCLES {
        let cancel = AtomicBool::new(false);
        let mut cancelled_at = None;
        let stop_after = 20 + cycle * 7;
        let result = analyze_video(
            &clip,
            &mut tracker,
            &options,
            Duration::ZERO,
            &cancel,
            &mut |p| {
                if p.frames_done == stop_after {
                    cancel.store(true, Ordering::Relaxed);
                    cancelled_at = Some(Instant::now());
                }
            },
        );
        let err = result.expect_err("cancelled");
        assert!(err.is_cancelled(), "{err}");
        worst_latency = worst_latency.max(cancelled_at.unwrap().elapsed());
        eprintln!("cycle {cycle}: {:.1} MB", rss_mb());
    }
    let again = common::analyze(&clip, &mut tracker, &options);
    let grown = rss_mb() - baseline;
    eprintln!(
        "cancel latency worst {worst_latency:?}; RSS after {CYCLES} cycles {grown:+.1} MB over {baseline:.0} MB"
    );
    assert!(
        worst_latency < Duration::from_millis(200),
        "{worst_latency:?}"
    );
    assert_eq!(
        again.analysis.jumps, reference.analysis.jumps,
        "the tracker still gives the same result"
    );
    assert!(grown < 25.0, "memory grew by {grown} MB");
}
