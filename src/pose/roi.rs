//! The rotated square region the landmark model looks at.

use serde::{Deserialize, Serialize};

use crate::video::Affine;

/// MediaPipe's ROI expansion: twice the hip-to-scale-point distance, enlarged by 1.25.
const SIDE_PER_DISTANCE: f32 = 2.0 * 1.25;

/// A rotated square in displayed-image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Roi {
    /// Centre x.
    pub cx: f32,
    /// Centre y.
    pub cy: f32,
    /// Side length.
    pub side: f32,
    /// Rotation in radians; 0 for an upright person, positive turns clockwise on screen.
    pub angle: f32,
}

impl Roi {
    /// From the hip centre and the full-body scale/rotation point (pixels), as MediaPipe's
    /// `pose_detection_to_roi` and `pose_landmarks_to_roi` build it.
    pub fn from_alignment_points(centre: (f32, f32), scale_point: (f32, f32)) -> Self {
        let (dx, dy) = (scale_point.0 - centre.0, scale_point.1 - centre.1);
        let angle = normalise_angle(std::f32::consts::FRAC_PI_2 - (-dy).atan2(dx));
        Self {
            cx: centre.0,
            cy: centre.1,
            side: SIDE_PER_DISTANCE * dx.hypot(dy),
            angle,
        }
    }

    /// Whether the ROI is usable (finite, not degenerate).
    pub fn is_valid(&self) -> bool {
        self.cx.is_finite()
            && self.cy.is_finite()
            && self.angle.is_finite()
            && self.side.is_finite()
            && self.side > 4.0
    }

    /// Distance between the two regions' centres, in sides of the larger one: how people are
    /// told apart (two regions under half a side apart follow one person).
    pub fn distance_in_sides(&self, other: &Self) -> f32 {
        (self.cx - other.cx).hypot(self.cy - other.cy) / self.side.max(other.side).max(1.0)
    }

    /// Map from `size × size` crop pixels to image pixels (corner-aligned, as MediaPipe's
    /// `ImageToTensor`: a half-pixel error here moves landmarks by about one crop pixel).
    pub fn crop_to_image(&self, size: usize) -> Affine {
        let (sin, cos) = self.angle.sin_cos();
        let k = self.side / size as f32;
        let h = self.side / 2.0;
        Affine::new(
            [cos * k, -sin * k, self.cx - cos * h + sin * h],
            [sin * k, cos * k, self.cy - sin * h - cos * h],
        )
    }

    /// Image pixels of a point given in normalised crop coordinates (0..1).
    pub fn project(&self, xn: f32, yn: f32) -> (f32, f32) {
        let (sin, cos) = self.angle.sin_cos();
        let (dx, dy) = (xn - 0.5, yn - 0.5);
        (
            self.cx + self.side * (cos * dx - sin * dy),
            self.cy + self.side * (sin * dx + cos * dy),
        )
    }
}

/// Wraps an angle to `[-π, π)`.
fn normalise_angle(a: f32) -> f32 {
    use std::f32::consts::PI;
    (a + PI).rem_euclid(2.0 * PI) - PI
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upright_person_gives_unrotated_roi_of_two_and_a_half_distances() {
        let roi = Roi::from_alignment_points((100.0, 200.0), (100.0, 100.0));
        assert!(roi.angle.abs() < 1e-6);
        assert!((roi.side - 250.0).abs() < 1e-4);
        // Lying person, head to the right: scale point to the right of the hips.
        let roi = Roi::from_alignment_points((100.0, 200.0), (200.0, 200.0));
        assert!((roi.angle - std::f32::consts::FRAC_PI_2).abs() < 1e-6);
    }

    #[test]
    fn crop_map_and_projection_agree() {
        let roi = Roi {
            cx: 320.0,
            cy: 240.0,
            side: 300.0,
            angle: 0.4,
        };
        let map = roi.crop_to_image(256);
        for (u, v) in [(0.0, 0.0), (128.0, 128.0), (256.0, 17.0), (31.0, 250.0)] {
            let a = map.apply(u, v);
            let b = roi.project(u / 256.0, v / 256.0);
            assert!(
                (a.0 - b.0).abs() < 1e-3 && (a.1 - b.1).abs() < 1e-3,
                "{a:?} {b:?}"
            );
        }
        assert_eq!(roi.project(0.5, 0.5), (320.0, 240.0));
        assert!(
            !Roi {
                side: f32::NAN,
                ..roi
            }
            .is_valid()
        );
    }
}
