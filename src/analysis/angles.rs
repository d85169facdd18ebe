//! Joint angles in the image plane, from the better-seen side of the body.

use serde::{Deserialize, Serialize};

use crate::pose::{Landmark, landmark as lm};

/// Hip, knee and ankle angles in degrees (180° = straight joint).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JointAngles {
    /// Trunk–thigh angle.
    pub hip: f64,
    /// Thigh–shank angle.
    pub knee: f64,
    /// Shank–foot angle.
    pub ankle: f64,
}

fn angle_at(a: &Landmark, vertex: &Landmark, b: &Landmark) -> f64 {
    let (ux, uy) = (f64::from(a.x - vertex.x), f64::from(a.y - vertex.y));
    let (vx, vy) = (f64::from(b.x - vertex.x), f64::from(b.y - vertex.y));
    let cross = ux * vy - uy * vx;
    let dot = ux * vx + uy * vy;
    cross.abs().atan2(dot).to_degrees()
}

/// Angles of the side whose leg landmarks are more visible; `None` without landmarks.
pub fn joint_angles(lms: &[Landmark]) -> Option<JointAngles> {
    let side = |s: usize, h: usize, k: usize, a: usize, f: usize| {
        let (s, h, k, a, f) = (
            lms.get(s)?,
            lms.get(h)?,
            lms.get(k)?,
            lms.get(a)?,
            lms.get(f)?,
        );
        let vis = h.visibility + k.visibility + a.visibility;
        Some((
            vis,
            JointAngles {
                hip: angle_at(s, h, k),
                knee: angle_at(h, k, a),
                ankle: angle_at(k, a, f),
            },
        ))
    };
    let left = side(
        lm::LEFT_SHOULDER,
        lm::LEFT_HIP,
        lm::LEFT_KNEE,
        lm::LEFT_ANKLE,
        lm::LEFT_FOOT_INDEX,
    );
    let right = side(
        lm::RIGHT_SHOULDER,
        lm::RIGHT_HIP,
        lm::RIGHT_KNEE,
        lm::RIGHT_ANKLE,
        lm::RIGHT_FOOT_INDEX,
    );
    match (left, right) {
        (Some(l), Some(r)) => Some(if l.0 >= r.0 { l.1 } else { r.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
    .filter(|a| a.hip.is_finite() && a.knee.is_finite() && a.ankle.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: f32, y: f32, visibility: f32) -> Landmark {
        Landmark {
            x,
            y,
            visibility,
            ..Landmark::default()
        }
    }

    #[test]
    fn straight_leg_is_180_and_right_angle_knee_is_90() {
        let mut lms = vec![at(0.0, 0.0, 0.1); 33];
        lms[lm::LEFT_SHOULDER] = at(100.0, 0.0, 1.0);
        lms[lm::LEFT_HIP] = at(100.0, 100.0, 1.0);
        lms[lm::LEFT_KNEE] = at(100.0, 200.0, 1.0);
        lms[lm::LEFT_ANKLE] = at(100.0, 300.0, 1.0);
        lms[lm::LEFT_FOOT_INDEX] = at(130.0, 300.0, 1.0);
        let a = joint_angles(&lms).unwrap();
        assert!((a.hip - 180.0).abs() < 1e-6 && (a.knee - 180.0).abs() < 1e-6);
        assert!((a.ankle - 90.0).abs() < 1e-6);
        lms[lm::LEFT_ANKLE] = at(200.0, 200.0, 1.0);
        assert!((joint_angles(&lms).unwrap().knee - 90.0).abs() < 1e-6);
        assert!(joint_angles(&lms[..20]).is_none());
    }
}
