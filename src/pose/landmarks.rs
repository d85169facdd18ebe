//! Landmark model output: decoding, heatmap refinement and projection to the image.

use serde::{Deserialize, Serialize};

use super::Roi;
use crate::video::CameraMotion;

/// Body landmarks per pose (MediaPipe's 33; the model's extra 6 are auxiliary).
pub const LANDMARK_COUNT: usize = 33;
/// Landmarks the model outputs, auxiliary ones included.
pub(crate) const MODEL_LANDMARKS: usize = 39;
/// Landmark model input side in pixels.
pub const INPUT_SIZE: usize = 256;
const HEATMAP_SIZE: usize = 64;
/// MediaPipe's pose graph refines with a 7-cell window.
const REFINE_RADIUS: isize = 3;
const REFINE_MIN_CONFIDENCE: f32 = 0.5;

/// MediaPipe's landmark names in model order (lower case, as in its Python API).
pub const LANDMARK_NAMES: [&str; LANDMARK_COUNT] = [
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
];

/// Indices of the landmarks the analysis uses by name.
pub mod landmark {
    #![allow(missing_docs)]
    pub const NOSE: usize = 0;
    pub const LEFT_EAR: usize = 7;
    pub const RIGHT_EAR: usize = 8;
    pub const LEFT_SHOULDER: usize = 11;
    pub const RIGHT_SHOULDER: usize = 12;
    pub const LEFT_ELBOW: usize = 13;
    pub const RIGHT_ELBOW: usize = 14;
    pub const LEFT_WRIST: usize = 15;
    pub const RIGHT_WRIST: usize = 16;
    pub const LEFT_HIP: usize = 23;
    pub const RIGHT_HIP: usize = 24;
    pub const LEFT_KNEE: usize = 25;
    pub const RIGHT_KNEE: usize = 26;
    pub const LEFT_ANKLE: usize = 27;
    pub const RIGHT_ANKLE: usize = 28;
    pub const LEFT_HEEL: usize = 29;
    pub const RIGHT_HEEL: usize = 30;
    pub const LEFT_FOOT_INDEX: usize = 31;
    pub const RIGHT_FOOT_INDEX: usize = 32;
    /// Auxiliary: hip centre used for the next ROI.
    pub(crate) const AUX_CENTRE: usize = 33;
    /// Auxiliary: full-body scale/rotation point.
    pub(crate) const AUX_SCALE: usize = 34;
}

/// Bones of the body skeleton drawn over the video, in the app and the exported overlay (face
/// and finger detail left out: they clutter a jump view).
pub const SKELETON_BONES: [(usize, usize); 18] = [
    (landmark::LEFT_SHOULDER, landmark::RIGHT_SHOULDER),
    (landmark::LEFT_HIP, landmark::RIGHT_HIP),
    (landmark::LEFT_SHOULDER, landmark::LEFT_HIP),
    (landmark::RIGHT_SHOULDER, landmark::RIGHT_HIP),
    (landmark::LEFT_SHOULDER, landmark::LEFT_ELBOW),
    (landmark::LEFT_ELBOW, landmark::LEFT_WRIST),
    (landmark::RIGHT_SHOULDER, landmark::RIGHT_ELBOW),
    (landmark::RIGHT_ELBOW, landmark::RIGHT_WRIST),
    (landmark::LEFT_HIP, landmark::LEFT_KNEE),
    (landmark::LEFT_KNEE, landmark::LEFT_ANKLE),
    (landmark::LEFT_ANKLE, landmark::LEFT_HEEL),
    (landmark::LEFT_HEEL, landmark::LEFT_FOOT_INDEX),
    (landmark::LEFT_ANKLE, landmark::LEFT_FOOT_INDEX),
    (landmark::RIGHT_HIP, landmark::RIGHT_KNEE),
    (landmark::RIGHT_KNEE, landmark::RIGHT_ANKLE),
    (landmark::RIGHT_ANKLE, landmark::RIGHT_HEEL),
    (landmark::RIGHT_HEEL, landmark::RIGHT_FOOT_INDEX),
    (landmark::RIGHT_ANKLE, landmark::RIGHT_FOOT_INDEX),
];

/// Joints drawn as dots (the nose stands for the head).
pub const SKELETON_JOINTS: [usize; 17] = [
    landmark::NOSE,
    landmark::LEFT_SHOULDER,
    landmark::RIGHT_SHOULDER,
    landmark::LEFT_ELBOW,
    landmark::RIGHT_ELBOW,
    landmark::LEFT_WRIST,
    landmark::RIGHT_WRIST,
    landmark::LEFT_HIP,
    landmark::RIGHT_HIP,
    landmark::LEFT_KNEE,
    landmark::RIGHT_KNEE,
    landmark::LEFT_ANKLE,
    landmark::RIGHT_ANKLE,
    landmark::LEFT_HEEL,
    landmark::RIGHT_HEEL,
    landmark::LEFT_FOOT_INDEX,
    landmark::RIGHT_FOOT_INDEX,
];

/// Which side of the body a landmark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodySide {
    /// The athlete's left.
    Left,
    /// The athlete's right.
    Right,
    /// The nose.
    Midline,
}

/// The side of landmark `index`: MediaPipe numbers left landmarks odd and right ones even
/// after the nose.
pub fn body_side(index: usize) -> BodySide {
    if index == landmark::NOSE {
        BodySide::Midline
    } else if index % 2 == 1 {
        BodySide::Left
    } else {
        BodySide::Right
    }
}

/// The side a bone between landmarks `a` and `b` is drawn in: theirs when they share one,
/// the midline for bones across the body.
pub fn bone_side(a: usize, b: usize) -> BodySide {
    match (body_side(a), body_side(b)) {
        (BodySide::Left, BodySide::Left) => BodySide::Left,
        (BodySide::Right, BodySide::Right) => BodySide::Right,
        _ => BodySide::Midline,
    }
}

/// One landmark in displayed-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Landmark {
    /// Horizontal pixel position.
    pub x: f32,
    /// Vertical pixel position (down is positive).
    pub y: f32,
    /// Relative depth in the same pixel scale (negative is towards the camera).
    pub z: f32,
    /// Probability the point is visible (not occluded).
    pub visibility: f32,
    /// Probability the point is inside the picture.
    pub presence: f32,
}

/// One landmark in metres, origin between the hips.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct WorldLandmark {
    /// Metres, image-right.
    pub x: f32,
    /// Metres, image-down.
    pub y: f32,
    /// Metres, away from the camera.
    pub z: f32,
}

/// The tracker's result for one displayed frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoseFrame {
    /// Displayed frame index.
    pub index: usize,
    /// Presentation time in seconds from the first displayed frame.
    pub time_s: f64,
    /// Whether a person was tracked; when false the landmark lists are empty.
    pub tracked: bool,
    /// Pose-present probability from the landmark model.
    pub pose_score: f32,
    /// Whether the detector ran on this frame.
    pub detector_ran: bool,
    /// The crop region used.
    pub roi: Option<Roi>,
    /// 33 landmarks in displayed pixels (empty when untracked).
    pub landmarks: Vec<Landmark>,
    /// 33 world landmarks (empty when untracked).
    pub world: Vec<WorldLandmark>,
    /// How the camera has moved and zoomed the background since the first frame (still when
    /// it stood still or the motion could not be seen).
    pub camera: CameraMotion,
}

impl PoseFrame {
    /// A frame where no person was found.
    pub fn untracked(index: usize, time_s: f64, detector_ran: bool) -> Self {
        Self {
            index,
            time_s,
            tracked: false,
            pose_score: 0.0,
            detector_ran,
            roi: None,
            landmarks: Vec::new(),
            world: Vec::new(),
            camera: CameraMotion::STILL,
        }
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Decoded model output for one crop, before tracking decisions.
pub(crate) struct Decoded {
    /// All 39 landmarks in image pixels.
    pub all: Vec<Landmark>,
    /// 33 world landmarks.
    pub world: Vec<WorldLandmark>,
}

/// Decodes the landmark tensor (39×5), refines x/y with the heatmap (64×64×39, HWC logits)
/// and projects to image pixels through `roi`.
pub(crate) fn decode(raw: &[f32], heatmap: &[f32], world_raw: &[f32], roi: &Roi) -> Decoded {
    let size = INPUT_SIZE as f32;
    let all = raw
        .chunks_exact(5)
        .take(MODEL_LANDMARKS)
        .enumerate()
        .map(|(i, v)| {
            let (mut xn, mut yn) = (v[0] / size, v[1] / size);
            if let Some((rx, ry)) = refine(heatmap, i, xn, yn) {
                xn = rx;
                yn = ry;
            }
            let (x, y) = roi.project(xn, yn);
            Landmark {
                x,
                y,
                z: v[2] / size * roi.side,
                visibility: sigmoid(v[3]),
                presence: sigmoid(v[4]),
            }
        })
        .collect();
    let (sin, cos) = roi.angle.sin_cos();
    let world = world_raw
        .chunks_exact(3)
        .take(LANDMARK_COUNT)
        .map(|w| WorldLandmark {
            x: cos * w[0] - sin * w[1],
            y: sin * w[0] + cos * w[1],
            z: w[2],
        })
        .collect();
    Decoded { all, world }
}

/// MediaPipe's heatmap refinement: a confidence-weighted mean of cell indices in a window
/// around the regressed point, used only where the window is confident.
fn refine(heatmap: &[f32], landmark: usize, xn: f32, yn: f32) -> Option<(f32, f32)> {
    let n = HEATMAP_SIZE as f32;
    if !(xn.is_finite() && yn.is_finite()) {
        return None;
    }
    let (col, row) = ((xn * n).floor() as isize, (yn * n).floor() as isize);
    let size = HEATMAP_SIZE as isize;
    if !(0..size).contains(&col) || !(0..size).contains(&row) {
        return None;
    }
    let (mut sum, mut sx, mut sy, mut max) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for r in (row - REFINE_RADIUS).max(0)..=(row + REFINE_RADIUS).min(size - 1) {
        for c in (col - REFINE_RADIUS).max(0)..=(col + REFINE_RADIUS).min(size - 1) {
            let idx = (r as usize * HEATMAP_SIZE + c as usize) * MODEL_LANDMARKS + landmark;
            let conf = sigmoid(heatmap.get(idx).copied().unwrap_or(f32::NEG_INFINITY));
            sum += conf;
            sx += c as f32 * conf;
            sy += r as f32 * conf;
            max = max.max(conf);
        }
    }
    (max >= REFINE_MIN_CONFIDENCE && sum > 0.0).then(|| (sx / sum / n, sy / sum / n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refinement_moves_to_the_confident_heatmap_peak() {
        let mut heat = vec![-20.0; HEATMAP_SIZE * HEATMAP_SIZE * MODEL_LANDMARKS];
        // Landmark 2 peaks at cell (col 10, row 20).
        heat[(20 * HEATMAP_SIZE + 10) * MODEL_LANDMARKS + 2] = 10.0;
        let (x, y) = refine(&heat, 2, 11.5 / 64.0, 19.2 / 64.0).unwrap();
        assert!((x - 10.0 / 64.0).abs() < 1e-4 && (y - 20.0 / 64.0).abs() < 1e-4);
        // Too far from the peak, or unconfident: unchanged.
        assert!(refine(&heat, 2, 30.0 / 64.0, 20.0 / 64.0).is_none());
        assert!(refine(&heat, 1, 11.0 / 64.0, 20.0 / 64.0).is_none());
        assert!(refine(&heat, 2, -0.1, 0.5).is_none());
        assert!(refine(&heat, 2, f32::NAN, 0.5).is_none());
    }

    #[test]
    fn decode_projects_crop_centre_to_roi_centre() {
        let mut raw = vec![0.0; MODEL_LANDMARKS * 5];
        raw[0] = 128.0;
        raw[1] = 128.0;
        raw[3] = 0.0;
        let heat = vec![-20.0; HEATMAP_SIZE * HEATMAP_SIZE * MODEL_LANDMARKS];
        let roi = Roi {
            cx: 50.0,
            cy: 60.0,
            side: 100.0,
            angle: 0.3,
        };
        let d = decode(&raw, &heat, &[0.0; 117], &roi);
        assert_eq!(d.all.len(), MODEL_LANDMARKS);
        assert!((d.all[0].x - 50.0).abs() < 1e-4 && (d.all[0].y - 60.0).abs() < 1e-4);
        assert!((d.all[0].visibility - 0.5).abs() < 1e-6);
        assert_eq!(d.world.len(), LANDMARK_COUNT);
    }
}
