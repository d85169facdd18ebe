//! BlazePose person detector: 224² input (the letterboxed frame, and tiles of a wide one),
//! 2254 SSD anchors, weighted NMS keeping every person found.

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
/// Frames this much longer than wide (or wider than tall) are also searched in tiles: in a
/// 2560×720 frame of two athletes side by side, each is 22 detector pixels tall letterboxed,
/// too small to be found.
pub(crate) const TILE_ASPECT: f32 = 2.0;

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

/// A square of the picture the detector looks at, scaled to its input; parts outside the
/// picture are black. The whole frame is the square of its long side, centred (a letterbox);
/// a tile is a square of the short side, so a wide frame's people are not shrunk below the
/// size the detector finds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Window {
    x0: f32,
    y0: f32,
    side: f32,
}

impl Window {
    /// The whole `width × height` frame, letterboxed.
    pub(crate) fn letterbox(width: u32, height: u32) -> Self {
        let (w, h) = (width as f32, height as f32);
        let side = w.max(h);
        Self {
            x0: (w - side) / 2.0,
            y0: (h - side) / 2.0,
            side,
        }
    }

    /// The windows that cover a `width × height` frame: the letterbox and, when the frame is
    /// at least [`TILE_ASPECT`] times longer than wide (or the reverse), squares of its short
    /// side overlapping by half along the long side.
    pub(crate) fn covering(width: u32, height: u32) -> Vec<Self> {
        let mut windows = vec![Self::letterbox(width, height)];
        let (long, short) = (width.max(height) as f32, width.min(height) as f32);
        if !(short > 0.0 && long / short >= TILE_ASPECT) {
            return windows;
        }
        let steps = ((long - short) / (short / 2.0)).ceil().max(1.0);
        let stride = (long - short) / steps;
        for i in 0..=(steps as usize) {
            let along = stride * i as f32;
            let (x0, y0) = if width >= height {
                (along, 0.0)
            } else {
                (0.0, along)
            };
            windows.push(Self {
                x0,
                y0,
                side: short,
            });
        }
        windows
    }

    /// Map from detector-input pixels to image pixels.
    pub(crate) fn input_to_image(self) -> Affine {
        let k = self.side / INPUT_SIZE as f32;
        Affine::scale_translate(k, self.x0, self.y0)
    }

    /// Image pixels of a point in normalised window coordinates.
    fn to_image(self, p: (f32, f32)) -> (f32, f32) {
        (p.0 * self.side + self.x0, p.1 * self.side + self.y0)
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

/// Decodes raw detector outputs (`regressors`: 2254×12, `logits`: 2254) into every person
/// found, strongest first, MediaPipe-style: score threshold, weighted non-maximum suppression
/// (each cluster of overlapping boxes averaged by score), window removal.
pub(crate) fn decode(
    regressors: &[f32],
    logits: &[f32],
    anchors: &[(f32, f32)],
    window: Window,
) -> Vec<Detection> {
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
    let mut people = Vec::new();
    while let Some(best) = candidates.first().copied() {
        let (cluster, rest): (Vec<Candidate>, Vec<Candidate>) = candidates
            .into_iter()
            .partition(|c| iou(&c.bbox, &best.bbox) > NMS_IOU);
        candidates = rest;
        let total: f32 = cluster.iter().map(|c| c.score).sum();
        if !(total > 0.0) {
            continue;
        }
        let mut kp = [(0.0f32, 0.0f32); 2];
        for c in &cluster {
            for (acc, p) in kp.iter_mut().zip(c.kp) {
                acc.0 += p.0 * c.score;
                acc.1 += p.1 * c.score;
            }
        }
        let kp = kp.map(|(x, y)| window.to_image((x / total, y / total)));
        people.push(Detection {
            score: best.score,
            hip_centre: kp[0],
            scale_point: kp[1],
        });
    }
    people
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
        let found = decode(&reg, &logits, &anchors, Window::letterbox(448, 224));
        assert_eq!(found.len(), 1, "one cluster: {found:?}");
        let det = found[0];
        assert!((det.hip_centre.0 - (0.55 * 448.0)).abs() < 1e-3, "{det:?}");
        assert!((det.hip_centre.1 - (0.5 * 448.0 - 112.0)).abs() < 1e-3);
        assert!((det.scale_point.1 - (0.3 * 448.0 - 112.0)).abs() < 1e-3);
        assert!(decode(&reg, &[-5.0; 3], &anchors, Window::letterbox(448, 224)).is_empty());
        assert!(decode(&reg, &[f32::NAN; 3], &anchors, Window::letterbox(448, 224)).is_empty());
    }

    #[test]
    fn two_apart_people_are_two_detections_strongest_first() {
        let anchors = vec![(0.25, 0.5), (0.75, 0.5)];
        let mut reg = vec![0.0; 2 * REGRESSORS];
        for r in reg.chunks_exact_mut(REGRESSORS) {
            r[2] = 44.8;
            r[3] = 44.8;
            r[7] = -44.8;
        }
        let found = decode(&reg, &[2.0, 6.0], &anchors, Window::letterbox(224, 224));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!((found[0].hip_centre.0 - 168.0).abs() < 1e-3, "{found:?}");
        assert!((found[1].hip_centre.0 - 56.0).abs() < 1e-3, "{found:?}");
    }

    #[test]
    fn wide_frames_are_covered_by_overlapping_tiles_of_their_height() {
        assert_eq!(
            Window::covering(1280, 720).len(),
            1,
            "16:9 is letterboxed only"
        );
        let tiles = Window::covering(2560, 720);
        assert_eq!(tiles[0], Window::letterbox(2560, 720));
        let squares = &tiles[1..];
        assert!(
            squares
                .iter()
                .all(|t| (t.side - 720.0).abs() < 1e-3 && t.y0 == 0.0)
        );
        assert_eq!(squares.first().map(|t| t.x0), Some(0.0));
        assert!((squares.last().map_or(0.0, |t| t.x0 + t.side) - 2560.0).abs() < 1e-3);
        for pair in squares.windows(2) {
            let step = pair[1].x0 - pair[0].x0;
            assert!(
                step > 0.0 && step <= 360.0 + 1e-3,
                "tiles overlap by half: {step}"
            );
        }
        let tall = Window::covering(720, 2560);
        assert!(
            tall[1..]
                .iter()
                .all(|t| t.x0 == 0.0 && (t.side - 720.0).abs() < 1e-3)
        );
    }
}
