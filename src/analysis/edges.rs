//! Takeoff and landing between frames, by a hinge fit of the toe track around each edge.
//!
//! Before takeoff the toe rests on the ground; after it, the toe rises with the centre of
//! mass, whose flight parabola is known from the whole flight. The takeoff is the instant that
//! joins the two pieces best, in least squares over every frame in a window around the edge.
//! Landing is the mirror image. Unlike one threshold crossing, the estimate uses several
//! frames and moves smoothly with the data, so a re-encoded copy of a clip, whose landmarks
//! differ by a pixel or two, gives nearly the same edges.

use std::ops::Range;

/// A vertical parabola `y = a·(t − t0)² + b·(t − t0) + c` (image y grows downwards, so a
/// flight has `a > 0` and its apex at the minimum).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parabola {
    /// Curvature (half the image-space acceleration).
    pub a: f64,
    /// Slope at `t0`.
    pub b: f64,
    /// Value at `t0`.
    pub c: f64,
    /// Time origin.
    pub t0: f64,
}

impl Parabola {
    /// Value at `t`.
    pub fn at(&self, t: f64) -> f64 {
        let d = t - self.t0;
        self.a * d * d + self.b * d + self.c
    }

    /// Time derivative at `t`.
    pub fn slope(&self, t: f64) -> f64 {
        2.0 * self.a * (t - self.t0) + self.b
    }

    /// When the parabola is at `level`: on the rising side (before the apex) or the falling
    /// side; `None` when it never is.
    pub fn time_at(&self, level: f64, rising: bool) -> Option<f64> {
        let disc = self.b * self.b - 4.0 * self.a * (self.c - level);
        if !(disc >= 0.0) || self.a == 0.0 {
            return None;
        }
        let root = disc.sqrt();
        let d = if rising {
            (-self.b - root) / (2.0 * self.a)
        } else {
            (-self.b + root) / (2.0 * self.a)
        };
        Some(self.t0 + d).filter(|v| v.is_finite())
    }
}

/// One fitted edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeFit {
    /// The instant of takeoff or landing.
    pub time_s: f64,
    /// The fitted ground line (toe y in contact).
    pub ground_y: f64,
    /// Standard error of `time_s` from the fit's residuals, in seconds.
    pub sigma_s: f64,
    /// RMS residual of the fit in pixels.
    pub rms_px: f64,
}

/// Which edge is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Contact before, flight after.
    Takeoff,
    /// Flight before, contact after.
    Landing,
}

/// Fits `edge` to the toe track `toe` (image y, NaN where unknown) at times `t` over the
/// frames `window`, with the flight following `flight`. `None` without at least two contact
/// frames and one airborne frame in the window.
pub fn fit(
    t: &[f64],
    toe: &[f64],
    flight: &Parabola,
    window: Range<usize>,
    edge: Edge,
) -> Option<EdgeFit> {
    let frames: Vec<(f64, f64)> = window
        .filter_map(|k| Some((*t.get(k)?, *toe.get(k)?)))
        .filter(|(tk, y)| tk.is_finite() && y.is_finite())
        .collect();
    let n = frames.len();
    if n < 3 {
        return None;
    }
    let rising = edge == Edge::Takeoff;
    let mut best: Option<(f64, EdgeFit)> = None;
    // Split j: for a takeoff frames [0, j) are in contact and [j, n) airborne, for a landing
    // the other way round; the edge lies between frames j − 1 and j.
    for j in 1..n {
        let airborne = |k: usize| if rising { k >= j } else { k < j };
        let in_air = (0..n).filter(|&k| airborne(k)).count();
        if in_air == 0 || n - in_air < 2 {
            continue;
        }
        let Some(candidate) = fit_split(&frames, flight, j, &airborne, in_air, rising) else {
            continue;
        };
        if best.as_ref().is_none_or(|(cost, _)| candidate.0 < *cost) {
            best = Some(candidate);
        }
    }
    best.map(|(_, fit)| fit)
}

/// The best edge between frames `j − 1` and `j` for one assignment of frames to contact and
/// flight, with its cost.
fn fit_split(
    frames: &[(f64, f64)],
    flight: &Parabola,
    j: usize,
    airborne: &dyn Fn(usize) -> bool,
    in_air: usize,
    rising: bool,
) -> Option<(f64, EdgeFit)> {
    let n = frames.len();
    let share = in_air as f64 / n as f64;
    // Model: contact frames at the ground G; airborne frames at G + P(t) − P(τ). With
    // u = P(τ) and G at its optimum, residual k is c_k + u·e_k (see the module doc).
    let adjusted: Vec<f64> = frames
        .iter()
        .enumerate()
        .map(|(k, &(tk, y))| if airborne(k) { y - flight.at(tk) } else { y })
        .collect();
    let mean = adjusted.iter().sum::<f64>() / n as f64;
    let (mut ce, mut ee) = (0.0, 0.0);
    for (k, a) in adjusted.iter().enumerate() {
        let e = f64::from(u8::from(airborne(k))) - share;
        ce += (a - mean) * e;
        ee += e * e;
    }
    if ee <= 0.0 {
        return None;
    }
    let (lo, hi) = (frames[j - 1].0, frames[j].0);
    let u_best = -ce / ee;
    // The edge where the flight is at u_best, kept between the two frames it must lie between.
    let tau = flight
        .time_at(u_best, rising)
        .unwrap_or(if rising { lo } else { hi })
        .clamp(lo, hi);
    let u = flight.at(tau);
    let ground = mean + share * u;
    let cost: f64 = adjusted
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let e = f64::from(u8::from(airborne(k))) - share;
            let r = a - mean + u * e;
            r * r
        })
        .sum();
    let dof = n.saturating_sub(2).max(1) as f64;
    let residual_sd = (cost / dof).sqrt();
    let slope = flight.slope(tau).abs().max(1e-9);
    let sigma_s = residual_sd / ee.sqrt() / slope;
    Some((
        cost,
        EdgeFit {
            time_s: tau,
            ground_y: ground,
            sigma_s,
            rms_px: (cost / n as f64).sqrt(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flight with apex at 1.0 s, 200 px above a ground at y = 500, seen at `fps`.
    fn scene(fps: f64, phase: f64) -> (Vec<f64>, Vec<f64>, Parabola, f64, f64) {
        let a = 1600.0;
        let p = Parabola {
            a,
            b: 0.0,
            c: 300.0,
            t0: 1.0,
        };
        // Toes 60 px below the centre of mass in flight: edges where P = 440.
        let takeoff = p.time_at(440.0, true).unwrap();
        let landing = p.time_at(440.0, false).unwrap();
        let t: Vec<f64> = (0..(2.0 * fps) as usize)
            .map(|k| (k as f64 + phase) / fps)
            .collect();
        let toe = t
            .iter()
            .map(|&x| {
                if x > takeoff && x < landing {
                    p.at(x) + 60.0
                } else {
                    500.0
                }
            })
            .collect();
        (t, toe, p, takeoff, landing)
    }

    #[test]
    fn the_hinge_finds_exact_edges_between_frames() {
        for fps in [25.0, 30.0, 60.0, 240.0] {
            for phase in [0.0, 0.3, 0.77] {
                let (t, toe, p, takeoff, landing) = scene(fps, phase);
                let first = t.iter().position(|&x| x > takeoff).unwrap();
                let last = t.iter().rposition(|&x| x < landing).unwrap();
                let w = (0.3 * fps) as usize;
                let to = fit(
                    &t,
                    &toe,
                    &p,
                    first.saturating_sub(w)..first + 4,
                    Edge::Takeoff,
                )
                .unwrap();
                let ld = fit(
                    &t,
                    &toe,
                    &p,
                    last.saturating_sub(3)..last + w,
                    Edge::Landing,
                )
                .unwrap();
                assert!((to.time_s - takeoff).abs() < 1e-6, "{fps} {phase}: {to:?}");
                assert!((ld.time_s - landing).abs() < 1e-6, "{fps} {phase}: {ld:?}");
                assert!((to.ground_y - 500.0).abs() < 1e-6 && to.rms_px < 1e-6);
            }
        }
    }

    #[test]
    fn the_edge_moves_smoothly_with_the_data() {
        let (t, mut toe, p, _, _) = scene(30.0, 0.4);
        let first = toe.iter().position(|&y| y < 499.0).unwrap();
        let window = first - 8..first + 4;
        let base = fit(&t, &toe, &p, window.clone(), Edge::Takeoff)
            .unwrap()
            .time_s;
        // Nudging the first airborne frame by up to 2 px moves the edge by far less than a
        // frame, and continuously.
        let mut previous = base;
        for step in 1..=20 {
            toe[first] += 0.1;
            let now = fit(&t, &toe, &p, window.clone(), Edge::Takeoff)
                .unwrap()
                .time_s;
            assert!(
                (now - previous).abs() < 0.002,
                "step {step}: {previous} → {now}"
            );
            previous = now;
        }
        assert!((previous - base).abs() < 0.01, "{base} → {previous}");
    }

    #[test]
    fn the_parabola_inverts() {
        let p = Parabola {
            a: 2.0,
            b: -4.0,
            c: 1.0,
            t0: 0.5,
        };
        let apex = 1.5;
        let up = p.time_at(3.0, true).unwrap();
        let down = p.time_at(3.0, false).unwrap();
        assert!(up < apex && down > apex);
        assert!((p.at(up) - 3.0).abs() < 1e-9 && (p.at(down) - 3.0).abs() < 1e-9);
        assert!(p.time_at(-5.0, true).is_none());
        assert!((p.slope(apex)).abs() < 1e-12);
    }
}
