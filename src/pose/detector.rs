//! BlazePose person detector: letterboxed 224² input, 2254 SSD anchors, weighted NMS.

use serde::{Deserialize, Serialize};

use super::Roi;
use crate::video::Affine;

/// Detector input side in pixels.
pub const INPUT_SIZE: usize = 224;
/// Number of anchors the detector regresses.
pub const ANCHOR_COUNT: usize = 2254;
/// Values per anchor: box (4) and four keypoints (8).
pub const REGRESSORS: usize = 12;
const MIN_SCORE: f32 = 0.5;
const NMS_IOU: f32 = 0.3;

/// Anchor centres in normalised letterbox coordinates, in the detector's output order.
pub fn anchors() -> Vec<(f32, f32)> {
    // Strides 8 and 16 give 2 anchors per cell; the three stride-32 layers merge into 6.
    let mut out = Vec::with_capacity(ANCHOR_COUNT);
    for (stride, per_cell) in [(8usize, 2usize), (16, 2), (32, 6)] {
        let grid = INPUT_SIZE / stride;
        for y in 0..grid {
            for x in 0..grid {
                let centre = (
                    (x as f32 + 0.5) / grid as f32,
                    (y as f32 + 0.5) / grid as f32,
                );
                out.extend(std::iter::repeat_n(centre, per_cell));
            }
        }
    }
    out
}

/// One person found by the detector, in displayed-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Confidence 0..1.
    pub score: f32,
    /// Hip centre (keypoint 0).
    pub hip_centre: (f32, f32),
    /// Full-body scale and rotation point (keypoint 1).
    pub scale_point: (f32, f32),
}

impl Detection {
    /// The landmark ROI this detection implies.
    pub fn roi(&self) -> Roi {
        Roi::from_alignment_points(self.hip_centre, self.scale_point)
    }
}

/// How the whole frame is letterboxed into the detector input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Letterbox {
    width: f32,
    height: f32,
}

impl Letterbox {
    pub(crate) fn new(width: u32, height: u32) -> Self {
        Self {
            width: width as f32,
            height: height as f32,
        }
    }

    /// Map from detector-input pixels to image pixels: a centred square of the long side.
    pub(crate) fn input_to_image(self) -> Affine {
        let side = self.width.max(self.height);
        let k = side / INPUT_SIZE as f32;
        Affine::scale_translate(k, (self.width - side) / 2.0, (self.height - side) / 2.0)
    }

    /// Image pixels of a point in normalised letterbox coordinates.
    fn to_image(self, p: (f32, f32)) -> (f32, f32) {
        let side = self.width.max(self.height);
        (
            p.0 * side + (self.width - side) / 2.0,
            p.1 * side + (self.height - side) / 2.0,
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f32,
    bbox: [f32; 4], // xmin, ymin, xmax, ymax (normalised letterbox)
    kp: [(f32, f32); 2],
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let iw = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let ih = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = iw * ih;
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// Decodes raw detector outputs (`regressors`: 2254×12, `logits`: 2254) into the best person,
/// MediaPipe-style: score threshold, weighted non-maximum suppression, letterbox removal.
pub(crate) fn decode(
    regressors: &[f32],
    logits: &[f32],
    anchors: &[(f32, f32)],
    letterbox: Letterbox,
) -> Option<Detection> {
    let scale = INPUT_SIZE as f32;
    let mut candidates: Vec<Candidate> = anchors
        .iter()
        .zip(logits)
        .zip(regressors.chunks_exact(REGRESSORS))
        .filter_map(|((&(ax, ay), &logit), r)| {
            let score = sigmoid(logit.clamp(-100.0, 100.0));
            if !(score >= MIN_SCORE) {
                return None;
            }
            let (cx, cy) = (r[0] / scale + ax, r[1] / scale + ay);
            let (w, h) = (r[2] / scale, r[3] / scale);
            if !(w > 0.0 && h > 0.0) {
                return None;
            }
            Some(Candidate {
                score,
                bbox: [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0],
                kp: [
                    (r[4] / scale + ax, r[5] / scale + ay),
                    (r[6] / scale + ax, r[7] / scale + ay),
                ],
            })
        })
        .collect();
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    // Only the strongest cluster matters for single-person tracking.
    let best = *candidates.first()?;
    let mut total = 0.0;
    let mut kp = [(0.0f32, 0.0f32); 2];
    for c in candidates
        .iter()
        .filter(|c| iou(&c.bbox, &best.bbox) > NMS_IOU)
    {
        total += c.score;
        for (acc, p) in kp.iter_mut().zip(c.kp) {
            acc.0 += p.0 * c.score;
            acc.1 += p.1 * c.score;
        }
    }
    if !(total > 0.0) {
        return None;
    }
    let kp = kp.map(|(x, y)| letterbox.to_image((x / total, y / total)));
    Some(Detection {
        score: best.score,
        hip_centre: kp[0],
        scale_point: kp[1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_match_mediapipe_layout() {
        let a = anchors();
        assert_eq!(a.len(), ANCHOR_COUNT);
        assert_eq!(a[0], (0.5 / 28.0, 0.5 / 28.0));
        assert_eq!(a[1], a[0]);
        assert_eq!(a[2], (1.5 / 28.0, 0.5 / 28.0));
        assert_eq!(a[1568], (0.5 / 14.0, 0.5 / 14.0));
        assert_eq!(a[ANCHOR_COUNT - 1], (6.5 / 7.0, 6.5 / 7.0));
    }

    #[test]
    fn weighted_nms_averages_the_overlapping_cluster_and_removes_letterbox() {
        let anchors = vec![(0.5, 0.5), (0.5, 0.5), (0.1, 0.1)];
        let mut reg = vec![0.0; 3 * REGRESSORS];
        // Two overlapping boxes whose hip keypoints differ by 22.4 px (0.1 normalised).
        for (i, kx) in [(0usize, 0.0f32), (1, 22.4)] {
            let r = &mut reg[i * REGRESSORS..(i + 1) * REGRESSORS];
            r[2] = 44.8;
            r[3] = 44.8;
            r[4] = kx;
            r[7] = -44.8;
        }
        let logits = [10.0, 10.0, -10.0];
        // Landscape 448×224: the square is 448 wide, padding 112 px above and below.
        let det = decode(&reg, &logits, &anchors, Letterbox::new(448, 224)).unwrap();
        assert!((det.hip_centre.0 - (0.55 * 448.0)).abs() < 1e-3, "{det:?}");
        assert!((det.hip_centre.1 - (0.5 * 448.0 - 112.0)).abs() < 1e-3);
        assert!((det.scale_point.1 - (0.3 * 448.0 - 112.0)).abs() < 1e-3);
        assert!(decode(&reg, &[-5.0; 3], &anchors, Letterbox::new(448, 224)).is_none());
        assert!(decode(&reg, &[f32::NAN; 3], &anchors, Letterbox::new(448, 224)).is_none());
    }
}
