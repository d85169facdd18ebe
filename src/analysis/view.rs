//! Which way the camera sees the athlete, judged from the landmarks.
//!
//! Joint angles and the countermovement's depth are sagittal-plane quantities: a camera sees
//! them only from the side. From the front the thigh points at the lens, so a deep squat reads
//! as a straight knee. The view is judged from how wide the shoulders and hips appear against
//! the trunk's length: about 0.5 seen from the front, near 0 from the side.

use crate::pose::{Landmark, PoseFrame, landmark as lm};

/// Width-to-trunk ratio below which the athlete is seen from the side (within about 24° of a
/// pure side view).
const SIDE_MAX_RATIO: f64 = 0.2;
/// Width-to-trunk ratio above which the athlete is seen from the front or the back.
const FRONT_MIN_RATIO: f64 = 0.42;
/// Landmark visibility below which a point is not used to judge the view.
const MIN_VISIBILITY: f32 = 0.5;

/// How the camera sees the athlete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// From the side: sagittal-plane numbers are visible.
    Side,
    /// Between side and front: angles and depths are distorted.
    Oblique,
    /// From the front or the back.
    Front,
}

impl View {
    /// Lower-case name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Side => "side",
            Self::Oblique => "oblique",
            Self::Front => "front",
        }
    }
}

/// The judged view and the figure it was judged from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewJudgement {
    /// The view.
    pub view: View,
    /// Median over the tracked frames of the mean shoulder and hip width over the trunk length.
    pub width_ratio: f64,
}

/// Shoulder and hip width over trunk length in one frame, if its points are seen.
fn width_ratio(l: &[Landmark]) -> Option<f64> {
    let point = |i: usize| {
        l.get(i)
            .filter(|p| p.visibility >= MIN_VISIBILITY)
            .map(|p| (f64::from(p.x), f64::from(p.y)))
    };
    let (ls, rs) = (point(lm::LEFT_SHOULDER)?, point(lm::RIGHT_SHOULDER)?);
    let (lh, rh) = (point(lm::LEFT_HIP)?, point(lm::RIGHT_HIP)?);
    let mid = |a: (f64, f64), b: (f64, f64)| (f64::midpoint(a.0, b.0), f64::midpoint(a.1, b.1));
    let (shoulders, hips) = (mid(ls, rs), mid(lh, rh));
    let trunk = (shoulders.0 - hips.0).hypot(shoulders.1 - hips.1);
    let width = f64::midpoint((ls.0 - rs.0).abs(), (lh.0 - rh.0).abs());
    (trunk > 1.0).then(|| width / trunk)
}

/// Judges the view over a clip's tracked frames; `None` when too few frames show the trunk.
pub fn judge(poses: &[PoseFrame]) -> Option<ViewJudgement> {
    let mut ratios: Vec<f64> = poses
        .iter()
        .filter(|p| p.tracked)
        .filter_map(|p| width_ratio(&p.landmarks))
        .collect();
    if ratios.len() < 5 {
        return None;
    }
    let width_ratio = super::smooth::median(&mut ratios);
    let view = if width_ratio < SIDE_MAX_RATIO {
        View::Side
    } else if width_ratio < FRONT_MIN_RATIO {
        View::Oblique
    } else {
        View::Front
    };
    Some(ViewJudgement { view, width_ratio })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(half_width: f32) -> PoseFrame {
        let mut landmarks = vec![
            Landmark {
                visibility: 1.0,
                presence: 1.0,
                ..Landmark::default()
            };
            33
        ];
        for (i, x, y) in [
            (lm::LEFT_SHOULDER, 100.0 + half_width, 100.0),
            (lm::RIGHT_SHOULDER, 100.0 - half_width, 100.0),
            (lm::LEFT_HIP, 100.0 + half_width, 300.0),
            (lm::RIGHT_HIP, 100.0 - half_width, 300.0),
        ] {
            landmarks[i].x = x;
            landmarks[i].y = y;
        }
        PoseFrame {
            tracked: true,
            landmarks,
            ..PoseFrame::untracked(0, 0.0, false)
        }
    }

    #[test]
    fn narrow_shoulders_are_a_side_view_and_wide_ones_a_front_view() {
        let judge_width = |w: f32| judge(&vec![frame(w); 10]).map(|j| j.view);
        assert_eq!(judge_width(10.0), Some(View::Side));
        assert_eq!(judge_width(40.0), Some(View::Oblique));
        assert_eq!(judge_width(65.0), Some(View::Front));
        assert_eq!(judge(&[frame(10.0)]), None, "one frame is not enough");
    }
}
