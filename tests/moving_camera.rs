//! Moving cameras: copies of the six-jump clip made with FFmpeg as if the camera tilted
//! (a crop window moving up and down), panned (moving sideways) or zoomed in and out give
//! every jump back, none invented, each height close to the original's, and say that the
//! camera moved when it moved up or down or zoomed.
//!
//! The target is 2 cm. Measured on 2026-12-02 (AMD EPYC) with the floor's zoom and
//! shift followed: tilt 1.5 cm, pan 1.8 cm, zoom 2.02 cm at most (every zoomed jump 1.1–2.0 cm
//! low, the zoompan filter's resampling: plain re-encodes of this clip move a height by up to
//! 2.6 cm). The bound is 2.5 cm (`docs/ACCURACY.md`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::path::Path;
use std::process::Command;

use hangtime::analysis::MetricId;
use hangtime::pipeline::{PipelineOptions, VideoAnalysis};
use hangtime::pose::ModelVariant;

fn ffmpeg(source: &Path, filter: &str, out: &Path) {
    let status = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-nostdin", "-i"])
        .arg(source)
        .args(["-an", "-vf", filter, "-c:v", "libx264", "-crf", "18"])
        .args(["-preset", "veryfast", "-threads", "2"])
        .arg(out)
        .status()
        .expect("ffmpeg runs (scripts/setup installs it)");
    assert!(status.success(), "ffmpeg could not make {}", out.display());
}

fn heights(v: &VideoAnalysis) -> Vec<f64> {
    v.analysis
        .jumps
        .iter()
        .map(|j| j.metric(MetricId::JumpHeight).unwrap())
        .collect()
}

#[test]
fn a_tilting_panning_or_zooming_camera_gives_the_same_six_jumps() {
    let Some(source) = common::shared_video("cmj_side_multi6_29fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut tracker = common::tracker(ModelVariant::Lite);
    let options = PipelineOptions::default();
    let original = heights(&common::analyze(&source, &mut tracker, &options));
    assert_eq!(original.len(), 6);
    let copies = [
        (
            "tilt",
            // The picture moves 30 px up and down (a camera tilting) with the whole body in view.
            "pad=1280:780:0:30:color=gray,crop=1280:720:0:'30+30*sin(2*PI*t/2.5)'",
            0.025,
            true,
        ),
        (
            "pan",
            // The picture moves 50 px left and right (a camera panning); only vertical
            // motion matters to heights, so no warning is needed.
            "pad=1380:720:50:0:color=gray,crop=1280:720:'50+50*sin(2*PI*t/3)':0",
            0.025,
            false,
        ),
        (
            "zoom",
            "zoompan=z='1.08+0.06*sin(2*PI*in/90)':d=1:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=1280x720:fps=28.913",
            0.025,
            true,
        ),
    ];
    for (name, filter, bound, warns) in copies {
        let clip = dir.path().join(format!("{name}.mp4"));
        ffmpeg(&source, filter, &clip);
        let v = common::analyze(&clip, &mut tracker, &options);
        let found = heights(&v);
        eprintln!("{name}: {found:?} against {original:?}");
        assert_eq!(found.len(), 6, "{name}: {found:?}");
        for (i, (a, b)) in original.iter().zip(&found).enumerate() {
            assert!((a - b).abs() <= bound, "{name} jump {}: {a} vs {b}", i + 1);
        }
        assert!(
            !warns
                || v.analysis
                    .warnings
                    .iter()
                    .any(|w| w.contains("camera moved")),
            "{name}: {:?}",
            v.analysis.warnings
        );
    }
}

/// The shared pan-camera clip: the athlete's head and arms leave the top of the picture
/// through most of the flight, so the centre of mass's parabola misses the body; the flight
/// is timed from the toes instead, with a warning and a wider interval, and its height comes
/// within 5 cm of the wall screen's 76.3 cm (789 ms), the interval covering it.
#[test]
fn the_pan_camera_clip_gives_its_jump_within_5_cm_of_the_measuring_system() {
    let Some(clip) = common::shared_video("cmj_jumpmat_rearoblique_pancam_30fps.mp4") else {
        return;
    };
    let mut tracker = common::tracker(ModelVariant::Lite);
    let v = common::analyze(&clip, &mut tracker, &PipelineOptions::default());
    assert_eq!(v.analysis.jumps.len(), 1, "{:?}", v.analysis.warnings);
    let jump = &v.analysis.jumps[0];
    let height = jump.metric(MetricId::JumpHeight).unwrap();
    eprintln!("pan camera: {height} m, quality {:?}", jump.quality);
    assert!((height - 0.763).abs() <= 0.05, "{height} m");
    let interval = jump.interval(MetricId::JumpHeight).unwrap();
    assert!(
        interval.low <= 0.763 && 0.763 <= interval.high,
        "{interval:?} misses 0.763 m"
    );
    assert!(
        jump.quality
            .warnings
            .iter()
            .any(|w| w.contains("timed from the toes alone")),
        "{:?}",
        jump.quality.warnings
    );
}
