//! How the background moves in the picture: a camera that tilts, pans or zooms to follow a
//! jump moves and scales the floor and the athlete together, and the analysis takes that
//! motion out.
//!
//! Each frame's lower half (the floor near the feet) is reduced to a small grey picture.
//! Textured patches of a key picture that no one covers are found again in this one (a
//! coarse search around where the last frame's motion put them, then a fine one, to a
//! fraction of a pixel), and a zoom-and-shift is fitted to their motions with the outliers
//! (a moving team-mate, a caption) left out. Every frame is matched against the key, not
//! against the frame before, so a still camera reads still however long the clip (errors do
//! not add up frame by frame); the key moves on only when the picture has moved far from it.

use serde::{Deserialize, Serialize};

use super::frame::{Affine, YuvImage};

/// The short side of the grey picture, in pixels.
const SHORT_SIDE: usize = 160;
/// Share of the frame height from the top where the floor rows begin.
const FLOOR_FROM: f32 = 0.5;
/// Half the side of a patch at full grey resolution (patches are 11 × 11).
const PATCH_HALF: isize = 5;
/// Distance between candidate patch centres, in grey pixels.
const PATCH_STEP: usize = 10;
/// Most patches followed per frame (the best textured).
const MAX_PATCHES: usize = 24;
/// Fewest patches that agree on a motion for it to be believed.
const MIN_INLIERS: usize = 6;
/// Largest change of motion between two frames, as a share of the short side.
const MAX_SHIFT_SHARE: f32 = 0.05;
/// The coarse search's reach (coarse pixels) tried first: a camera's motion changes little
/// from one frame to the next, and the full reach is searched only when this one fails.
const NEAR_RADIUS: isize = 2;
/// Margin around the athlete's landmarks, as a share of their width, kept out of the floor.
const ATHLETE_MARGIN: f32 = 0.15;
/// Weakest texture (smaller eigenvalue of the patch's gradient tensor, per pixel, in grey
/// levels squared) a patch needs to be located in both directions.
const MIN_TEXTURE: f32 = 4.0;
/// A patch whose motion is further than this (grey pixels) from the fitted one is an outlier.
const INLIER_PX: f32 = 0.6;
/// Shift from the key (share of the short side) beyond which the next frame becomes the key:
/// its patches are leaving the picture.
const NEW_KEY_SHIFT_SHARE: f32 = 0.1;
/// Zoom from the key beyond which the next frame becomes the key: its patches no longer look
/// alike.
const NEW_KEY_ZOOM: f32 = 0.05;
/// Zoom from the key beyond which a fit is not believed (no phone zooms that fast).
const MAX_ZOOM: f32 = 0.12;
/// Frames in a row without a motion after which the next frame becomes the key.
const LOST_FRAMES: usize = 5;

/// Where the camera has moved the background since the first frame: a point of the first
/// frame's background at `p` is now at `scale · p + (dx, dy)` (displayed pixels).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CameraMotion {
    /// How much larger the background looks than in the first frame (1 = no zoom).
    pub scale: f32,
    /// Horizontal shift in displayed pixels.
    pub dx: f32,
    /// Vertical shift in displayed pixels (down is positive).
    pub dy: f32,
}

impl Default for CameraMotion {
    fn default() -> Self {
        Self::STILL
    }
}

impl CameraMotion {
    /// No motion.
    pub const STILL: Self = Self {
        scale: 1.0,
        dx: 0.0,
        dy: 0.0,
    };

    /// A point of this frame in the first frame's background.
    #[must_use]
    pub fn to_first(self, x: f32, y: f32) -> (f32, f32) {
        ((x - self.dx) / self.scale, (y - self.dy) / self.scale)
    }

    /// This motion followed by `then`.
    fn then(self, then: Self) -> Self {
        Self {
            scale: then.scale * self.scale,
            dx: then.scale * self.dx + then.dx,
            dy: then.scale * self.dy + then.dy,
        }
    }
}

/// The floor of one frame as a small grey picture.
#[derive(Debug, Default, Clone)]
struct Floor {
    /// Grey levels, row by row.
    grey: Vec<f32>,
    /// The same at half resolution, for the coarse search.
    coarse: Vec<f32>,
    width: usize,
    height: usize,
}

impl Floor {
    fn at(&self, x: isize, y: isize) -> f32 {
        self.grey[y as usize * self.width + x as usize]
    }

    fn coarse_at(&self, x: isize, y: isize) -> f32 {
        self.coarse[y as usize * (self.width / 2) + x as usize]
    }
}

/// The picture the frames are matched against.
#[derive(Debug)]
struct Key {
    floor: Floor,
    /// Centres of its textured patches no one covered, best first.
    patches: Vec<(isize, isize)>,
    /// The background's motion from the first frame to the key, in displayed pixels.
    motion: CameraMotion,
}

/// Follows the background's motion frame by frame.
#[derive(Debug, Default)]
pub struct BackgroundMotion {
    key: Option<Key>,
    current: Floor,
    /// The motion from the key to the last frame, in grey pixels (the search starts there).
    from_key: CameraMotion,
    /// Frames in a row whose motion was not seen.
    lost: usize,
    total: CameraMotion,
}

impl BackgroundMotion {
    /// A tracker of background motion that has seen no frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// The background's motion since the first frame, after `image`. `people` are the
    /// landmark positions (displayed pixels) of everyone in view: the columns they cover are
    /// left out; without any the whole floor is used.
    pub fn step(&mut self, image: &YuvImage<'_>, people: &[(f32, f32)]) -> CameraMotion {
        let (width, height) = image.displayed_size();
        let (width, height) = (width as f32, height as f32);
        // Displayed pixels per grey pixel, the same along both axes.
        let px = width.min(height) / SHORT_SIDE as f32;
        let grey_w = ((width / px) as usize).max(8) & !1;
        let grey_h_all = (height / px) as usize;
        let top = (grey_h_all as f32 * FLOOR_FROM) as usize;
        let grey_h = grey_h_all.saturating_sub(top).max(8) & !1;
        self.sample(image, px, (grey_w, grey_h), top);
        let excluded = excluded_columns(people, top as f32 * px, width, px);
        let found = self
            .key
            .as_ref()
            .and_then(|key| frame_motion(key, &self.current, top, excluded, self.from_key));
        let same_size = self
            .key
            .as_ref()
            .is_some_and(|key| key.floor.width == grey_w && key.floor.height == grey_h);
        match (found, self.key.as_ref()) {
            (Some((motion, _)), Some(key)) => {
                self.from_key = motion;
                self.lost = 0;
                // Grey pixel centres are at px·(u + ½) displayed pixels.
                let displayed = CameraMotion {
                    scale: motion.scale,
                    dx: px * motion.dx + 0.5 * px * (1.0 - motion.scale),
                    dy: px * motion.dy + 0.5 * px * (1.0 - motion.scale),
                };
                self.total = key.motion.then(displayed);
                let far = motion.dx.hypot(motion.dy)
                    > NEW_KEY_SHIFT_SHARE * grey_w.min(grey_h_all) as f32
                    || (motion.scale - 1.0).abs() > NEW_KEY_ZOOM;
                if far {
                    self.new_key(excluded);
                }
            }
            // Not seen in this frame (someone in the way, motion blur): taken as none since
            // the last frame seen, against the same key, unless it has not been seen for a
            // while (the picture moved away from the key).
            (None, Some(_)) if same_size && self.lost < LOST_FRAMES => self.lost += 1,
            // The first frame: it is the key.
            _ => {
                self.lost = 0;
                self.new_key(excluded);
            }
        }
        self.total
    }

    /// Makes the current picture the key, its patches outside `excluded`.
    fn new_key(&mut self, excluded: Option<(f32, f32)>) {
        let floor = std::mem::take(&mut self.current);
        let patches = textured_patches(&floor, excluded);
        if let Some(older) = self.key.replace(Key {
            floor,
            patches,
            motion: self.total,
        }) {
            // Its buffers are reused for the next frame.
            self.current = older.floor;
        }
        self.from_key = CameraMotion::STILL;
    }

    /// The floor rows of `image` from grey row `top` down into `self.current`, one sample per
    /// grey pixel (averaging 2 × 2 against aliasing cost more than all the matching).
    fn sample(&mut self, image: &YuvImage<'_>, px: f32, (w, h): (usize, usize), top: usize) {
        let map = Affine::new([px, 0.0, 0.5 * px], [0.0, px, 0.5 * px + top as f32 * px]);
        let floor = &mut self.current;
        floor.width = w;
        floor.height = h;
        floor.grey.resize(w * h, 0.0);
        image.sample_luma(&map, w, h, &mut floor.grey);
        floor.coarse.clear();
        for y in 0..h / 2 {
            for x in 0..w / 2 {
                let g = |dx: usize, dy: usize| floor.grey[(2 * y + dy) * w + 2 * x + dx];
                floor
                    .coarse
                    .push(0.25 * (g(0, 0) + g(1, 0) + g(0, 1) + g(1, 1)));
            }
        }
    }
}

/// The grey columns (as a range of x) around everyone's landmarks on the floor, kept out.
fn excluded_columns(
    people: &[(f32, f32)],
    floor_y: f32,
    width: f32,
    px: f32,
) -> Option<(f32, f32)> {
    let (lo, hi) = people
        .iter()
        .filter(|(x, y)| x.is_finite() && *y >= floor_y)
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), (x, _)| {
            (lo.min(*x), hi.max(*x))
        });
    (lo <= hi).then(|| {
        let margin = ATHLETE_MARGIN * (hi - lo) + 0.02 * width;
        ((lo - margin) / px, (hi + margin) / px)
    })
}

/// Whether a patch centred at grey column `x` reaches into the excluded columns.
fn covered(excluded: Option<(f32, f32)>, x: f32) -> bool {
    let reach = PATCH_HALF as f32 + 1.0;
    excluded.is_some_and(|(lo, hi)| x + reach > lo && x - reach < hi)
}

/// A patch of the key to look for: its centre in the key's floor, the same in frame
/// coordinates, and where the last motion puts it in this floor.
#[derive(Debug, Clone, Copy)]
struct Sought {
    at: (isize, isize),
    from: (f32, f32),
    guess: (f32, f32),
}

/// A patch of the previous floor and where it was found in this one (grey pixels).
#[derive(Debug, Clone, Copy)]
struct Match {
    from: (f32, f32),
    to: (f32, f32),
}

/// The motion from the key to `current` in grey pixels (floor coordinates shifted by `top`
/// rows to frame coordinates) and how many patches agree on it, when enough do. `predicted`
/// is the last frame's; patches it puts where someone is now are left out.
fn frame_motion(
    key: &Key,
    current: &Floor,
    top: usize,
    excluded: Option<(f32, f32)>,
    predicted: CameraMotion,
) -> Option<(CameraMotion, usize)> {
    let previous = &key.floor;
    if previous.width != current.width || previous.height != current.height {
        return None;
    }
    let top = top as f32;
    let full_radius = ((MAX_SHIFT_SHARE * current.width.min(current.height + top as usize) as f32)
        / 2.0)
        .ceil() as isize;
    let patches: Vec<Sought> = key
        .patches
        .iter()
        .filter_map(|&(x, y)| {
            let (fx, fy) = (x as f32, y as f32 + top);
            let to = (
                predicted.scale * fx + predicted.dx,
                predicted.scale * fy + predicted.dy - top,
            );
            (!covered(excluded, to.0)).then_some(Sought {
                at: (x, y),
                from: (fx, fy),
                guess: to,
            })
        })
        .take(MAX_PATCHES)
        .collect();
    let search = |radius: isize| -> Vec<Match> {
        patches
            .iter()
            .filter_map(|p| {
                let found = locate(previous, current, p.at, p.guess, radius)?;
                Some(Match {
                    from: p.from,
                    to: (found.0, found.1 + top),
                })
            })
            .collect()
    };
    let near = search(NEAR_RADIUS.min(full_radius));
    if let Some(found) = fit_zoom_and_shift(&near)
        .filter(|_| full_radius <= NEAR_RADIUS || near.len() * 2 >= patches.len())
    {
        return Some(found);
    }
    let matches = search(full_radius);
    let motion = fit_zoom_and_shift(&matches);
    tracing::trace!(patches = matches.len(), ?motion, "background");
    motion
}

/// The textured patches of the floor outside the excluded columns, best first (as many again
/// as are followed, for those someone covers later).
fn textured_patches(floor: &Floor, excluded: Option<(f32, f32)>) -> Vec<(isize, isize)> {
    let margin = (2 * PATCH_HALF) as usize;
    let mut candidates: Vec<(f32, (isize, isize))> = Vec::new();
    for y in (margin..floor.height.saturating_sub(margin)).step_by(PATCH_STEP) {
        for x in (margin..floor.width.saturating_sub(margin)).step_by(PATCH_STEP) {
            if covered(excluded, x as f32) {
                continue;
            }
            let texture = weakest_gradient(floor, x as isize, y as isize);
            if texture >= MIN_TEXTURE {
                candidates.push((texture, (x as isize, y as isize)));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    candidates
        .into_iter()
        .take(2 * MAX_PATCHES)
        .map(|(_, centre)| centre)
        .collect()
}

/// The smaller eigenvalue of the patch's gradient tensor per pixel: large only where the
/// texture pins the patch down both across and along (not on a straight edge).
fn weakest_gradient(floor: &Floor, cx: isize, cy: isize) -> f32 {
    let (mut xx, mut xy, mut yy) = (0.0, 0.0, 0.0);
    for y in cy - PATCH_HALF..=cy + PATCH_HALF {
        for x in cx - PATCH_HALF..=cx + PATCH_HALF {
            let gx = 0.5 * (floor.at(x + 1, y) - floor.at(x - 1, y));
            let gy = 0.5 * (floor.at(x, y + 1) - floor.at(x, y - 1));
            xx += gx * gx;
            xy += gx * gy;
            yy += gy * gy;
        }
    }
    let n = ((2 * PATCH_HALF + 1) * (2 * PATCH_HALF + 1)) as f32;
    let (xx, xy, yy) = (xx / n, xy / n, yy / n);
    let mean = 0.5 * (xx + yy);
    mean - (0.25 * (xx - yy).powi(2) + xy * xy).sqrt()
}

/// Sum of a patch's grey levels.
fn patch_sum(half: isize, f: impl Fn(isize, isize) -> f32, (x, y): (isize, isize)) -> f32 {
    let mut sum = 0.0;
    for j in -half..=half {
        for i in -half..=half {
            sum += f(x + i, y + j);
        }
    }
    sum
}

/// Mean squared difference of two patches, each less its own mean (a change of exposure
/// cancels), `None` when the second reaches outside its picture. `a_sum` is the first's
/// [`patch_sum`], the same for every place the second is tried. Squared rather than absolute
/// so that the cost is smooth around its least and a parabola through three costs finds the
/// fraction of a pixel.
fn patch_cost(
    half: isize,
    (a, a_at, a_sum): (impl Fn(isize, isize) -> f32, (isize, isize), f32),
    (b, b_at): (impl Fn(isize, isize) -> f32, (isize, isize)),
    (bw, bh): (isize, isize),
) -> Option<f32> {
    let ((ax, ay), (bx, by)) = (a_at, b_at);
    if bx - half < 0 || by - half < 0 || bx + half >= bw || by + half >= bh {
        return None;
    }
    let n = ((2 * half + 1) * (2 * half + 1)) as f32;
    let offset = (patch_sum(half, &b, b_at) - a_sum) / n;
    let mut cost = 0.0;
    for j in -half..=half {
        for i in -half..=half {
            cost += (b(bx + i, by + j) - a(ax + i, ay + j) - offset).powi(2);
        }
    }
    Some(cost / n)
}

/// Where the patch of `previous` centred at `from` is in `current`: the best place within
/// `radius` coarse pixels of `guess`, refined at full resolution to a fraction of a pixel;
/// `None` when it is best at the edge of the search (it moved further) or leaves the picture.
fn locate(
    previous: &Floor,
    current: &Floor,
    from: (isize, isize),
    guess: (f32, f32),
    radius: isize,
) -> Option<(f32, f32)> {
    let (cw, ch) = ((current.width / 2) as isize, (current.height / 2) as isize);
    let coarse_from = (from.0 / 2, from.1 / 2);
    let centre = (
        (guess.0 / 2.0).round() as isize,
        (guess.1 / 2.0).round() as isize,
    );
    let half = PATCH_HALF / 2 + 1;
    let coarse_previous = |x, y| previous.coarse_at(x, y);
    let coarse_sum = patch_sum(half, coarse_previous, coarse_from);
    let mut best: Option<(f32, isize, isize)> = None;
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            let at = (centre.0 + dx, centre.1 + dy);
            let Some(cost) = patch_cost(
                half,
                (coarse_previous, coarse_from, coarse_sum),
                (|x, y| current.coarse_at(x, y), at),
                (cw, ch),
            ) else {
                continue;
            };
            if best.is_none_or(|(b, _, _)| cost < b) {
                best = Some((cost, dx, dy));
            }
        }
    }
    let (_, dx, dy) = best?;
    if dx.abs() == radius || dy.abs() == radius {
        return None;
    }
    // Full resolution, within a coarse pixel of the coarse best.
    let (fw, fh) = (current.width as isize, current.height as isize);
    // A coarse pixel is two fine ones: the coarse displacement, doubled, from `from`.
    let start = (
        from.0 + 2 * (centre.0 + dx - coarse_from.0),
        from.1 + 2 * (centre.1 + dy - coarse_from.1),
    );
    let fine_previous = |x, y| previous.at(x, y);
    let fine_sum = patch_sum(PATCH_HALF, fine_previous, from);
    let cost_at = |x: isize, y: isize| {
        patch_cost(
            PATCH_HALF,
            (fine_previous, from, fine_sum),
            (|x, y| current.at(x, y), (x, y)),
            (fw, fh),
        )
    };
    // The 3 × 3 around the coarse best, then only the neighbours the best one's fraction needs.
    let mut costs = [[None::<f32>; 5]; 5];
    let mut cost = |i: usize, j: usize| -> f32 {
        *costs[j][i].get_or_insert_with(|| {
            cost_at(start.0 + i as isize - 2, start.1 + j as isize - 2).unwrap_or(f32::INFINITY)
        })
    };
    let (mut bi, mut bj) = (2, 2);
    for j in 1..4 {
        for i in 1..4 {
            if cost(i, j) < cost(bi, bj) {
                (bi, bj) = (i, j);
            }
        }
    }
    let sub = |l: f32, c: f32, r: f32| {
        let curvature = l - 2.0 * c + r;
        if curvature > 0.0 && l.is_finite() && r.is_finite() {
            (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
        } else {
            0.0
        }
    };
    let fx = sub(cost(bi - 1, bj), cost(bi, bj), cost(bi + 1, bj));
    let fy = sub(cost(bi, bj - 1), cost(bi, bj), cost(bi, bj + 1));
    Some((
        (start.0 + bi as isize - 2) as f32 + fx,
        (start.1 + bj as isize - 2) as f32 + fy,
    ))
}

/// The zoom and shift that carry most patches to where they were found, then refitted by
/// least squares on those; `None` when too few agree.
///
/// Every single patch proposes a shift and every pair a zoom and shift; the proposal most
/// patches agree with wins (all are tried: there are at most a few hundred), a zoom only when
/// it carries clearly more patches than any shift alone, since patches close together can
/// tell a zoom from a shift only by noise, and a team-mate moving beside a still floor would
/// otherwise read as one.
fn fit_zoom_and_shift(matches: &[Match]) -> Option<(CameraMotion, usize)> {
    if matches.len() < MIN_INLIERS {
        return None;
    }
    let agreeing = |motion: CameraMotion| {
        matches
            .iter()
            .filter(|m| residual(motion, m) <= INLIER_PX)
            .count()
    };
    let shift_of = |m: &Match| CameraMotion {
        scale: 1.0,
        dx: m.to.0 - m.from.0,
        dy: m.to.1 - m.from.1,
    };
    let best_shift = matches
        .iter()
        .map(|m| (agreeing(shift_of(m)), shift_of(m)))
        .max_by_key(|(count, _)| *count)?;
    let best_zoom = matches
        .iter()
        .enumerate()
        .flat_map(|(i, a)| matches[i + 1..].iter().map(move |b| (a, b)))
        .filter_map(|(a, b)| zoom_through(a, b))
        .map(|motion| (agreeing(motion), motion))
        .max_by_key(|(count, _)| *count);
    let zoomed = best_zoom.filter(|(count, _)| *count >= best_shift.0 + best_shift.0 / 10 + 2);
    let (count, proposal) = zoomed.unwrap_or(best_shift);
    if count < MIN_INLIERS {
        return None;
    }
    let inliers: Vec<Match> = matches
        .iter()
        .copied()
        .filter(|m| residual(proposal, m) <= INLIER_PX)
        .collect();
    let fitted = least_squares(&inliers, zoomed.is_some())?;
    let kept = agreeing(fitted);
    // Most of the patches followed must agree: a floor where only a few do (little texture,
    // much in motion) tells no motion.
    (kept >= MIN_INLIERS && 2 * kept >= matches.len() && (fitted.scale - 1.0).abs() <= MAX_ZOOM)
        .then_some((fitted, kept))
}

/// The zoom and shift that carry two patches exactly (as near as a zoom without rotation
/// can), when they are far enough apart to tell.
fn zoom_through(a: &Match, b: &Match) -> Option<CameraMotion> {
    let (x, y) = (a.from.0 - b.from.0, a.from.1 - b.from.1);
    let (u, v) = (a.to.0 - b.to.0, a.to.1 - b.to.1);
    let apart = x * x + y * y;
    if apart < (4 * PATCH_HALF * PATCH_HALF) as f32 {
        return None;
    }
    let scale = (x * u + y * v) / apart;
    Some(CameraMotion {
        scale,
        dx: 0.5 * (a.to.0 + b.to.0) - scale * 0.5 * (a.from.0 + b.from.0),
        dy: 0.5 * (a.to.1 + b.to.1) - scale * 0.5 * (a.from.1 + b.from.1),
    })
}

/// How far a patch was found from where `motion` puts it.
fn residual(motion: CameraMotion, m: &Match) -> f32 {
    let x = motion.scale * m.from.0 + motion.dx;
    let y = motion.scale * m.from.1 + motion.dy;
    (x - m.to.0).hypot(y - m.to.1)
}

/// The least-squares shift of the matches, with a zoom (about their centroid, so the three
/// unknowns separate) when `zoom`.
fn least_squares(matches: &[Match], zoom: bool) -> Option<CameraMotion> {
    let n = matches.len() as f32;
    if n < 2.0 {
        return None;
    }
    let (mx, my) = matches
        .iter()
        .fold((0.0, 0.0), |(x, y), m| (x + m.from.0 / n, y + m.from.1 / n));
    let (ux, uy) = matches.iter().fold((0.0, 0.0), |(x, y), m| {
        (x + (m.to.0 - m.from.0) / n, y + (m.to.1 - m.from.1) / n)
    });
    let (mut num, mut den) = (0.0, 0.0);
    for m in matches {
        let (x, y) = (m.from.0 - mx, m.from.1 - my);
        let (u, v) = (m.to.0 - m.from.0 - ux, m.to.1 - m.from.1 - uy);
        num += x * u + y * v;
        den += x * x + y * y;
    }
    let change = if zoom && den > 0.0 { num / den } else { 0.0 };
    Some(CameraMotion {
        scale: 1.0 + change,
        dx: ux - change * mx,
        dy: uy - change * my,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::{ColourMatrix, Plane, Rotation};

    /// A textured floor (blobs of varying brightness) seen through `motion`: the point `p` of
    /// the first picture is at `scale · p + shift`.
    fn picture(w: usize, h: usize, motion: CameraMotion) -> Vec<u8> {
        (0..w * h)
            .map(|i| {
                let (x, y) = motion.to_first((i % w) as f32, (i / w) as f32);
                let v = 128.0
                    + 50.0 * (x * 0.11).sin() * (y * 0.13).cos()
                    + 30.0 * (x * 0.031 + y * 0.047).sin()
                    + 20.0 * (x * 0.23 - y * 0.07).cos();
                v.clamp(0.0, 255.0) as u8
            })
            .collect()
    }

    fn image<'a>(luma: &'a [u8], chroma: &'a [u8], w: usize, h: usize) -> YuvImage<'a> {
        let plane = |data, width, height| Plane {
            data,
            stride: width,
            width,
            height,
        };
        YuvImage {
            y: plane(luma, w, h),
            u: plane(chroma, w / 2, h / 2),
            v: plane(chroma, w / 2, h / 2),
            rotation: Rotation::None,
            matrix: ColourMatrix::Bt601Full,
        }
    }

    fn follow(w: usize, h: usize, motions: impl Iterator<Item = CameraMotion>) -> CameraMotion {
        let chroma = vec![128u8; w * h / 4];
        let mut background = BackgroundMotion::new();
        let mut total = CameraMotion::STILL;
        for motion in motions {
            let luma = picture(w, h, motion);
            total = background.step(&image(&luma, &chroma, w, h), &[]);
        }
        total
    }

    #[test]
    fn a_tilting_panning_camera_is_followed_and_a_still_one_reads_still() {
        let moved = follow(
            320,
            480,
            (0..10).map(|k| CameraMotion {
                scale: 1.0,
                dx: -1.2 * k as f32,
                dy: 1.5 * k as f32,
            }),
        );
        assert!(
            (moved.dy - 13.5).abs() < 0.5,
            "moved 13.5 px down, measured {moved:?}"
        );
        assert!(
            (moved.dx + 10.8).abs() < 0.5,
            "moved 10.8 px left, measured {moved:?}"
        );
        assert!((moved.scale - 1.0).abs() < 0.005, "{moved:?}");
        let still = follow(320, 480, (0..10).map(|_| CameraMotion::STILL));
        assert!(still.dy.abs() < 0.05 && still.dx.abs() < 0.05, "{still:?}");
        assert!((still.scale - 1.0).abs() < 1e-4, "{still:?}");
    }

    #[test]
    fn a_zooming_camera_is_followed() {
        // Zooming in by 1 % a frame about the picture's centre (640 × 360).
        let zoom = |k: usize| {
            let s = 1.01f32.powi(k as i32);
            CameraMotion {
                scale: s,
                dx: 320.0 * (1.0 - s),
                dy: 180.0 * (1.0 - s),
            }
        };
        let last = zoom(12);
        let measured = follow(640, 360, (0..=12).map(zoom));
        assert!(
            (measured.scale - last.scale).abs() < 0.01,
            "{measured:?} against {last:?}"
        );
        // A point of the floor near the bottom lands where the zoom puts it.
        let (x, y) = (200.0, 330.0);
        let (ex, ey) = (last.scale * x + last.dx, last.scale * y + last.dy);
        let (mx, my) = (
            measured.scale * x + measured.dx,
            measured.scale * y + measured.dy,
        );
        assert!(
            (mx - ex).abs() < 1.0 && (my - ey).abs() < 1.0,
            "({mx}, {my}) against ({ex}, {ey})"
        );
    }

    #[test]
    fn a_flat_picture_gives_no_motion() {
        let (w, h) = (160, 240);
        let luma = vec![90u8; w * h];
        let chroma = vec![128u8; w * h / 4];
        let mut background = BackgroundMotion::new();
        for _ in 0..3 {
            assert_eq!(
                background.step(&image(&luma, &chroma, w, h), &[]),
                CameraMotion::STILL
            );
        }
    }
}
