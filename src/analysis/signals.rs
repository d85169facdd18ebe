//! From landmarks to time series: a segmental centre of mass, foot and hip tracks,
//! per-frame visibility. Image y grows downwards; these signals keep that convention.

use crate::pose::{LANDMARK_COUNT, Landmark, PoseFrame, landmark as lm};

use super::smooth::{Smoothed, fill_gaps, reject_outliers, reject_spikes, smooth};

/// Segment masses (fraction of body mass) and the point along each segment where its centre
/// of mass lies (fraction from the proximal end), after de Leva (1996), sexes averaged.
/// Head: ear midpoint. Hands sit at the wrist. Weights sum to 1.
const SEGMENTS: [(f64, usize, usize, f64); 14] = [
    // (mass fraction, proximal landmark, distal landmark, CoM position from proximal)
    (0.497, SHOULDER_MID, HIP_MID, 0.45),
    (0.081, EAR_MID, EAR_MID, 0.0),
    (0.028, lm::LEFT_SHOULDER, lm::LEFT_ELBOW, 0.577),
    (0.028, lm::RIGHT_SHOULDER, lm::RIGHT_ELBOW, 0.577),
    (0.016, lm::LEFT_ELBOW, lm::LEFT_WRIST, 0.457),
    (0.016, lm::RIGHT_ELBOW, lm::RIGHT_WRIST, 0.457),
    (0.006, lm::LEFT_WRIST, lm::LEFT_WRIST, 0.0),
    (0.006, lm::RIGHT_WRIST, lm::RIGHT_WRIST, 0.0),
    (0.100, lm::LEFT_HIP, lm::LEFT_KNEE, 0.41),
    (0.100, lm::RIGHT_HIP, lm::RIGHT_KNEE, 0.41),
    (0.0465, lm::LEFT_KNEE, lm::LEFT_ANKLE, 0.44),
    (0.0465, lm::RIGHT_KNEE, lm::RIGHT_ANKLE, 0.44),
    (0.0145, lm::LEFT_HEEL, lm::LEFT_FOOT_INDEX, 0.44),
    (0.0145, lm::RIGHT_HEEL, lm::RIGHT_FOOT_INDEX, 0.44),
];
/// Pseudo-landmark indices for midpoints.
const SHOULDER_MID: usize = 100;
const HIP_MID: usize = 101;
const EAR_MID: usize = 102;

/// Longest run of untracked frames bridged by interpolation.
pub const MAX_GAP_S: f64 = 0.1;
/// A toe sample this far (in leg lengths) from both neighbours, the same way, is a spike.
const TOE_SPIKE_LEGS: f64 = 0.15;
/// Smoothing half-window for positions.
pub const SMOOTH_HALF_WINDOW_S: f64 = 0.035;

fn point(lms: &[Landmark], idx: usize) -> Option<(f64, f64)> {
    let mid = |a: usize, b: usize| {
        let (p, q) = (lms.get(a)?, lms.get(b)?);
        Some((f64::from(p.x + q.x) / 2.0, f64::from(p.y + q.y) / 2.0))
    };
    match idx {
        SHOULDER_MID => mid(lm::LEFT_SHOULDER, lm::RIGHT_SHOULDER),
        HIP_MID => mid(lm::LEFT_HIP, lm::RIGHT_HIP),
        EAR_MID => mid(lm::LEFT_EAR, lm::RIGHT_EAR),
        _ => lms.get(idx).map(|p| (f64::from(p.x), f64::from(p.y))),
    }
}

/// Whole-body centre of mass of one pose in pixels, or `None` if landmarks are missing.
pub fn centre_of_mass(lms: &[Landmark]) -> Option<(f64, f64)> {
    let mut acc = (0.0, 0.0);
    for &(mass, a, b, frac) in &SEGMENTS {
        let (pa, pb) = (point(lms, a)?, point(lms, b)?);
        acc.0 += mass * (pa.0 + (pb.0 - pa.0) * frac);
        acc.1 += mass * (pa.1 + (pb.1 - pa.1) * frac);
    }
    (acc.0.is_finite() && acc.1.is_finite()).then_some(acc)
}

/// Per-frame signals of one clip, aligned with its frames.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Presentation times in seconds.
    pub t: Vec<f64>,
    /// Whether the tracker found the person.
    pub tracked: Vec<bool>,
    /// Raw centre of mass x, y (pixels; NaN when untracked).
    pub com_x: Vec<f64>,
    /// Raw centre-of-mass y.
    pub com_y: Vec<f64>,
    /// Smoothed centre-of-mass y with velocity and acceleration (pixels, px/s, px/s²).
    pub com: Smoothed,
    /// Toe (foot index) y of the lower foot: both feet are off the ground only when it is.
    pub toe_y: Vec<f64>,
    /// Heel y, mean of both feet.
    pub heel_y: Vec<f64>,
    /// Hip-centre y.
    pub hip_y: Vec<f64>,
    /// Mean visibility of the lower-body landmarks.
    pub leg_visibility: Vec<f64>,
    /// Median hip-to-ankle length in pixels (body scale for thresholds).
    pub leg_length_px: f64,
    /// Samples rejected as outliers.
    pub outliers: usize,
    /// Tracked frames whose lower foot is outside the picture (its contact cannot be seen).
    pub feet_cut_off: usize,
    /// Per frame, whether the head is above the top of the picture as filmed (before the
    /// camera's motion is taken out): the landmark model then guesses the upper body, and the
    /// centre of mass with it. Filled by the analysis ([`head_above_picture`]); empty from
    /// [`build`], which may be given steadied poses.
    pub head_out: Vec<bool>,
    /// Whether the head is mostly below the hips (an upside-down or unrotated clip).
    pub upside_down: bool,
    /// How far the camera moved the background up or down over the clip, in pixels, when it
    /// moved enough to be taken out of every position (0 for a still camera).
    pub camera_motion_px: f64,
    /// How much the camera zoomed over the clip (0.1 = the background looked 10 % larger at
    /// one time than at another), when positions were measured against the background.
    pub camera_zoom: f64,
}

/// Whether a pose is tracked with every landmark (the signals use no other).
fn has_every_landmark(p: &PoseFrame) -> bool {
    p.tracked && p.landmarks.len() >= LANDMARK_COUNT
}

/// Per pose, whether it is tracked with the nose above the top of the picture.
pub fn head_above_picture(poses: &[PoseFrame]) -> Vec<bool> {
    poses
        .iter()
        .map(|p| has_every_landmark(p) && p.landmarks[lm::NOSE].y < 0.0)
        .collect()
}

fn lower_y(lms: &[Landmark], a: usize, b: usize) -> f64 {
    match (lms.get(a), lms.get(b)) {
        (Some(p), Some(q)) => f64::from(p.y.max(q.y)),
        _ => f64::NAN,
    }
}

fn mean_y(lms: &[Landmark], a: usize, b: usize) -> f64 {
    match (lms.get(a), lms.get(b)) {
        (Some(p), Some(q)) => f64::from(p.y + q.y) / 2.0,
        _ => f64::NAN,
    }
}

/// Mean visibility of the hip-to-toe landmarks.
fn leg_visibility(l: &[Landmark]) -> f64 {
    const LEGS: [usize; 10] = [
        lm::LEFT_HIP,
        lm::RIGHT_HIP,
        lm::LEFT_KNEE,
        lm::RIGHT_KNEE,
        lm::LEFT_ANKLE,
        lm::RIGHT_ANKLE,
        lm::LEFT_HEEL,
        lm::RIGHT_HEEL,
        lm::LEFT_FOOT_INDEX,
        lm::RIGHT_FOOT_INDEX,
    ];
    LEGS.iter()
        .filter_map(|&i| l.get(i))
        .map(|p| f64::from(p.visibility))
        .sum::<f64>()
        / LEGS.len() as f64
}

/// Hip-to-ankle length in pixels, both legs averaged.
fn leg_length(l: &[Landmark]) -> f64 {
    let len = |a: usize, b: usize| match (l.get(a), l.get(b)) {
        (Some(p), Some(q)) => f64::from((p.x - q.x).hypot(p.y - q.y)),
        _ => f64::NAN,
    };
    (len(lm::LEFT_HIP, lm::LEFT_KNEE)
        + len(lm::LEFT_KNEE, lm::LEFT_ANKLE)
        + len(lm::RIGHT_HIP, lm::RIGHT_KNEE)
        + len(lm::RIGHT_KNEE, lm::RIGHT_ANKLE))
        / 2.0
}

/// Whether a heel or toe lies outside the `width × height` picture.
fn foot_outside(l: &[Landmark], width: f64, height: f64) -> bool {
    [
        lm::LEFT_FOOT_INDEX,
        lm::RIGHT_FOOT_INDEX,
        lm::LEFT_HEEL,
        lm::RIGHT_HEEL,
    ]
    .iter()
    .filter_map(|&i| l.get(i))
    .any(|p| {
        let (x, y) = (f64::from(p.x), f64::from(p.y));
        !(x >= 0.0 && x < width && y >= 0.0 && y < height)
    })
}

/// Builds signals from tracked poses in a `width × height` picture: gaps bridged, outliers
/// removed, centre of mass smoothed. Toe positions outside the picture are dropped: the model
/// guesses them, and a guessed foot must not make a flight.
pub fn build(poses: &[PoseFrame], width: f64, height: f64) -> Signals {
    let t: Vec<f64> = poses.iter().map(|p| p.time_s).collect();
    let tracked: Vec<bool> = poses.iter().map(has_every_landmark).collect();
    let per_frame = |f: &dyn Fn(&[Landmark]) -> f64| -> Vec<f64> {
        poses
            .iter()
            .zip(&tracked)
            .map(|(p, &ok)| if ok { f(&p.landmarks) } else { f64::NAN })
            .collect()
    };
    let com_x = per_frame(&|l| centre_of_mass(l).map_or(f64::NAN, |c| c.0));
    let com_y = per_frame(&|l| centre_of_mass(l).map_or(f64::NAN, |c| c.1));
    let mut toe_y = per_frame(&|l| lower_y(l, lm::LEFT_FOOT_INDEX, lm::RIGHT_FOOT_INDEX));
    let mut heel_y = per_frame(&|l| mean_y(l, lm::LEFT_HEEL, lm::RIGHT_HEEL));
    let mut hip_y = per_frame(&|l| mean_y(l, lm::LEFT_HIP, lm::RIGHT_HIP));
    let leg_visibility = per_frame(&leg_visibility);
    let mut legs = per_frame(&leg_length);
    legs.retain(|v| v.is_finite());
    let leg_length_px = super::smooth::median(&mut legs);

    let mut feet_cut_off = 0;
    for (i, p) in poses.iter().enumerate() {
        if tracked[i] && foot_outside(&p.landmarks, width, height) {
            feet_cut_off += 1;
            toe_y[i] = f64::NAN;
        }
    }
    let mut head_below_hips: Vec<f64> = poses
        .iter()
        .zip(&tracked)
        .filter(|(_, ok)| **ok)
        .map(|(p, _)| {
            mean_y(&p.landmarks, lm::NOSE, lm::NOSE)
                - mean_y(&p.landmarks, lm::LEFT_HIP, lm::RIGHT_HIP)
        })
        .filter(|d| d.is_finite())
        .collect();
    let upside_down = super::smooth::median(&mut head_below_hips) > 0.0;

    let mut com_clean = com_y.clone();
    let mut outliers = reject_outliers(&t, &mut com_clean, 0.15, 4.0);
    // The toe leaves the ground for whole flights: only isolated wild samples are outliers
    // (a windowed median filter would also take a short hop's frames for outliers).
    outliers += reject_spikes(&mut toe_y, TOE_SPIKE_LEGS * leg_length_px);
    for s in [&mut com_clean, &mut toe_y, &mut heel_y, &mut hip_y] {
        fill_gaps(&t, s, MAX_GAP_S);
    }
    let com = smooth(&t, &com_clean, SMOOTH_HALF_WINDOW_S, 2);
    Signals {
        t,
        tracked,
        com_x,
        com_y,
        com,
        toe_y,
        heel_y,
        hip_y,
        leg_visibility,
        leg_length_px,
        outliers,
        feet_cut_off,
        head_out: Vec::new(),
        upside_down,
        camera_motion_px: 0.0,
        camera_zoom: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_masses_sum_to_one() {
        let total: f64 = SEGMENTS.iter().map(|s| s.0).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn com_of_a_uniformly_shifted_pose_shifts_equally() {
        let base: Vec<Landmark> = (0..33)
            .map(|i| Landmark {
                x: i as f32 * 3.0,
                y: 400.0 - i as f32 * 10.0,
                visibility: 1.0,
                presence: 1.0,
                z: 0.0,
            })
            .collect();
        let moved: Vec<Landmark> = base
            .iter()
            .map(|l| Landmark {
                y: l.y - 50.0,
                ..*l
            })
            .collect();
        let a = centre_of_mass(&base).unwrap();
        let b = centre_of_mass(&moved).unwrap();
        assert!((a.1 - b.1 - 50.0).abs() < 1e-4 && (a.0 - b.0).abs() < 1e-9);
        assert!(centre_of_mass(&base[..20]).is_none());
    }
}
