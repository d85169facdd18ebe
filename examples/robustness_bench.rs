//! Invariance benchmark (not part of CI; `docs/ACCURACY.md` shows its table): does the same
//! jump give the same number when the clip is re-encoded, scaled, stored in another codec,
//! rotated as a phone stores it, or cut a frame late, and how much do its events move under
//! landmark noise?
//!
//! For every shared clip it makes the seven FFmpeg copies of `tests/common/copies.rs` (kept in
//! `--work DIR`, default `target/robustness`, and reused, with their tracked poses), analyses
//! the original and each copy
//! with the lite model, and matches each copy's jumps to the original's by takeoff time (the
//! late cut's one-frame offset removed). It then analyses the original's poses again `--runs`
//! times with Gaussian noise of 0.1 % and 0.3 % of body height on every landmark. Per jump it
//! prints the spread of takeoff, landing, flight time and height: max − min over the copies,
//! 2 × SD over the noise runs; the largest change of one copy against the original; and the
//! largest edge shift in frame intervals (a copy that moved an edge by a whole frame counts).
//!
//! `cargo run --release --example robustness_bench [-- --clip NAME] [--runs 30] [--work DIR]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a benchmark fails loudly and reads as one report"
)]

#[path = "../tests/common/copies.rs"]
mod copies;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use copies::Copy;
use hangtime::analysis::{self, AnalysisOptions, ClipFacts, EventId, Jump, MetricId};
use hangtime::cache::PoseCache;
use hangtime::pipeline::{PipelineOptions, VideoAnalysis, analyze_video};
use hangtime::pose::{ModelVariant, PoseFrame, Tracker, TrackerOptions};
use hangtime::timing::Timings;

const CLIPS: [&str; 12] = [
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
    "droplanding_table_stiff_sideoblique_29fps.mp4",
];

/// Noise levels, as fractions of body height.
const NOISE: [f64; 2] = [0.001, 0.003];

/// The numbers compared for one jump.
#[derive(Debug, Clone, Copy)]
struct Edges {
    takeoff_s: f64,
    landing_s: f64,
    flight_s: f64,
    height_m: f64,
}

impl Edges {
    fn of(j: &Jump, shift_s: f64) -> Option<Self> {
        Some(Self {
            takeoff_s: j.event(EventId::Takeoff)? + shift_s,
            landing_s: j.event(EventId::Landing)? + shift_s,
            flight_s: j.metric(MetricId::FlightTime)?,
            height_m: j.metric(MetricId::JumpHeight)?,
        })
    }
}

/// The jump of `jumps` whose takeoff is nearest `takeoff_s`, within a third of a second.
fn matching(jumps: &[Edges], takeoff_s: f64) -> Option<Edges> {
    jumps
        .iter()
        .filter(|e| (e.takeoff_s - takeoff_s).abs() < 0.3)
        .min_by(|a, b| {
            (a.takeoff_s - takeoff_s)
                .abs()
                .total_cmp(&(b.takeoff_s - takeoff_s).abs())
        })
        .copied()
}

fn spread(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    if v.is_empty() { 0.0 } else { max - min }
}

fn two_sd(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::NAN;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64;
    2.0 * var.sqrt()
}

/// Median over tracked frames of the landmarks' vertical extent: the body's height in pixels.
fn body_height_px(poses: &[PoseFrame]) -> f64 {
    let mut h: Vec<f64> = poses
        .iter()
        .filter(|p| p.tracked && !p.landmarks.is_empty())
        .map(|p| {
            let (lo, hi) = p
                .landmarks
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), l| {
                    (lo.min(l.y), hi.max(l.y))
                });
            f64::from(hi - lo)
        })
        .collect();
    analysis::smooth::median(&mut h)
}

/// xorshift64* with Box–Muller Gaussians (deterministic runs).
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn gaussian(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn noisy(poses: &[PoseFrame], sigma_px: f64, rng: &mut Rng) -> Vec<PoseFrame> {
    poses
        .iter()
        .map(|p| {
            let mut p = p.clone();
            for l in &mut p.landmarks {
                l.x += (sigma_px * rng.gaussian()) as f32;
                l.y += (sigma_px * rng.gaussian()) as f32;
            }
            p
        })
        .collect()
}

fn analyse(path: &Path, tracker: &mut Tracker, cache: &PoseCache) -> Result<VideoAnalysis, String> {
    // Poses are cached between runs (the benchmark measures the analysis, which is what
    // changes); delete the cache folder after a tracker change.
    let options = PipelineOptions {
        cache: Some(cache.clone()),
        ..PipelineOptions::default()
    };
    analyze_video(
        path,
        tracker,
        &options,
        Duration::ZERO,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .map_err(|e| e.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = arg("--runs").map_or(30, |r| r.parse().unwrap());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = arg("--work").map_or_else(|| root.join("target/robustness"), PathBuf::from);
    std::fs::create_dir_all(&work).unwrap();
    let cache = PoseCache::at(&work.join("poses")).with_max_bytes(4 << 30);
    let videos = root.join("../shared/videos");
    let clips: Vec<String> = arg("--clip").map_or_else(
        || CLIPS.iter().map(|c| (*c).to_owned()).collect(),
        |c| vec![c],
    );
    let mut tracker = Tracker::load(TrackerOptions {
        variant: ModelVariant::Lite,
        intra_threads: 2,
    })
    .unwrap();

    println!(
        "| clip | jump | height cm | copies: takeoff / landing / flight ms, height cm (max − min) | worst vs original cm | worst edge shift, frames | missing | noise 0.1 %: takeoff / landing / flight ms, height cm (2 SD) | noise 0.3 % (2 SD) |"
    );
    println!("|---|---:|---:|---|---:|---:|---|---|---|");
    let (mut worst_copy_cm, mut worst_n1_cm, mut worst_n3_cm) = (0.0f64, 0.0f64, 0.0f64);
    let mut worst_vs_original = 0.0f64;
    let mut moved_total = 0;
    for clip in &clips {
        let source = videos.join(clip);
        let original = match analyse(&source, &mut tracker, &cache) {
            Ok(v) => v,
            Err(e) => {
                println!("| {clip} | – | – | original failed: {e} | | | | | |");
                continue;
            }
        };
        let frame_s = original
            .analysis
            .signals
            .t
            .get(1)
            .copied()
            .unwrap_or(1.0 / 30.0);
        let base: Vec<Edges> = original
            .analysis
            .jumps
            .iter()
            .filter_map(|j| Edges::of(j, 0.0))
            .collect();
        let mut copy_edges: Vec<(Copy, Vec<Edges>)> = Vec::new();
        for copy in Copy::ALL {
            let path = copy.make(&source, &work);
            let shift_s = if copy.frames_cut() > 0 { frame_s } else { 0.0 };
            let edges = match analyse(&path, &mut tracker, &cache) {
                Ok(v) => v
                    .analysis
                    .jumps
                    .iter()
                    .filter_map(|j| Edges::of(j, shift_s))
                    .collect(),
                Err(e) => {
                    eprintln!("{clip} {}: {e}", copy.name());
                    Vec::new()
                }
            };
            copy_edges.push((copy, edges));
        }
        // Noise runs on the original's own poses.
        let body = body_height_px(&original.poses);
        let facts = ClipFacts {
            fps: original.info.measured_fps,
            vfr: original.info.vfr,
            width: original.info.width,
            height: original.info.height,
        };
        let mut noise_runs: Vec<Vec<Vec<Edges>>> = Vec::new();
        for (level, fraction) in NOISE.iter().enumerate() {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (level as u64 + 1));
            let mut level_runs = Vec::new();
            for _ in 0..runs {
                let poses = noisy(&original.poses, fraction * body, &mut rng);
                let a = analysis::analyze(
                    &poses,
                    &facts,
                    &AnalysisOptions::default(),
                    &mut Timings::new(),
                );
                level_runs.push(a.jumps.iter().filter_map(|j| Edges::of(j, 0.0)).collect());
            }
            noise_runs.push(level_runs);
        }
        if base.is_empty() {
            println!("| {clip} | – | – | no jump in the original | | | | | |");
        }
        for (i, b) in base.iter().enumerate() {
            let mut matched = vec![*b];
            let mut missing = Vec::new();
            let mut moved = 0;
            let mut worst_shift = 0.0f64;
            let mut worst_delta_cm = 0.0f64;
            for (copy, edges) in &copy_edges {
                match matching(edges, b.takeoff_s) {
                    Some(e) => {
                        // An edge that moved by a whole frame interval or more.
                        let shift = (e.takeoff_s - b.takeoff_s)
                            .abs()
                            .max((e.landing_s - b.landing_s).abs())
                            / frame_s;
                        worst_shift = worst_shift.max(shift);
                        if shift >= 1.0 {
                            moved += 1;
                        }
                        worst_delta_cm =
                            worst_delta_cm.max((e.height_m - b.height_m).abs() * 100.0);
                        matched.push(e);
                    }
                    None => missing.push(copy.name()),
                }
            }
            moved_total += moved;
            worst_vs_original = worst_vs_original.max(worst_delta_cm);
            let s = |f: fn(&Edges) -> f64| spread(matched.iter().map(f));
            let copies_cm = s(|e| e.height_m) * 100.0;
            worst_copy_cm = worst_copy_cm.max(copies_cm);
            let noise_cols: Vec<String> = noise_runs
                .iter()
                .enumerate()
                .map(|(level, level_runs)| {
                    let found: Vec<Edges> = level_runs
                        .iter()
                        .filter_map(|r| matching(r, b.takeoff_s))
                        .collect();
                    let col =
                        |f: fn(&Edges) -> f64| two_sd(&found.iter().map(f).collect::<Vec<_>>());
                    let height_cm = col(|e| e.height_m) * 100.0;
                    if level == 0 {
                        worst_n1_cm = worst_n1_cm.max(height_cm);
                    } else {
                        worst_n3_cm = worst_n3_cm.max(height_cm);
                    }
                    format!(
                        "{:.1} / {:.1} / {:.1}, **{:.2}**{}",
                        col(|e| e.takeoff_s) * 1e3,
                        col(|e| e.landing_s) * 1e3,
                        col(|e| e.flight_s) * 1e3,
                        height_cm,
                        if found.len() < runs {
                            format!(" ({} of {runs} found)", found.len())
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            println!(
                "| {} | {} | {:.1} | {:.1} / {:.1} / {:.1}, **{:.2}** | {worst_delta_cm:.2} | {worst_shift:.2} | {} | {} | {} |",
                clip.trim_end_matches(".mp4"),
                i + 1,
                b.height_m * 100.0,
                s(|e| e.takeoff_s) * 1e3,
                s(|e| e.landing_s) * 1e3,
                s(|e| e.flight_s) * 1e3,
                copies_cm,
                if missing.is_empty() {
                    "–".to_owned()
                } else {
                    missing.join(", ")
                },
                noise_cols[0],
                noise_cols[1],
            );
        }
    }
    println!();
    println!(
        "worst height spread: copies {worst_copy_cm:.2} cm (target 1.0; worst single copy vs the original {worst_vs_original:.2} cm), noise 0.1 % {worst_n1_cm:.2} cm (target 1.0), noise 0.3 % {worst_n3_cm:.2} cm (target 2.0); edges moved by a whole frame or more: {moved_total}"
    );
}
