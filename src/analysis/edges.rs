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
///
/// The standard error comes from the profile of the fit's cost: every edge time whose best
/// cost stays within the 95 % χ² bound of the minimum is plausible, so an edge that two frame
/// assignments explain almost equally well gets a wide interval.
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
    let splits: Vec<Split> = (1..n)
        .filter_map(|j| Split::new(&frames, flight, j, rising))
        .collect();
    let best = splits
        .iter()
        .map(|s| (s, s.best(flight)))
        .min_by(|a, b| a.1.1.total_cmp(&b.1.1))?;
    let (split, (tau, cost)) = best;
    let dof = n.saturating_sub(2).max(1) as f64;
    let variance = cost / dof;
    // χ²(1) at 95 %: the edge times whose profile cost is within this of the minimum.
    // (Student's t for the dozen frames of a low frame rate widened the intervals past what
    // 1 000 synthetic jumps needed: 96 % coverage at 3.1 × the median error.)
    let bound = cost + 3.841_459 * variance;
    let (mut lo, mut hi) = (tau, tau);
    for s in &splits {
        if let Some((a, b)) = s.within(bound, flight) {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    let u = flight.at(tau);
    Some(EdgeFit {
        time_s: tau,
        ground_y: split.mean + split.share * u,
        sigma_s: (hi - lo) / (2.0 * 1.959_964),
        rms_px: (cost / n as f64).sqrt(),
    })
}

/// One assignment of a window's frames to contact and flight: for a takeoff frames `[0, j)`
/// are in contact and `[j, n)` airborne, for a landing the other way round, and the edge lies
/// between frames `j − 1` and `j`.
///
/// Model: contact frames sit on the ground G, airborne frames at G + P(t) − P(τ). With
/// u = P(τ) and G at its optimum, residual k is `c[k] + u·e[k]`, so the cost is the quadratic
/// `Σc² + 2u·Σce + u²·Σe²` in u.
struct Split {
    lo: f64,
    hi: f64,
    rising: bool,
    cc: f64,
    ce: f64,
    ee: f64,
    mean: f64,
    share: f64,
}

impl Split {
    fn new(frames: &[(f64, f64)], flight: &Parabola, j: usize, rising: bool) -> Option<Self> {
        let n = frames.len();
        let airborne = |k: usize| if rising { k >= j } else { k < j };
        let in_air = (0..n).filter(|&k| airborne(k)).count();
        if in_air == 0 || n - in_air < 2 {
            return None;
        }
        let share = in_air as f64 / n as f64;
        let adjusted: Vec<f64> = frames
            .iter()
            .enumerate()
            .map(|(k, &(tk, y))| if airborne(k) { y - flight.at(tk) } else { y })
            .collect();
        let mean = adjusted.iter().sum::<f64>() / n as f64;
        let (mut cc, mut ce, mut ee) = (0.0, 0.0, 0.0);
        for (k, a) in adjusted.iter().enumerate() {
            let c = a - mean;
            let e = f64::from(u8::from(airborne(k))) - share;
            cc += c * c;
            ce += c * e;
            ee += e * e;
        }
        (ee > 0.0).then_some(Self {
            lo: frames[j - 1].0,
            hi: frames[j].0,
            rising,
            cc,
            ce,
            ee,
            mean,
            share,
        })
    }

    fn cost(&self, u: f64) -> f64 {
        (self.cc + 2.0 * u * self.ce + u * u * self.ee).max(0.0)
    }

    /// The edge between this split's frames with the lowest cost, and that cost.
    fn best(&self, flight: &Parabola) -> (f64, f64) {
        let u_best = -self.ce / self.ee;
        let far = if self.rising { self.lo } else { self.hi };
        let tau = flight
            .time_at(u_best, self.rising)
            .unwrap_or(far)
            .clamp(self.lo, self.hi);
        (tau, self.cost(flight.at(tau)))
    }

    /// The edge times between this split's frames whose cost is at most `bound`.
    fn within(&self, bound: f64, flight: &Parabola) -> Option<(f64, f64)> {
        let u_best = -self.ce / self.ee;
        let room = bound - self.cost(u_best);
        if !(room >= 0.0) {
            return None;
        }
        let d = (room / self.ee).sqrt();
        // The flight is monotonic on each side of its apex, so a range of levels is a range
        // of times; levels it never reaches map to this split's far frame.
        let far = if self.rising { self.lo } else { self.hi };
        let a = flight.time_at(u_best - d, self.rising).unwrap_or(far);
        let b = flight.time_at(u_best + d, self.rising).unwrap_or(far);
        let (a, b) = (a.min(b).max(self.lo), a.max(b).min(self.hi));
        (a <= b).then_some((a, b))
    }
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
    }
}
