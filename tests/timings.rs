//! Timings say what they measure: on a phone-style HEVC 10-bit copy of a shared clip (whose
//! pixels need converting), no stage takes longer than the stage it is part of, and pixel
//! conversion is counted once, inside decoding.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use common::copies::Copy;
use hangtime::pipeline::PipelineOptions;
use hangtime::pose::ModelVariant;

#[test]
fn no_stage_is_longer_than_its_parent_on_an_hevc_10_bit_clip() {
    let Some(source) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let clip = Copy::Hevc10Rotated.make(&source, dir.path());
    let mut tracker = common::tracker(ModelVariant::Lite);
    let v = common::analyze(&clip, &mut tracker, &PipelineOptions::default());
    assert_eq!(v.info.codec, "hevc");
    let stages = v.timings.stages();
    for s in stages {
        eprintln!("{:>20} {:>9.1} ms  (in {:?})", s.stage, s.ms, s.parent);
    }
    for s in stages {
        let Some(parent) = &s.parent else { continue };
        let parent_ms = v.timings.ms(parent);
        assert!(
            s.ms <= parent_ms + 0.5,
            "{} ({:.1} ms) is longer than {parent} ({parent_ms:.1} ms)",
            s.stage,
            s.ms
        );
    }
    let convert = stages
        .iter()
        .find(|s| s.stage == "pixel_format")
        .expect("10-bit pixels are converted");
    assert_eq!(convert.parent.as_deref(), Some("decode"));
    assert!(convert.ms > 0.0 && convert.ms < v.timings.ms("decode"));
}
