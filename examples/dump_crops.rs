//! Writes the landmark model's real inputs (not part of CI): tracks each clip and saves the
//! 256×256 crop of every `EVERY`-th tracked frame as raw little-endian f32 NHWC, one file per
//! clip, for quantisation experiments (`scripts/convert/int8_sensitivity.py`).
//!
//! `cargo run --release --example dump_crops OUT_DIR EVERY CLIP...`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a research tool fails loudly"
)]

use std::io::Write;
use std::path::Path;

use hangtime::pose::{Tracker, TrackerOptions, TrackingState};
use hangtime::timing::Timings;
use hangtime::video::{Border, DecodeOptions, Normalise, VideoDecoder};

const SIDE: usize = 256;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    assert!(args.len() > 3, "usage: dump_crops OUT_DIR EVERY CLIP...");
    let out_dir = Path::new(&args[1]);
    let every: usize = args[2].parse().expect("EVERY is a whole number");
    let mut tracker = Tracker::load(TrackerOptions::default()).unwrap();
    for clip in &args[3..] {
        let decoder = VideoDecoder::open(clip.as_ref(), DecodeOptions::default()).unwrap();
        let name = Path::new(clip).file_stem().unwrap().to_string_lossy();
        let file = std::fs::File::create(out_dir.join(format!("{name}.f32"))).unwrap();
        let mut out = std::io::BufWriter::new(file);
        let mut state = TrackingState::default();
        let mut timings = Timings::new();
        let mut crop = vec![0.0f32; SIDE * SIDE * 3];
        let mut written = 0;
        for (i, frame) in decoder.enumerate() {
            let frame = frame.unwrap();
            let people = tracker.track(&frame, &mut state, &mut timings).unwrap();
            let Some(pose) = people.first() else {
                continue;
            };
            // The crop the model saw for this frame.
            let Some(roi) = pose.roi.filter(|_| pose.tracked && i % every == 0) else {
                continue;
            };
            frame.image().sample_tensor(
                &roi.crop_to_image(SIDE),
                SIDE,
                SIDE,
                Border::Replicate,
                Normalise::ZeroToOne,
                &mut crop,
            );
            for v in &crop {
                out.write_all(&v.to_le_bytes()).unwrap();
            }
            written += 1;
        }
        println!("{name}: {written} crops");
    }
}
