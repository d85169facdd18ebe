//! One tracker serves every video: a second analysis creates no inference session.
//! (Its own test binary, so no other test touches the process-wide session counter.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use hangtime::pipeline::PipelineOptions;
use hangtime::pose::{ModelVariant, sessions_created};

#[test]
fn analysing_a_second_video_creates_no_session() {
    let (Some(a), Some(b)) = (
        common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4"),
        common::shared_video("droplanding_table_stiff_sideoblique_29fps.mp4"),
    ) else {
        return;
    };
    let before = sessions_created();
    let mut tracker = common::tracker(ModelVariant::Lite);
    assert_eq!(
        sessions_created(),
        before + 2,
        "detector and landmark sessions"
    );
    let first = common::analyze(&a, &mut tracker, &PipelineOptions::default());
    let second = common::analyze(&b, &mut tracker, &PipelineOptions::default());
    assert_eq!(
        sessions_created(),
        before + 2,
        "no session for later videos"
    );
    assert!(first.poses.iter().any(|p| p.tracked) && second.poses.iter().any(|p| p.tracked));
    assert!(second.timings.ms("model_load") < f64::EPSILON);
}
