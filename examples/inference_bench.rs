//! Landmark and detector inference speed in isolation (not part of CI): each model runs on a
//! fixed input after a warm-up, with 1 and 2 intra-op threads, idle and with the other core
//! busy, and prints the median milliseconds per run.
//!
//! `cargo run --release --example inference_bench`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use ort::value::TensorRef;

const RUNS: usize = 200;

fn median_ms(model: &str, side: usize, threads: usize) -> f64 {
    let path = hangtime::pose::models_dir().unwrap().join(model);
    // The tracker's own session settings, so these figures are the ones analysis gets.
    let mut session = hangtime::pose::create_session(&path, threads).unwrap();
    let input: Vec<f32> = (0..side * side * 3)
        .map(|i| (i % 255) as f32 / 255.0)
        .collect();
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS + 20 {
        let tensor =
            TensorRef::from_array_view(([1usize, side, side, 3], input.as_slice())).unwrap();
        let started = Instant::now();
        let out = session.run(ort::inputs![tensor]).unwrap();
        drop(out);
        if i >= 20 {
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let models = [
        ("pose_landmark_lite.onnx", 256),
        ("pose_landmark_full.onnx", 256),
        ("pose_detector.onnx", 224),
    ];
    println!(
        "{:<26} {:>10} {:>10} {:>16}",
        "model", "1 thread", "2 threads", "1 thread, busy"
    );
    for (model, side) in models {
        let one = median_ms(model, side, 1);
        let two = median_ms(model, side, 2);
        // The other core busy, as the decoder keeps it during an analysis.
        let stop = Arc::new(AtomicBool::new(false));
        let spin = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(
                        x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1),
                    );
                }
            })
        };
        let busy = median_ms(model, side, 1);
        stop.store(true, Ordering::Relaxed);
        spin.join().unwrap();
        println!("{model:<26} {one:>9.2}  {two:>9.2}  {busy:>15.2}");
    }
}
