//! How far the background moves up or down in the picture: a camera that tilts to follow a
//! jump moves the floor and the athlete together, and the analysis takes that motion out.
//!
//! Each frame is reduced to a profile of its rows: the mean luma of each row over the columns
//! the athlete does not cover, differenced down the rows so that a change of exposure cancels.
//! The shift that best aligns a frame's profile with the previous frame's, refined to a
//! fraction of a row by a parabola through the best three, is the background's motion; their
//! sum is its displacement since the first frame.

use super::frame::{Affine, YuvImage};

/// Most profile rows (a 1280-pixel-high frame is read every 2.5 px).
const MAX_ROWS: usize = 512;
/// Columns the rows are averaged over.
const COLUMNS: usize = 64;
/// Fewest background columns that still tell the motion.
const MIN_BACKGROUND_COLUMNS: usize = 12;
/// Largest motion between two frames, as a share of the frame height.
const MAX_SHIFT_SHARE: f32 = 0.06;
/// Share of the frame height from the top where the rows used begin.
const FLOOR_FROM: f32 = 0.5;
/// Margin around the athlete's landmarks, as a share of their width, kept out of the profile.
const ATHLETE_MARGIN: f32 = 0.15;

/// Follows the background's vertical motion frame by frame.
#[derive(Debug, Default)]
pub struct BackgroundMotion {
    grey: Vec<f32>,
    previous: Option<Vec<f32>>,
    total_px: f32,
}

impl BackgroundMotion {
    /// A tracker of background motion that has seen no frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// The background's downward displacement since the first frame, in displayed pixels,
    /// after `image`. `athlete` are the athlete's landmark positions (displayed pixels): the
    /// columns they cover in the rows used are left out; without any every column is used.
    pub fn step(&mut self, image: &YuvImage<'_>, athlete: &[(f32, f32)]) -> f32 {
        let (width, height) = image.displayed_size();
        let (width, height) = (width as f32, height as f32);
        let rows = (height as usize).clamp(2, MAX_ROWS);
        let row_px = height / rows as f32;
        let column_px = width / COLUMNS as f32;
        self.grey.resize(rows * COLUMNS, 0.0);
        let map = Affine::new(
            [column_px, 0.0, 0.5 * column_px],
            [0.0, row_px, 0.5 * row_px],
        );
        image.sample_luma(&map, COLUMNS, rows, &mut self.grey);
        let first_row = (rows as f32 * FLOOR_FROM) as usize;
        let floor_y = first_row as f32 * row_px;
        let (lo, hi) = athlete
            .iter()
            .filter(|(x, y)| x.is_finite() && *y >= floor_y)
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), (x, _)| {
                (lo.min(*x), hi.max(*x))
            });
        let excluded = (lo <= hi).then(|| {
            let margin = ATHLETE_MARGIN * (hi - lo) + 0.02 * width;
            (lo - margin, hi + margin)
        });
        let background: Vec<usize> = (0..COLUMNS)
            .filter(|&c| {
                let x = (c as f32 + 0.5) * column_px;
                excluded.is_none_or(|(lo, hi)| x < lo || x > hi)
            })
            .collect();
        if background.len() < MIN_BACKGROUND_COLUMNS {
            // Too little background to see: the motion is unknown, taken as none.
            self.previous = None;
            return self.total_px;
        }
        // The floor near the feet is what the ground line follows; a camera that moves as it
        // tilts shifts the far background less (parallax), so the picture's lower part counts.
        let means: Vec<f32> = (first_row..rows)
            .map(|r| {
                let row = &self.grey[r * COLUMNS..(r + 1) * COLUMNS];
                background.iter().map(|&c| row[c]).sum::<f32>() / background.len() as f32
            })
            .collect();
        let profile: Vec<f32> = means.windows(2).map(|w| w[1] - w[0]).collect();
        if let Some(previous) = &self.previous {
            let max_shift = ((MAX_SHIFT_SHARE * rows as f32) as usize).max(1);
            if let Some(shift) = best_shift(previous, &profile, max_shift) {
                self.total_px += shift * row_px;
            }
        }
        self.previous = Some(profile);
        self.total_px
    }
}

/// Mean absolute difference of `current[r]` against `previous[r − shift]` over their overlap.
fn misfit(previous: &[f32], current: &[f32], shift: isize) -> f32 {
    let n = previous.len().min(current.len()) as isize;
    let (from, to) = (shift.max(0), (n + shift).min(n));
    if to - from < n / 2 {
        return f32::INFINITY;
    }
    let sum: f32 = (from..to)
        .map(|r| (current[r as usize] - previous[(r - shift) as usize]).abs())
        .sum();
    sum / (to - from) as f32
}

/// The shift (in rows, content moving down is positive) that best aligns `current` with
/// `previous`, to a fraction of a row; `None` when the profiles are flat (nothing to align).
fn best_shift(previous: &[f32], current: &[f32], max_shift: usize) -> Option<f32> {
    let max = max_shift as isize;
    let costs: Vec<f32> = (-max..=max).map(|d| misfit(previous, current, d)).collect();
    let (best, &cost) = costs.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1))?;
    let flat = current.iter().map(|x| x.abs()).sum::<f32>() / current.len().max(1) as f32;
    if !cost.is_finite() || flat < 1e-3 {
        return None;
    }
    let refined = match (best.checked_sub(1), costs.get(best + 1)) {
        (Some(left), Some(&right)) => {
            let left = costs[left];
            let curvature = left - 2.0 * cost + right;
            if curvature > 0.0 {
                (0.5 * (left - right) / curvature).clamp(-0.5, 0.5)
            } else {
                0.0
            }
        }
        _ => 0.0,
    };
    Some(best as f32 - max as f32 + refined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::{ColourMatrix, Plane, Rotation};

    /// A textured picture (rows of varying brightness) moved down by `shift` pixels.
    fn picture(w: usize, h: usize, shift: f32) -> Vec<u8> {
        (0..w * h)
            .map(|i| {
                let y = (i / w) as f32 - shift;
                (128.0 + 60.0 * (y * 0.07).sin() + 40.0 * (y * 0.23).cos()) as u8
            })
            .collect()
    }

    fn image<'a>(luma: &'a [u8], chroma: &'a [u8], w: usize, h: usize) -> YuvImage<'a> {
        YuvImage {
            y: Plane {
                data: luma,
                stride: w,
                width: w,
                height: h,
            },
            u: Plane {
                data: chroma,
                stride: w / 2,
                width: w / 2,
                height: h / 2,
            },
            v: Plane {
                data: chroma,
                stride: w / 2,
                width: w / 2,
                height: h / 2,
            },
            rotation: Rotation::None,
            matrix: ColourMatrix::Bt601Full,
        }
    }

    #[test]
    fn a_tilting_camera_is_followed_and_a_still_one_reads_still() {
        let (w, h) = (160, 400);
        let chroma = vec![128u8; w * h / 4];
        let mut motion = BackgroundMotion::new();
        let mut total = 0.0;
        for k in 0..10 {
            let luma = picture(w, h, 1.5 * k as f32);
            total = motion.step(&image(&luma, &chroma, w, h), &[]);
        }
        assert!(
            (total - 13.5).abs() < 1.0,
            "moved 13.5 px, measured {total}"
        );
        let mut still = BackgroundMotion::new();
        let luma = picture(w, h, 0.0);
        for _ in 0..10 {
            total = still.step(&image(&luma, &chroma, w, h), &[]);
        }
        assert!(total.abs() < 1e-3, "{total}");
    }
}
