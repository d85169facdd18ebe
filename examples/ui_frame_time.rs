//! UI responsiveness benchmark (not part of CI): drives the real app headless with
//! `egui_kittest` while it analyses a clip and prints how long each UI frame (logic + layout +
//! paint tessellation, no GPU) took, then how long Cancel takes to stop a running analysis.
//!
//! `cargo run --release --example ui_frame_time [CLIP]`
//! (default: `../shared/videos/cmj_side_multi6_29fps.mp4`)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::vec2;
use egui_kittest::Harness;
use hangtime::app::{AnalysisStatus, AppConfig, Command, HangtimeApp, Settings};

fn harness(videos: Vec<PathBuf>) -> Harness<'static, HangtimeApp> {
    Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    videos,
                    settings: Some(Settings::default()),
                    ..AppConfig::default()
                },
            )
        })
}

fn status(app: &HangtimeApp) -> Option<AnalysisStatus> {
    app.current_entry().map(|e| e.status.clone())
}

/// Steps at about 60 Hz until `done`, returning each step's duration.
fn frames_until(
    h: &mut Harness<'_, HangtimeApp>,
    done: impl Fn(&HangtimeApp) -> bool,
) -> Vec<Duration> {
    let mut times = Vec::new();
    let started = Instant::now();
    while !done(h.state()) {
        assert!(started.elapsed() < Duration::from_mins(5), "timed out");
        let t = Instant::now();
        h.step();
        let took = t.elapsed();
        times.push(took);
        std::thread::sleep(Duration::from_millis(16).saturating_sub(took));
    }
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(label: &str, mut v: Vec<Duration>) {
    v.sort();
    let at = |q: f64| {
        v.get(((v.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    let over = v.iter().filter(|d| **d > Duration::from_millis(16)).count();
    println!(
        "{label:<34} {:5} frames  median {:5.2} ms  p99 {:5.2} ms  max {:6.2} ms  over 16 ms: {over}",
        v.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
}

fn main() {
    let clip = std::env::args_os().nth(1).map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/videos/cmj_side_multi6_29fps.mp4")
        },
        PathBuf::from,
    );
    let mut h = harness(Vec::new());
    h.step();
    // Wait for the tracker to load so the first analysis is a normal one.
    let loading = frames_until(&mut h, |app| {
        matches!(
            app.tracker_state(),
            hangtime::app::TrackerState::Ready { .. }
        )
    });
    report("tracker loading", loading);

    h.state_mut().push_command(Command::Open(clip.clone()));
    let started = Instant::now();
    let analysing = frames_until(&mut h, |app| status(app) == Some(AnalysisStatus::Done));
    let took = started.elapsed();
    report("analysing (preview decoding too)", analysing);
    println!("analysis shown after {:.2} s", took.as_secs_f64());

    // Idle with the result on screen, stepping frames with the keyboard.
    let mut idle = Vec::new();
    for i in 0..120 {
        h.state_mut()
            .push_command(Command::StepFrames(if i % 2 == 0 { 1 } else { -1 }));
        let t = Instant::now();
        h.step();
        idle.push(t.elapsed());
    }
    report("result shown, stepping frames", idle);

    // Cancel latency: open a second copy (a new entry), wait until it runs, cancel.
    let copy = std::env::temp_dir().join("hangtime_ui_bench_copy.mp4");
    std::fs::copy(&clip, &copy).expect("copy the clip");
    let mut latencies = Vec::new();
    for _ in 0..5 {
        h.state_mut().push_command(Command::Open(copy.clone()));
        frames_until(&mut h, |app| {
            app.current_entry()
                .and_then(|e| e.job.as_ref())
                .is_some_and(|j| j.progress().0 >= 20)
        });
        let index = h
            .state()
            .entries()
            .iter()
            .position(|e| e.path == copy)
            .unwrap();
        h.state_mut().push_command(Command::CancelAnalysis(index));
        let t = Instant::now();
        frames_until(&mut h, |app| status(app) == Some(AnalysisStatus::Cancelled));
        latencies.push(t.elapsed());
    }
    latencies.sort();
    println!(
        "cancel → cancelled                 {} runs   median {:5.1} ms  max {:5.1} ms",
        latencies.len(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() - 1])
    );
    std::fs::remove_file(&copy).ok();
}
