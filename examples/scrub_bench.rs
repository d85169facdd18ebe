//! Scrubbing benchmark for the viewer's preview frames (not part of CI).
//!
//! For each clip (default: every clip in `../shared/videos`), the preview is opened in seeking
//! mode (keyframe seek, decode forward, LRU cache, prefetch; what long clips use) and in
//! resident mode (the whole clip decoded once, what short clips use), and it prints:
//! random access latency to any frame, the latency of stepping one frame forward and back,
//! and the time until a resident clip is fully decoded.
//!
//! `cargo run --release --example scrub_bench [CLIP...]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hangtime::video::{PreviewMode, PreviewOptions, PreviewSource, PreviewStatus};

/// Random frames visited per clip.
const RANDOM_SEEKS: usize = 40;
/// Single-frame steps per direction per clip.
const STEPS: usize = 30;
const TIMEOUT: Duration = Duration::from_secs(20);

struct Preview {
    source: PreviewSource,
    notified: mpsc::Receiver<()>,
}

impl Preview {
    fn open(path: &Path, options: PreviewOptions) -> anyhow::Result<Self> {
        let (tx, notified) = mpsc::channel();
        let source = PreviewSource::open(path, options, move || {
            tx.send(()).ok();
        })?;
        Ok(Self { source, notified })
    }

    fn wait_ready(&self) -> anyhow::Result<Duration> {
        let started = Instant::now();
        loop {
            match self.source.status() {
                PreviewStatus::Ready => return Ok(started.elapsed()),
                PreviewStatus::Failed(e) => anyhow::bail!("preview failed: {e}"),
                _ => {}
            }
            anyhow::ensure!(
                started.elapsed() < TIMEOUT * 6,
                "preview never became ready"
            );
            self.notified.recv_timeout(Duration::from_millis(50)).ok();
        }
    }

    /// Time from asking for a frame to having it.
    fn fetch(&self, index: usize) -> anyhow::Result<Duration> {
        let started = Instant::now();
        while self.source.frame(index).is_none() {
            anyhow::ensure!(started.elapsed() < TIMEOUT, "frame {index} never arrived");
            // Poll finely: the notification may come for an earlier frame.
            self.notified.recv_timeout(Duration::from_micros(200)).ok();
        }
        Ok(started.elapsed())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median, 90th percentile and maximum in milliseconds.
fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |q: f64| {
        v.get(((v.len() - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    format!(
        "{:6.1} {:6.1} {:6.1}",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(1.0))
    )
}

fn bench(path: &Path) -> anyhow::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // Seeking mode: a zero memory budget keeps nothing resident.
    let seeking = Preview::open(
        path,
        PreviewOptions {
            budget_bytes: 0,
            ..PreviewOptions::default()
        },
    )?;
    seeking.wait_ready()?;
    let frames = seeking.source.times().len();
    anyhow::ensure!(frames > 0, "no frames");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64; // a fixed LCG: the same frames every run
    let mut random = Vec::new();
    for _ in 0..RANDOM_SEEKS {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        random.push(seeking.fetch((state >> 33) as usize % frames)?);
    }
    let start = frames / 3;
    seeking.fetch(start)?;
    let mut forward = Vec::new();
    for i in 1..=STEPS.min(frames - start - 1) {
        forward.push(seeking.fetch(start + i)?);
    }
    let end = (start + STEPS).min(frames - 1);
    let mut backward = Vec::new();
    for i in 1..=STEPS.min(end) {
        backward.push(seeking.fetch(end - i)?);
    }
    drop(seeking);

    // What the app uses: resident when the clip fits the budget (possibly at a smaller size).
    let resident = Preview::open(path, PreviewOptions::default())?;
    let all = resident.wait_ready()?;
    let layout = resident.source.layout();
    let size = layout.as_ref().map_or_else(String::new, |l| {
        let mode = match l.mode {
            PreviewMode::Resident => "res",
            PreviewMode::Seeking => "seek",
        };
        format!("{}x{} {mode}", l.width, l.height)
    });
    let mut any = Vec::new();
    for _ in 0..RANDOM_SEEKS {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        any.push(resident.fetch((state >> 33) as usize % frames)?);
    }
    println!(
        "{:<46} {:>5} {:>13} | {} | {} | {} | {:8.0} | {}",
        &name[..name.len().min(46)],
        frames,
        size,
        summary(random),
        summary(forward),
        summary(backward),
        ms(all),
        summary(any)
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut clips: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if clips.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/videos");
        clips = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "mp4"))
            .collect();
        clips.sort();
    }
    println!(
        "Preview scrubbing, milliseconds (median / p90 / max). Seeking mode (keyframe seek, \
         decode forward, LRU cache, prefetch) for the first three; then the app's mode for the \
         clip: time until every frame is decoded, and any frame after that."
    );
    println!(
        "{:<46} {:>5} {:>13} | {:^20} | {:^20} | {:^20} | {:>8} | {:^20}",
        "clip",
        "frames",
        "app preview",
        "seek: random frame",
        "seek: step forward",
        "seek: step back",
        "all in",
        "app: any frame"
    );
    for clip in &clips {
        if let Err(e) = bench(clip) {
            println!("{}: {e:#}", clip.display());
        }
    }
    Ok(())
}
