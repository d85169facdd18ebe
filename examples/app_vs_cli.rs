//! The app against the command line on the same clip (not part of CI), cache off, both
//! headless: `hangtime analyze --no-cache` as a user runs it (process start and model load
//! included), then the app driven with `egui_kittest` from the moment a clip is dropped (the
//! model is loaded at start-up): time to the first frame, to the first (provisional) jump row,
//! to the final result, UI frame times while analysing, and each one's peak memory.
//!
//! `cargo run --release --example app_vs_cli [CLIP...]` (default: multi6 and the platform clip)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use egui::vec2;
use egui_kittest::Harness;
use hangtime::app::{AnalysisStatus, AppConfig, Command, HangtimeApp, Settings, TrackerState};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// `hangtime analyze --no-cache CLIP`: wall seconds and peak MB (GNU time).
fn cli(clip: &Path) -> (f64, f64) {
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/hangtime");
    let started = Instant::now();
    let out = Process::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(&binary)
        .args(["analyze", "--no-cache"])
        .arg(clip)
        .output()
        .expect("run hangtime analyze");
    let wall = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kb: f64 = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (wall, kb / 1024.0)
}

/// The app in this process: drop → first frame, first jump, result; UI frame times.
fn app(clip: &Path) {
    let mut h = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(|cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    settings: Some(Settings::default()),
                    ..AppConfig::default()
                },
            )
        });
    let started = Instant::now();
    while !matches!(h.state().tracker_state(), TrackerState::Ready { .. }) {
        assert!(
            started.elapsed() < Duration::from_mins(2),
            "tracker never loaded"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.state_mut()
        .push_command(Command::Open(clip.to_path_buf()));
    let dropped = Instant::now();
    let (mut first_frame, mut first_jump) = (None, None);
    let mut frames = Vec::new();
    loop {
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
        let app = h.state();
        if first_frame.is_none() && app.preview_has_frame(0) {
            first_frame = Some(dropped.elapsed());
        }
        let entry = app.current_entry().unwrap();
        if first_jump.is_none()
            && (entry.provisional().is_some_and(|p| !p.jumps.is_empty())
                || entry
                    .result
                    .as_ref()
                    .is_some_and(|r| !r.analysis.jumps.is_empty()))
        {
            first_jump = Some(dropped.elapsed());
        }
        if !entry.is_busy() {
            assert_eq!(entry.status, AnalysisStatus::Done);
            break;
        }
        assert!(dropped.elapsed() < Duration::from_mins(5), "timed out");
        // A display's pace: the app repaints on its own requests at most ~20 Hz of progress.
        std::thread::sleep(Duration::from_millis(16).saturating_sub(t.elapsed()));
    }
    let done = dropped.elapsed();
    frames.sort();
    let p99 = frames[(frames.len() - 1) * 99 / 100];
    let s = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64());
    println!(
        "app {:.2} s  first frame {:.3} s  first jump {:.2} s  UI frames {} p99 {:.1} ms max {:.1} ms  peak {:.0} MB",
        done.as_secs_f64(),
        s(first_frame),
        s(first_jump),
        frames.len(),
        p99.as_secs_f64() * 1e3,
        frames.last().unwrap().as_secs_f64() * 1e3,
        peak_rss_mb()
    );
}

fn main() {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.first().is_some_and(|a| a == Path::new("--app")) {
        app(&args[1]);
        return;
    }
    if args.is_empty() {
        let videos = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/videos");
        args = vec![
            videos.join("cmj_side_multi6_29fps.mp4"),
            videos.join("cmj_front_armswing_platform_portrait_30fps.mp4"),
        ];
    }
    let me = std::env::current_exe().unwrap();
    for clip in &args {
        println!("== {}", clip.display());
        for round in 1..=3 {
            let (wall, mb) = cli(clip);
            println!("round {round}: cli {wall:.2} s  peak {mb:.0} MB");
            // Each app run in a fresh process, so its peak memory is its own.
            let out = Process::new(&me).arg("--app").arg(clip).output().unwrap();
            print!("round {round}: {}", String::from_utf8_lossy(&out.stdout));
        }
    }
}
