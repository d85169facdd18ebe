//! Poses the landmark model squeezed: with the head out of the picture it can fit a whole
//! body into what it sees, legs and all, at a fraction of the person's size, with a confident
//! score. A shank (knee to ankle) barely changes length in the picture whatever the body does,
//! so a pose whose shanks are much shorter than the clip's usual ones is left out.

use std::borrow::Cow;

use super::smooth::median;
use crate::pose::{PoseFrame, landmark};

/// Shanks shorter than this share of the clip's median mark a squeezed pose. A shank tilted
/// 45° towards the camera still shows 71 % of its length.
const MIN_SHANK_SHARE: f64 = 0.55;
/// Fewer tracked poses than this give no usable median.
const MIN_POSES: usize = 10;

/// The mean of both shanks' lengths in the picture, in pixels.
fn shank_px(pose: &PoseFrame) -> Option<f64> {
    let length = |knee: usize, ankle: usize| {
        let (k, a) = (pose.landmarks.get(knee)?, pose.landmarks.get(ankle)?);
        let d = f64::from((k.x - a.x).hypot(k.y - a.y));
        d.is_finite().then_some(d)
    };
    let left = length(landmark::LEFT_KNEE, landmark::LEFT_ANKLE)?;
    let right = length(landmark::RIGHT_KNEE, landmark::RIGHT_ANKLE)?;
    Some(f64::midpoint(left, right))
}

/// `poses` with squeezed ones marked untracked (borrowed as they are when there are none).
pub(crate) fn without_squeezed(poses: Cow<'_, [PoseFrame]>) -> Cow<'_, [PoseFrame]> {
    let mut shanks: Vec<f64> = poses
        .iter()
        .filter(|p| p.tracked)
        .filter_map(shank_px)
        .collect();
    if shanks.len() < MIN_POSES {
        return poses;
    }
    let usual = median(&mut shanks);
    let squeezed =
        |p: &PoseFrame| p.tracked && shank_px(p).is_some_and(|s| s < MIN_SHANK_SHARE * usual);
    if !poses.iter().any(squeezed) {
        return poses;
    }
    let mut kept = poses.into_owned();
    for pose in &mut kept {
        if squeezed(pose) {
            *pose = PoseFrame {
                camera: pose.camera,
                ..PoseFrame::untracked(pose.index, pose.time_s, pose.detector_ran)
            };
        }
    }
    Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{LANDMARK_COUNT, Landmark};

    fn pose(index: usize, shank: f32) -> PoseFrame {
        let mut landmarks = vec![Landmark::default(); LANDMARK_COUNT];
        for (knee, ankle) in [
            (landmark::LEFT_KNEE, landmark::LEFT_ANKLE),
            (landmark::RIGHT_KNEE, landmark::RIGHT_ANKLE),
        ] {
            landmarks[knee].y = 300.0;
            landmarks[ankle].y = 300.0 + shank;
        }
        PoseFrame {
            landmarks,
            tracked: true,
            ..PoseFrame::untracked(index, index as f64 / 30.0, false)
        }
    }

    #[test]
    fn a_pose_with_shanks_far_shorter_than_usual_is_left_out() {
        let mut poses: Vec<PoseFrame> = (0..12).map(|i| pose(i, 100.0 + i as f32)).collect();
        assert!(matches!(
            without_squeezed(Cow::Borrowed(&poses)),
            Cow::Borrowed(_)
        ));
        poses[3] = pose(3, 40.0);
        poses[5] = pose(5, 75.0);
        let kept = without_squeezed(Cow::Borrowed(&poses));
        assert!(!kept[3].tracked && kept[3].landmarks.is_empty(), "squeezed");
        assert!(
            kept[5].tracked,
            "three quarters of the usual length is a tilted shank"
        );
        assert_eq!(kept.iter().filter(|p| p.tracked).count(), 11);
    }
}
