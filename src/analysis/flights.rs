//! Flight phases: when both feet are off the ground, timed to a fraction of a frame.
//!
//! Contact comes from the toes' clearance above the local ground line. The centre of mass
//! during flight is fitted with a parabola, whose curvature is g (giving pixels per metre);
//! takeoff and landing are where that parabola, offset by the body's posture at the edge of
//! the flight, puts the toes exactly on the ground.

use super::edges::{self, Edge, EdgeFit, Parabola};
use super::frames::{frame_at_or_after, frames_between};
use super::ground::toe_clearance;
use super::signals::Signals;
use super::smooth::{fit_parabola, median, parabola_curvature_se};

/// Standard gravity.
pub const G: f64 = 9.81;
/// Shortest flight considered a jump or hop.
pub const MIN_FLIGHT_S: f64 = 0.08;
/// Toe clearance (fraction of leg length) above which a foot is off the ground: the toe
/// landmark rises a little while the foot rolls onto its ball during push-off.
const CONTACT_CLEARANCE: f64 = 0.08;
/// Toe height (fraction of leg length) within which a raw toe sample counts as on the
/// ground when measuring the ground line beside a flight.
const EDGE_TOLERANCE: f64 = 0.02;
/// Contact before a takeoff (after a landing) that the edge fit looks at.
const EDGE_CONTACT_S: f64 = 0.3;
/// Flight after a takeoff (before a landing) that the edge fit looks at: the toe follows the
/// centre of mass that long before the legs tuck.
const EDGE_FLIGHT_S: f64 = 0.13;
/// A flight's own curvature within this fraction of the clip's typical one is taken to be
/// the same gravity at the same distance, and the clip's (steadier) value is used.
const SAME_CURVATURE: f64 = 0.2;
/// A core of more frames than this is long enough for the flight's own parabola; a shorter
/// one (a hop) is fitted together with the frames between it and the contacts beside it.
const LONG_CORE_FRAMES: usize = 9;
/// Assumed hip-to-ankle length in metres, only to judge whether a curvature is gravity's.
const NOMINAL_LEG_M: f64 = 0.85;
/// A flight parabola whose RMS residual exceeds this share of the leg length does not follow
/// the centre of mass (part of the body left the picture or was hidden): its curvature is no
/// scale, and its edges are no timing.
pub const UNTRUSTED_FIT_SHARE: f64 = 0.05;

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
    /// Standard error of the takeoff time in seconds (NaN when unknown).
    pub takeoff_sigma_s: f64,
    /// Standard error of the landing time in seconds (NaN when unknown).
    pub landing_sigma_s: f64,
    /// How much the flight time moves when the parabola's curvature moves by its standard
    /// error (both edges move, in opposite directions), in seconds; NaN when unknown.
    pub curvature_sigma_s: f64,
    /// Whether takeoff and landing were timed from the toes alone, the centre of mass's
    /// parabola not being followed through the flight.
    pub toes_only: bool,
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

/// Finds every flight in the clip.
pub fn find_flights(signals: &Signals) -> Vec<Flight> {
    let runs = airborne_runs(signals);
    // Curvature of each run's centre of mass, and the clip's typical one: flights filmed from
    // the same place share it (it is g in pixels), and a median over them is steadier than
    // any one fit.
    // A long enough core is all flight; a short one (a low hop) needs the frames beside it.
    let own: Vec<Option<(f64, f64)>> = runs
        .iter()
        .map(|r| {
            let span = if r.last - r.first >= LONG_CORE_FRAMES {
                (r.first, r.last)
            } else {
                r.fit
            };
            free_parabola(signals, span).map(|(p, se)| (p.a, se))
        })
        .collect();
    let (mut plausible, mut plausible_se): (Vec<f64>, Vec<f64>) = runs
        .iter()
        .zip(&own)
        .filter(|(r, _)| r.last - r.first >= 5)
        .filter_map(|(_, a)| *a)
        .filter(|(a, _)| gravity_ratio(*a, signals).is_some_and(|r| (0.6..=1.6).contains(&r)))
        .unzip();
    let typical = median(&mut plausible);
    // The typical curvature's standard error from the spread of the flights' own, and never
    // below what their own fits allow: three flights can agree by chance, and an error in the
    // shared curvature moves every flight of the clip the same way.
    let typical_se = if plausible.len() >= 3 {
        let count = (plausible.len() as f64).sqrt();
        let mut spread: Vec<f64> = plausible.iter().map(|a| (a - typical).abs()).collect();
        (1.4826 * median(&mut spread) / count).max(median(&mut plausible_se) / count)
    } else {
        f64::NAN
    };
    let mut flights = Vec::new();
    for (i, (run, own)) in runs.iter().zip(&own).enumerate() {
        let curvature = match (*own, typical.is_finite()) {
            (Some((a, se)), true) if (a / typical - 1.0).abs() <= SAME_CURVATURE => {
                Some(Curvature {
                    a: typical,
                    se: if typical_se.is_finite() {
                        typical_se
                    } else {
                        se
                    },
                    shared: true,
                })
            }
            (a, _) => a.map(|(a, se)| Curvature {
                a,
                se,
                shared: false,
            }),
        };
        let previous = i.checked_sub(1).map(|p| runs[p].last);
        let next = runs.get(i + 1).map(|r| r.first);
        if let Some(f) = time_flight(signals, run, curvature, previous, next) {
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

/// Runs of frames whose toes are clear of the ground (the cores of flights), with contact
/// seen on both sides and the feet in the picture.
fn airborne_runs(signals: &Signals) -> Vec<Run> {
    let clearance = toe_clearance(signals);
    let threshold = (CONTACT_CLEARANCE * signals.leg_length_px).max(3.0);
    let airborne: Vec<bool> = (0..signals.t.len())
        .map(|i| clearance.both(i) > threshold)
        .collect();
    let mut runs = Vec::new();
    let mut i = 0;
    let n = airborne.len();
    while i < n {
        if !airborne[i] {
            i += 1;
            continue;
        }
        let mut first = i;
        while i < n && airborne[i] {
            i += 1;
        }
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
        if signals.t[i] - signals.t[first - 1] >= MIN_FLIGHT_S {
            // The parabola's first fit takes every frame between the contacts on either side:
            // a low hop's core can be a frame or two around its apex, too few for a parabola.
            // (The flight is refitted between its edges once they are known.) Without both
            // contacts, the frames clear of the ground by half the threshold.
            let (before, after) = clearance.contacts_around(first);
            let contacts = (
                before.filter(|b| b.last < first).map(|b| b.first),
                after.filter(|a| a.first > last).map(|a| a.last),
            );
            let (fit_first, fit_last) = match (before, after) {
                (Some(b), Some(a)) if b.last < first && a.first > last => (b.last + 1, a.first - 1),
                _ => {
                    let (mut fit_first, mut fit_last) = (first, last);
                    while fit_first > 1 && clearance.past[fit_first - 1] > 0.5 * threshold {
                        fit_first -= 1;
                    }
                    while fit_last + 2 < n && clearance.future[fit_last + 1] > 0.5 * threshold {
                        fit_last += 1;
                    }
                    (fit_first, fit_last)
                }
            };
            runs.push(Run {
                first,
                last,
                fit: (fit_first, fit_last),
                contacts,
            });
        }
    }
    runs
}

/// The curvature a flight's parabola is given.
#[derive(Debug, Clone, Copy)]
struct Curvature {
    /// Half the image-space acceleration (px/s²).
    a: f64,
    /// Its standard error.
    se: f64,
    /// Whether it is the clip's typical curvature rather than the flight's own.
    shared: bool,
}

/// The core of a flight found in the toe track.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// First frame clear of the ground.
    first: usize,
    /// Last frame clear of the ground.
    last: usize,
    /// The frames the flight parabola is fitted to (the run, widened for low flights).
    fit: (usize, usize),
    /// The first frame of the still contact before the run and the last of the one after,
    /// when the ground model found them: every frame of a contact is on the ground.
    contacts: (Option<usize>, Option<usize>),
}

/// The frames a flight parabola is fitted to: edge frames carry motion blur and posture
/// change, so the interior when the span is long enough.
fn fit_frames((first, last): (usize, usize)) -> (usize, usize) {
    if last - first >= 5 {
        (first + 1, last - 1)
    } else {
        (first, last)
    }
}

/// The centre of mass's parabola over a span of frames, all three coefficients free, and the
/// standard error of its curvature.
fn free_parabola(s: &Signals, span: (usize, usize)) -> Option<(Parabola, f64)> {
    let (fa, fb) = fit_frames(span);
    let t0 = s.t[usize::midpoint(span.0, span.1)];
    let (t, y) = (&s.t[fa..=fb], &s.com_y[fa..=fb]);
    match fit_parabola(t, y, t0) {
        Some(([a, b, c], rms)) if a > 0.0 => {
            let se = parabola_curvature_se(t, y, t0, rms).unwrap_or(f64::NAN);
            Some((Parabola { a, b, c, t0 }, se))
        }
        _ => None,
    }
}

/// The parabola over a span of frames with its curvature given: only its vertex is fitted,
/// which the frames around the apex pin down well.
fn parabola_with_curvature(s: &Signals, span: (usize, usize), a: f64) -> Option<Parabola> {
    let (fa, fb) = fit_frames(span);
    let t0 = s.t[usize::midpoint(span.0, span.1)];
    let (mut n, mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for k in fa..=fb {
        let (x, y) = (s.t[k] - t0, s.com_y[k]);
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let y = y - a * x * x;
        n += 1.0;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    let det = n * sxx - sx * sx;
    if n < 3.0 || det.abs() < 1e-12 {
        return None;
    }
    let b = (n * sxy - sx * sy) / det;
    let c = (sy - b * sx) / n;
    Some(Parabola { a, b, c, t0 })
}

/// A curvature as a share of gravity's for this body size (1 = a jump filmed in real time).
fn gravity_ratio(a: f64, s: &Signals) -> Option<f64> {
    (s.leg_length_px.is_finite() && s.leg_length_px > 0.0)
        .then(|| (2.0 * a / G) / (s.leg_length_px / NOMINAL_LEG_M))
}

/// Times one airborne run `[first, last]` (from toe clearance) to sub-frame precision: each
/// edge is a hinge fit of the toe track against the flight parabola (`edges`), using the
/// contact before (after) it up to the neighbouring runs `previous_last` / `next_first`.
fn time_flight(
    s: &Signals,
    run: &Run,
    curvature: Option<Curvature>,
    previous_last: Option<usize>,
    next_first: Option<usize>,
) -> Option<Flight> {
    let t = &s.t;
    let (first, last) = (run.first, run.last);
    if first == 0 || last + 1 >= t.len() || last < first {
        return None;
    }
    let edges_with = |a: f64, span: (usize, usize)| {
        let p = parabola_with_curvature(s, span, a)?;
        fit_edges(s, run, &p, previous_last, next_first)
    };
    let first_pass = curvature.and_then(|c| edges_with(c.a, run.fit));
    // Second pass: the parabola refitted on the frames between the first pass's edges, which
    // leaves out the push-off and landing frames the first fit may have taken (a flight's
    // own curvature is refitted there too).
    let refined = curvature.zip(first_pass).and_then(|(c, (to, ld))| {
        let frames = frames_between(t, to.time_s, ld.time_s);
        let span = (frames.len() >= 10).then(|| (frames.start, frames.end - 1))?;
        let a = if c.shared || frames.len() < 6 {
            c.a
        } else {
            free_parabola(s, span).map_or(c.a, |(p, _)| p.a)
        };
        Some((a, c.se, span))
    });
    let fitted = refined
        .and_then(|(a, _, span)| edges_with(a, span))
        .or(first_pass);
    // The flight time moved by a curvature one standard error higher (on the span the edges
    // came from: a short hop keeps its first pass).
    let basis = refined.or_else(|| curvature.map(|c| (c.a, c.se, run.fit)));
    let curvature_sigma_s = basis
        .zip(fitted)
        .and_then(|((a, se, span), (to, ld))| {
            let (to2, ld2) = edges_with(a + se, span).filter(|_| se.is_finite() && se > 0.0)?;
            Some(((ld2.time_s - to2.time_s) - (ld.time_s - to.time_s)).abs())
        })
        .unwrap_or(f64::NAN);
    // Without a parabola (a flight of a few frames), midway between contact and flight, known
    // to half a frame either way (the SD of a uniform spread).
    let midway = |a: usize, b: usize| EdgeFit {
        time_s: f64::midpoint(t[a], t[b]),
        ground_y: f64::NAN,
        sigma_s: (t[b] - t[a]) / 12f64.sqrt(),
        rms_px: f64::NAN,
    };
    let (takeoff, landing) = match fitted {
        Some((to, ld)) if ld.time_s > to.time_s => (to, ld),
        _ => (midway(first - 1, first), midway(last, last + 1)),
    };
    // The flight reported is the one between these edges, refitted on the frames inside them:
    // a flight forced to its own edges (a correction left where it was) is then the same.
    let flight = with_edges(s, takeoff.time_s, landing.time_s).map(|f| Flight {
        takeoff_sigma_s: takeoff.sigma_s,
        landing_sigma_s: landing.sigma_s,
        curvature_sigma_s,
        ..f
    })?;
    if (parabola_follows_the_body(flight.fit_rms_px, s) && !head_leaves_the_picture(&flight, s))
        || flight.parabola.is_none()
    {
        return Some(flight);
    }
    // The parabola the edges were fitted against is not the body's flight: time the edges
    // where the toes cross the ground line instead.
    let (takeoff, landing) = toe_crossings(s, run)?;
    // Nor is its curvature the scale.
    with_edges(s, takeoff.time_s, landing.time_s).map(|f| Flight {
        takeoff_sigma_s: takeoff.sigma_s,
        landing_sigma_s: landing.sigma_s,
        toes_only: true,
        px_per_m: None,
        ..f
    })
}

/// Whether the head is above the top of the picture in any airborne frame of the flight.
fn head_leaves_the_picture(f: &Flight, s: &Signals) -> bool {
    s.head_out
        .get(f.first_airborne..=f.last_airborne)
        .is_some_and(|frames| frames.iter().any(|&out| out))
}

/// Whether a flight parabola missing the centre of mass by `rms_px` (RMS) follows it closely
/// enough to time and scale the flight (an unknown miss is taken as close).
fn parabola_follows_the_body(rms_px: f64, s: &Signals) -> bool {
    !(rms_px > UNTRUSTED_FIT_SHARE * s.leg_length_px)
}

/// Takeoff and landing where the raw toe track crosses half the contact clearance above the
/// ground beside the run (low enough to be near the instant the foot leaves or meets the
/// ground, above the toe's jitter while standing), interpolated between the two frames;
/// known to half a frame. `None` when a crossing is not seen.
fn toe_crossings(s: &Signals, run: &Run) -> Option<(EdgeFit, EdgeFit)> {
    let (t, toe) = (&s.t, &s.toe_y);
    if run.first == 0 || run.last + 1 >= t.len() {
        return None;
    }
    let tol = (EDGE_TOLERANCE * s.leg_length_px).max(3.0);
    let above = 0.5 * CONTACT_CLEARANCE * s.leg_length_px;
    // Image y grows downwards: a toe above the level is in the air.
    let in_air = |k: usize, level: f64| toe[k].is_finite() && toe[k] < level;
    let crossing = |ground: usize, air: usize, level: f64, ground_y: f64| {
        let (a, b) = (toe[ground], toe[air]);
        let share = ((a - level) / (a - b)).clamp(0.0, 1.0);
        EdgeFit {
            time_s: t[ground] + share * (t[air] - t[ground]),
            ground_y,
            sigma_s: 0.5 * (t[air] - t[ground]).abs(),
            rms_px: f64::NAN,
        }
    };
    let before = local_ground(s, run.first - 1, true, Some(tol));
    let level = before - above;
    let after = local_ground(s, run.last + 1, false, Some(tol));
    let level_after = after - above;
    // Out from the toes' highest frame while they stay in the air: a toe that dips for a
    // frame before the push-off ends is not the flight.
    let peak = (run.first..=run.last)
        .filter(|&k| toe[k].is_finite())
        .min_by(|&a, &b| toe[a].total_cmp(&toe[b]))?;
    if !(in_air(peak, level) && in_air(peak, level_after)) {
        return None;
    }
    let mut first = peak;
    while first > 1 && in_air(first - 1, level) {
        first -= 1;
    }
    let mut last = peak;
    while last + 2 < t.len() && in_air(last + 1, level_after) {
        last += 1;
    }
    if !(toe[first - 1].is_finite()
        && toe[last + 1].is_finite()
        && before.is_finite()
        && after.is_finite())
    {
        return None;
    }
    Some((
        crossing(first - 1, first, level, before),
        crossing(last + 1, last, level_after, after),
    ))
}

/// Both edges of a run fitted against the flight parabola `p`.
fn fit_edges(
    s: &Signals,
    run: &Run,
    p: &Parabola,
    previous_last: Option<usize>,
    next_first: Option<usize>,
) -> Option<(EdgeFit, EdgeFit)> {
    let t = &s.t;
    let (first, last) = (run.first, run.last);
    // The flight side of each edge's window reaches at most to the apex, so the two edges of a
    // short hop never share frames.
    let apex = p.t0 - p.b / (2.0 * p.a);
    let takeoff_until = (t[first] + EDGE_FLIGHT_S).min(apex);
    let landing_from = (t[last] - EDGE_FLIGHT_S).max(apex);
    // Between two flights, only the middle of the contact is surely on the ground: the frames
    // next to the other flight may be in the air with the toes still low.
    // A still contact found by the ground model is on the ground throughout, which matters
    // for a contact of three frames (100 ms at 30 fps).
    let start = previous_last.map_or(0, |k| usize::midpoint(k, first) + 1);
    let start = run
        .contacts
        .0
        .filter(|&c| c < start)
        .map_or(start, |c| c.max(previous_last.map_or(0, |k| k + 1)));
    let end = next_first.map_or(t.len(), |k| usize::midpoint(last, k) + 1);
    let end = run
        .contacts
        .1
        .filter(|&c| c + 1 > end)
        .map_or(end, |c| (c + 1).min(next_first.unwrap_or(t.len())));
    let from = |time: f64| frame_at_or_after(t, time).max(start);
    let to = |time: f64| (frame_at_or_after(t, time) + 1).min(end);
    let takeoff = edges::fit(
        t,
        &s.toe_y,
        p,
        from(t[first] - EDGE_CONTACT_S)..to(takeoff_until),
        Edge::Takeoff,
    )?;
    let landing = edges::fit(
        t,
        &s.toe_y,
        p,
        from(landing_from)..to(t[last] + EDGE_CONTACT_S),
        Edge::Landing,
    )?;
    Some((takeoff, landing))
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
    // Very short flights give a poorly conditioned curvature, and a parabola that misses the
    // centre of mass a wrong one: keep timing, drop the scale.
    let px_per_m = parabola
        .map(|([a, _, _], _)| 2.0 * a / G)
        .filter(|v| v.is_finite() && *v > 0.0 && last - first >= 4)
        .filter(|_| parabola_follows_the_body(rms, s));
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
        takeoff_sigma_s: f64::NAN,
        landing_sigma_s: f64::NAN,
        curvature_sigma_s: f64::NAN,
        toes_only: false,
    })
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
