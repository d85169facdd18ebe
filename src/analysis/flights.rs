//! Flight phases: when both feet are off the ground, timed to a fraction of a frame.
//!
//! Contact comes from the toes' clearance above the local ground line. The centre of mass
//! during flight is fitted with a parabola, whose curvature is g (giving pixels per metre);
//! takeoff and landing are where that parabola, offset by the body's posture at the edge of
//! the flight, puts the toes exactly on the ground.

use super::frames::frames_between;
use super::signals::Signals;
use super::smooth::{fit_parabola, median, smooth};

/// Standard gravity.
pub const G: f64 = 9.81;
/// Shortest flight considered a jump or hop.
const MIN_FLIGHT_S: f64 = 0.08;
/// Toe clearance (fraction of leg length) above which a foot is off the ground: the toe
/// landmark rises a little while the foot rolls onto its ball during push-off.
const CONTACT_CLEARANCE: f64 = 0.08;
/// Window of the rolling ground estimate (longer than any flight).
const GROUND_HALF_WINDOW_S: f64 = 1.0;
/// Quantile of toe height taken as the ground (y grows downwards: a high quantile is low).
const GROUND_QUANTILE: f64 = 0.75;
/// Toe height (fraction of leg length) within which a raw toe sample counts as on the
/// ground when checking a sub-frame takeoff or landing against the toe track.
const EDGE_TOLERANCE: f64 = 0.02;
/// Span of airborne frames next to takeoff (landing) whose toe-to-centre-of-mass offset is
/// averaged; shorter than a frame at 30 fps.
const POSTURE_WINDOW_S: f64 = 0.03;

/// One flight phase.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    /// Index of the first airborne frame.
    pub first_airborne: usize,
    /// Index of the last airborne frame.
    pub last_airborne: usize,
    /// Sub-frame takeoff time in seconds.
    pub takeoff_s: f64,
    /// Sub-frame landing (first contact) time in seconds.
    pub landing_s: f64,
    /// Apex time from the parabola (or the highest sample).
    pub apex_s: f64,
    /// Pixels per metre from the parabola's curvature, when the fit is trustworthy.
    pub px_per_m: Option<f64>,
    /// RMS residual of the parabola fit in pixels.
    pub fit_rms_px: f64,
    /// Parabola `[a, b, c]` in `t − t0`, and `t0`.
    pub parabola: Option<([f64; 3], f64)>,
    /// Toe ground line (y pixels) before takeoff and after landing.
    pub ground_y: (f64, f64),
    /// The automatically detected (takeoff, landing) when a person corrected the edges.
    pub detected: Option<(f64, f64)>,
}

impl Flight {
    /// Flight time in seconds.
    pub fn duration_s(&self) -> f64 {
        self.landing_s - self.takeoff_s
    }

    /// Parabola value at `t`.
    pub fn parabola_at(&self, t: f64) -> Option<f64> {
        self.parabola
            .map(|([a, b, c], t0)| a * (t - t0).powi(2) + b * (t - t0) + c)
    }
}

/// Toe clearance above the ground, in pixels (positive is up), against the ground seen in the
/// preceding and in the following [`GROUND_HALF_WINDOW_S`].
///
/// The athlete often lands somewhere else in the picture than they took off (oblique views,
/// drift, a camera that tilts to follow the jump), so takeoff is judged against the ground
/// before it and landing against the ground after it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clearance {
    /// Clearance over the lowest toe position of the preceding window.
    pub past: Vec<f64>,
    /// Clearance over the lowest toe position of the following window.
    pub future: Vec<f64>,
}

impl Clearance {
    /// The smaller of the two clearances: positive only when clear of both grounds.
    pub fn both(&self, i: usize) -> f64 {
        let (p, f) = (self.past[i], self.future[i]);
        if p.is_nan() {
            f
        } else if f.is_nan() {
            p
        } else {
            p.min(f)
        }
    }
}

/// Computes [`Clearance`] for every frame.
pub fn toe_clearance(signals: &Signals) -> Clearance {
    let toe = smooth(&signals.t, &signals.toe_y, 0.02, 2).value;
    let n = toe.len();
    // A high quantile rather than the maximum: one wild toe sample must not move the ground.
    let mut scratch = Vec::new();
    let mut window_max = |lo: usize, hi: usize| {
        scratch.clear();
        scratch.extend(toe[lo..hi].iter().copied().filter(|v| v.is_finite()));
        if scratch.is_empty() {
            return f64::NAN;
        }
        let k = ((scratch.len() - 1) as f64 * GROUND_QUANTILE).round() as usize;
        let (_, v, _) = scratch.select_nth_unstable_by(k, f64::total_cmp);
        *v
    };
    let mut out = Clearance {
        past: vec![f64::NAN; n],
        future: vec![f64::NAN; n],
    };
    let (mut lo, mut hi) = (0usize, 0usize);
    for (i, &t) in signals.t.iter().enumerate().take(n) {
        while lo < i && signals.t[lo] < t - GROUND_HALF_WINDOW_S {
            lo += 1;
        }
        while hi < n && signals.t[hi] <= t + GROUND_HALF_WINDOW_S {
            hi += 1;
        }
        out.past[i] = window_max(lo, i + 1) - toe[i];
        out.future[i] = window_max(i, hi.max(i + 1)) - toe[i];
    }
    out
}

/// Finds every flight in the clip.
pub fn find_flights(signals: &Signals) -> Vec<Flight> {
    let clearance = toe_clearance(signals);
    let threshold = (CONTACT_CLEARANCE * signals.leg_length_px).max(3.0);
    let airborne: Vec<bool> = (0..signals.t.len())
        .map(|i| clearance.both(i) > threshold)
        .collect();
    let mut flights = Vec::new();
    let mut i = 0;
    let n = airborne.len();
    while i < n {
        if !airborne[i] {
            i += 1;
            continue;
        }
        let first = i;
        while i < n && airborne[i] {
            i += 1;
        }
        let mut first = first;
        let mut last = i - 1;
        // Clear of both grounds is the core of the flight; its edges are judged against the
        // ground on their own side.
        while first > 0 && clearance.past[first - 1] > threshold {
            first -= 1;
        }
        while last + 1 < n && clearance.future[last + 1] > threshold {
            last += 1;
        }
        i = i.max(last + 1);
        // A flight needs contact on both sides to be timed, with the feet in the picture.
        if first == 0
            || i >= n
            || !signals.toe_y[first - 1].is_finite()
            || !signals.toe_y[last + 1].is_finite()
        {
            continue;
        }
        let span = signals.t[i] - signals.t[first - 1];
        if span < MIN_FLIGHT_S {
            continue;
        }
        if let Some(f) = time_flight(signals, first, last) {
            tracing::debug!(
                first = f.first_airborne, last = f.last_airborne, takeoff = f.takeoff_s, landing = f.landing_s, apex = f.apex_s,
                px_per_m = ?f.px_per_m, rms = f.fit_rms_px, ground = ?f.ground_y,
                leg = signals.leg_length_px, "flight"
            );
            flights.push(f);
        }
    }
    flights
}

/// Times one airborne run `[first, last]` (from toe clearance) to sub-frame precision.
fn time_flight(s: &Signals, first: usize, last: usize) -> Option<Flight> {
    let t = &s.t;
    let com = &s.com_y;
    let apex_idx = (first..=last)
        .filter(|&k| com[k].is_finite())
        .min_by(|&x, &y| com[x].total_cmp(&com[y]))?;
    // Edge frames carry motion blur and posture change: fit the interior when long enough.
    let (fa, fb) = if last - first >= 5 {
        (first + 1, last - 1)
    } else {
        (first, last)
    };
    let fit = fit_parabola(&t[fa..=fb], &com[fa..=fb], t[apex_idx]);
    let (a, b) = (first, last);
    let (first, last) = (a.max(1), b.min(t.len() - 2));
    if last <= first {
        return None;
    }
    let t0 = t[apex_idx];
    let mut ground_before = local_ground(s, first - 1, true, None);
    let mut ground_after = local_ground(s, last + 1, false, None);
    // Small toe lifts only mean something against a steady ground line; when it moved between
    // takeoff and landing (camera motion, a landing elsewhere) the coarse estimates stay.
    let tol = (EDGE_TOLERANCE * s.leg_length_px).max(3.0);
    let steady = (ground_after - ground_before).abs() <= CONTACT_CLEARANCE * s.leg_length_px;
    if steady {
        // At high frame rates the 0.2 s next to `first` / `last` holds several frames already
        // airborne but still under the contact threshold: leave them out of the ground.
        ground_before = local_ground(s, first - 1, true, Some(tol));
        ground_after = local_ground(s, last + 1, false, Some(tol));
    }
    let (parabola, rms) = match fit {
        Some((coeffs, rms)) if coeffs[0] > 0.0 => (Some((coeffs, t0)), rms),
        _ => (None, f64::NAN),
    };
    let linear_takeoff = crossing(t[first - 1], t[first]);
    let linear_landing = crossing(t[last], t[last + 1]);
    let (mut takeoff_s, mut landing_s, apex_s, px_per_m) = match parabola {
        Some(([a, b, c], t0)) => {
            let apex = t0 - b / (2.0 * a);
            let p = |x: f64| a * (x - t0).powi(2) + b * (x - t0) + c;
            // The toes sit this far below the centre of mass just after takeoff and just
            // before landing; the event is when the parabola puts them on the ground. Averaged
            // over the airborne frames of the first (last) POSTURE_WINDOW_S, where the posture
            // barely changes: one frame at ≤ 30 fps, several at high rates, where a single
            // frame's landmark noise would otherwise be a large fraction of a frame interval.
            let posture = |ks: &mut dyn Iterator<Item = usize>| {
                let (sum, n) = ks
                    .map(|k| s.toe_y[k] - p(t[k]))
                    .filter(|v| v.is_finite())
                    .fold((0.0, 0usize), |(sum, n), v| (sum + v, n + 1));
                sum / n as f64
            };
            let posture_to =
                posture(&mut (first..=last).take_while(|&k| t[k] - t[first] < POSTURE_WINDOW_S));
            let posture_ld = posture(
                &mut (first..=last)
                    .rev()
                    .take_while(|&k| t[last] - t[k] < POSTURE_WINDOW_S),
            );
            // `first` and `last` are where the toes clear the contact threshold, which at high
            // frame rates or slow takeoffs (hops) is a frame or more into the flight. Over a
            // steady ground, a root before `first - 1` (after `last + 1`) is kept when it agrees
            // with the raw toe track: the parabola must not lift the toes clearly off the ground
            // at the last (first) frame where they were still seen on it, nor keep them down
            // once they were seen clear of it.
            let lift = |k: usize, ground: f64, posture: f64| ground - (p(t[k]) + posture);
            let on_ground = |k: usize, ground: f64| ground - s.toe_y[k] <= tol;
            let last_contact = steady
                .then(|| (0..first).rev().find(|&k| on_ground(k, ground_before)))
                .flatten();
            let first_contact = steady
                .then(|| (last + 1..t.len()).find(|&k| on_ground(k, ground_after)))
                .flatten();
            let to = solve_edge(a, b, c - (ground_before - posture_to), t0, true).filter(|x| {
                *x <= t[first]
                    && (*x >= t[first - 1]
                        || last_contact.is_some_and(|k| {
                            *x <= t[k + 1] && lift(k, ground_before, posture_to) <= 2.0 * tol
                        }))
            });
            let ld = solve_edge(a, b, c - (ground_after - posture_ld), t0, false).filter(|x| {
                *x >= t[last]
                    && (*x <= t[last + 1]
                        || first_contact.is_some_and(|k| {
                            *x >= t[k - 1] && lift(k, ground_after, posture_ld) <= 2.0 * tol
                        }))
            });
            (
                to.unwrap_or(linear_takeoff),
                ld.unwrap_or(linear_landing),
                apex,
                Some(2.0 * a / G),
            )
        }
        None => (linear_takeoff, linear_landing, t[apex_idx], None),
    };
    if !(landing_s > takeoff_s) {
        takeoff_s = linear_takeoff;
        landing_s = linear_landing;
    }
    // The flight reported is the one between these edges, refitted on the frames inside them:
    // a flight forced to its own edges (a correction left where it was) is then the same.
    with_edges(s, takeoff_s, landing_s).or_else(|| {
        // Very short flights give a poorly conditioned curvature: keep timing, drop the scale.
        let px_per_m = px_per_m.filter(|v| v.is_finite() && *v > 0.0 && last - first >= 4);
        Some(Flight {
            first_airborne: first,
            last_airborne: last,
            takeoff_s,
            landing_s,
            apex_s,
            px_per_m,
            fit_rms_px: rms,
            parabola,
            ground_y: (ground_before, ground_after),
            detected: None,
        })
    })
}

/// The flight between two given edges: its airborne frames are the frames strictly between
/// them, its parabola is fitted to their centre of mass, and its ground lines are measured
/// beside them. `None` when no frame lies between the edges or no contact frame beside them.
pub fn with_edges(s: &Signals, takeoff_s: f64, landing_s: f64) -> Option<Flight> {
    let t = &s.t;
    if !(takeoff_s.is_finite() && landing_s.is_finite() && landing_s > takeoff_s) {
        return None;
    }
    let airborne = frames_between(t, takeoff_s, landing_s);
    if airborne.is_empty() || airborne.start == 0 || airborne.end >= t.len() {
        return None;
    }
    let (first, last) = (airborne.start, airborne.end - 1);
    let com = &s.com_y;
    let apex_idx = (first..=last)
        .filter(|&k| com[k].is_finite())
        .min_by(|&x, &y| com[x].total_cmp(&com[y]))
        .unwrap_or(first);
    // Edge frames carry motion blur and posture change: fit the interior when long enough.
    let (fa, fb) = if last - first >= 5 {
        (first + 1, last - 1)
    } else {
        (first, last)
    };
    let t0 = t[apex_idx];
    let (parabola, rms) = match fit_parabola(&t[fa..=fb], &com[fa..=fb], t0) {
        Some((coeffs, rms)) if coeffs[0] > 0.0 => (Some((coeffs, t0)), rms),
        _ => (None, f64::NAN),
    };
    let apex_s = parabola.map_or(t0, |([a, b, _], t0)| t0 - b / (2.0 * a));
    // Very short flights give a poorly conditioned curvature: keep timing, drop the scale.
    let px_per_m = parabola
        .map(|([a, _, _], _)| 2.0 * a / G)
        .filter(|v| v.is_finite() && *v > 0.0 && last - first >= 4);
    let mut ground_y = (
        local_ground(s, first - 1, true, None),
        local_ground(s, last + 1, false, None),
    );
    if (ground_y.1 - ground_y.0).abs() <= CONTACT_CLEARANCE * s.leg_length_px {
        let tol = (EDGE_TOLERANCE * s.leg_length_px).max(3.0);
        ground_y = (
            local_ground(s, first - 1, true, Some(tol)),
            local_ground(s, last + 1, false, Some(tol)),
        );
    }
    Some(Flight {
        first_airborne: first,
        last_airborne: last,
        takeoff_s,
        landing_s,
        apex_s: if apex_s.is_finite() { apex_s } else { t0 },
        px_per_m,
        fit_rms_px: rms,
        parabola,
        ground_y,
        detected: None,
    })
}

/// Midpoint between a contact frame and an airborne frame (the fallback estimate).
fn crossing(ta: f64, tb: f64) -> f64 {
    f64::midpoint(ta, tb)
}

/// Root of `a·d² + b·d + c = 0` on the rising (`rising = true`, before the apex) or falling
/// side, returned as absolute time.
fn solve_edge(a: f64, b: f64, c: f64, t0: f64, rising: bool) -> Option<f64> {
    let disc = b * b - 4.0 * a * c;
    if !(disc >= 0.0) || a == 0.0 {
        return None;
    }
    let sq = disc.sqrt();
    let d = if rising {
        (-b - sq) / (2.0 * a)
    } else {
        (-b + sq) / (2.0 * a)
    };
    Some(t0 + d).filter(|v| v.is_finite())
}

/// Median toe y over up to 0.2 s of contact ending at (`before`) or starting at `edge`;
/// with `refine_above`, again without the samples more than that above the first median.
fn local_ground(s: &Signals, edge: usize, before: bool, refine_above: Option<f64>) -> f64 {
    let te = s.t[edge];
    let mut v: Vec<f64> = (0..s.t.len())
        .filter(|&k| {
            if before {
                k <= edge && s.t[k] >= te - 0.2
            } else {
                k >= edge && s.t[k] <= te + 0.2
            }
        })
        .map(|k| s.toe_y[k])
        .filter(|v| v.is_finite())
        .collect();
    let ground = median(&mut v);
    match refine_above {
        // Toes clearly above the ground are airborne frames next to the edge, not ground.
        Some(tol) => {
            v.retain(|y| ground - y <= tol);
            median(&mut v)
        }
        None => ground,
    }
}
