//! Landmark-crop sampling speed (not part of CI): decodes frames of a clip, then samples the
//! 256×256 model input from each with crops of several sizes, angles and positions (some
//! crossing the picture's edge), and prints the median milliseconds per crop and a checksum
//! of every value written (equal checksums mean bit-identical crops).
//!
//! `cargo run --release --example crop_bench [CLIP]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::hash::{DefaultHasher, Hasher};
use std::time::Instant;

use hangtime::pose::Roi;
use hangtime::video::{Border, DecodeOptions, Normalise, VideoDecoder};

const SIDE: usize = 256;

fn main() {
    let clip = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/videos/cmj_side_multi6_29fps.mp4".into());
    let decoder = VideoDecoder::open(clip.as_ref(), DecodeOptions::default()).unwrap();
    let frames: Vec<_> = decoder.take(60).map(Result::unwrap).collect();
    let (w, h) = frames[0].displayed_size();
    let (w, h) = (w as f32, h as f32);
    let rois = [
        Roi {
            cx: w * 0.5,
            cy: h * 0.5,
            side: h * 0.8,
            angle: 0.0,
        },
        Roi {
            cx: w * 0.4,
            cy: h * 0.55,
            side: h * 0.6,
            angle: 0.2,
        },
        Roi {
            cx: w * 0.5,
            cy: h * 0.45,
            side: h * 1.3,
            angle: -0.1,
        },
        Roi {
            cx: w * 0.1,
            cy: h * 0.9,
            side: h * 0.5,
            angle: 0.6,
        },
    ];
    let mut out = vec![0.0f32; SIDE * SIDE * 3];
    let mut hasher = DefaultHasher::new();
    for roi in &rois {
        let map = roi.crop_to_image(SIDE);
        let mut times = Vec::new();
        for _ in 0..5 {
            for frame in &frames {
                let image = frame.image();
                let started = Instant::now();
                image.sample_tensor(
                    &map,
                    SIDE,
                    SIDE,
                    Border::Replicate,
                    Normalise::ZeroToOne,
                    &mut out,
                );
                times.push(started.elapsed().as_secs_f64() * 1e3);
                for v in &out {
                    hasher.write_u32(v.to_bits());
                }
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "crop side {:5.0} angle {:5.2}: {:.3} ms median",
            roi.side,
            roi.angle,
            times[times.len() / 2]
        );
    }
    println!("checksum {:016x}", hasher.finish());
}
