//! Segmentation: which flights are jumps, of which kind, and their phase events.

use super::catalogue::EventId;
use super::flights::{Flight, MIN_FLIGHT_S};
use super::frames::frame_at_or_after as index_at;
use super::signals::Signals;
use super::{JumpKind, joint_angles};
use crate::pose::PoseFrame;

/// Hops needed before a series has a rhythm to compare each hop with.
const MIN_RHYTHM_HOPS: usize = 4;
/// A hop's flight below this share of its series' median flight is off the rhythm.
const OFF_RHYTHM_SHORT: f64 = 0.6;
/// A hop's flight above this multiple of its series' median flight is off the rhythm.
const OFF_RHYTHM_LONG: f64 = 1.6;
/// Contact shorter than this between two flights makes them a rebound series.
const REACTIVE_CONTACT_S: f64 = 0.5;
/// A flight that lands this much (fraction of leg length) below where it left is a drop.
const DROP_FRACTION: f64 = 0.15;
/// A drop rises for at most this long after leaving the box (stepping off may lift a little).
const DROP_MAX_RISE_S: f64 = 0.12;
/// Knee angle below which the athlete starts from a held squat.
const SQUAT_KNEE_DEG: f64 = 140.0;
/// A squat jump's pre-push dip is smaller than this fraction of leg length.
const SQUAT_MAX_DIP_FRACTION: f64 = 0.15;
/// A squat is held for at least this long before the push.
const SQUAT_HOLD_S: f64 = 0.3;
/// Below this centre-of-mass speed (leg lengths per second) the athlete is holding still.
const HOLD_MAX_SPEED_LEGS_PER_S: f64 = 0.3;
/// The longest flight a human jump can have (about 1.1 m of rise, beyond elite records).
const MAX_FLIGHT_S: f64 = 0.95;
/// Flight curvature, relative to gravity at the body's own scale, outside which a flight is
/// not a real-time human jump (body proportions and perspective stay well inside).
const MIN_GRAVITY_RATIO: f64 = 0.3;
/// See [`MIN_GRAVITY_RATIO`].
const MAX_GRAVITY_RATIO: f64 = 3.0;
/// Share of a flight's frames with the athlete tracked below which it is not a flight seen.
const MIN_FLIGHT_TRACKED: f64 = 0.6;
/// Mean leg visibility below which a flight is not trusted at all.
const MIN_FLIGHT_VISIBILITY: f64 = 0.25;
/// Assumed hip-to-ankle length in metres, only to sanity-check the flight-based scale.
const NOMINAL_LEG_M: f64 = 0.85;

/// A jump before metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Kind.
    pub kind: JumpKind,
    /// Its flight.
    pub flight: Flight,
    /// Named event times in order.
    pub events: Vec<(EventId, f64)>,
    /// Ground contact before the flight (start, end), for DJ and hops.
    pub contact_s: Option<(f64, f64)>,
    /// Standard error of the contact's start (the landing before it) in seconds; NaN when
    /// unknown.
    pub contact_start_sigma_s: f64,
    /// How much that landing moves with its flight's curvature (its flight's
    /// `curvature_sigma_s`); NaN when unknown.
    pub contact_start_curvature_s: f64,
    /// Whether the flight's own parabola scale is trustworthy.
    pub flight_scale_ok: bool,
    /// Why this flight may not be what its kind says (e.g. a hop off its series' rhythm).
    pub doubt: Option<String>,
}

impl Candidate {
    /// An event's time.
    pub fn event(&self, id: EventId) -> Option<f64> {
        self.events.iter().find(|(e, _)| *e == id).map(|(_, t)| *t)
    }
}

/// Ground contact (start, end) implied by a candidate's events.
pub fn contact_time(c: &Candidate) -> Option<(f64, f64)> {
    let start = c
        .event(EventId::GroundContact)
        .or_else(|| c.event(EventId::ContactStart))?;
    Some((start, c.event(EventId::Takeoff)?))
}

/// Jumps found and notes for the clip's warnings.
#[derive(Debug, Default)]
pub struct Found {
    /// Candidates in time order.
    pub jumps: Vec<Candidate>,
    /// Observations worth a clip warning.
    pub notes: Vec<String>,
    /// Drops from a box that no rebound jump followed (each has a note).
    pub drop_landings: usize,
}

/// Whether a flight's parabola scale agrees with the body size (rejects slow motion,
/// wrong time bases and badly fitted flights).
pub fn scale_is_plausible(f: &Flight, s: &Signals) -> bool {
    let Some(px_per_m) = f.px_per_m else {
        return false;
    };
    if !s.leg_length_px.is_finite() || f.last_airborne - f.first_airborne < 5 {
        return false;
    }
    let ratio = px_per_m / (s.leg_length_px / NOMINAL_LEG_M);
    (0.6..=1.6).contains(&ratio)
}

/// Finds jumps among the flights and times their events.
pub fn segment(
    s: &Signals,
    flights: &[Flight],
    forced: Option<JumpKind>,
    poses: &[PoseFrame],
) -> Found {
    let mut found = Found::default();
    let n = flights.len();
    let contact_before =
        |i: usize| (i > 0).then(|| flights[i].takeoff_s - flights[i - 1].landing_s);
    let reactive = |i: usize| contact_before(i).is_some_and(|c| c < REACTIVE_CONTACT_S);
    // A drop leaves the box without rising: the apex comes right at takeoff. A camera that
    // tilts to follow a real jump also moves the ground line, but the athlete rose first.
    let is_drop = |f: &Flight| {
        let (before, after) = f.ground_y;
        after - before > DROP_FRACTION * s.leg_length_px && f.apex_s - f.takeoff_s < DROP_MAX_RISE_S
    };
    let mut ignored: Vec<String> = Vec::new();
    let mut i = 0;
    while i < n {
        let f = &flights[i];
        // A flight a person corrected is a jump by their word; its quality says what is odd.
        if let Some(reason) = implausible(f, s).filter(|_| f.detected.is_none()) {
            ignored.push(reason);
            i += 1;
            continue;
        }
        let scale_ok = scale_is_plausible(f, s);
        if is_drop(f) && forced.is_none_or(|k| k == JumpKind::Dj) {
            if i + 1 < n && reactive(i + 1) {
                found.jumps.push(drop_jump(
                    s,
                    f,
                    &flights[i + 1],
                    scale_is_plausible(&flights[i + 1], s),
                ));
                i += 2;
            } else {
                found.notes.push(format!(
                    "A drop landing: the athlete left the box at {:.2} s (frame {}) and first touched the floor at {:.2} s (frame {}); no rebound jump followed, so there is no jump to measure.",
                    f.takeoff_s,
                    index_at(&s.t, f.takeoff_s),
                    f.landing_s,
                    index_at(&s.t, f.landing_s),
                ));
                found.drop_landings += 1;
                i += 1;
            }
            continue;
        }
        let in_series = reactive(i) || (i + 1 < n && reactive(i + 1));
        let kind = forced.unwrap_or_else(|| {
            if in_series {
                JumpKind::Hops
            } else {
                standing_kind(s, f, previous_landing(flights, i), poses)
            }
        });
        let cand = match kind {
            JumpKind::Hops => hop(f, reactive(i).then(|| flights[i - 1].landing_s), scale_ok),
            JumpKind::Sj => squat_jump(s, f, previous_landing(flights, i), scale_ok),
            JumpKind::Cmj | JumpKind::Dj => {
                let mut c = countermovement(s, f, previous_landing(flights, i), scale_ok);
                if kind == JumpKind::Dj {
                    c.kind = JumpKind::Dj;
                    c.contact_s = reactive(i).then(|| (flights[i - 1].landing_s, f.takeoff_s));
                }
                c
            }
        };
        found.jumps.push(cand);
        i += 1;
    }
    flag_off_rhythm_hops(&mut found.jumps);
    // The uncertainty of each contact's start is that of the landing it starts with.
    for c in &mut found.jumps {
        if let Some((start, _)) = c.contact_s.or_else(|| contact_time(c)) {
            let before = flights.iter().find(|f| (f.landing_s - start).abs() < 1e-9);
            c.contact_start_sigma_s = before.map_or(f64::NAN, |f| f.landing_sigma_s);
            c.contact_start_curvature_s = before.map_or(f64::NAN, |f| f.curvature_sigma_s);
        }
    }
    // One line for many ignored movements (a long clip can hold dozens).
    if let Some(first) = ignored.first() {
        found.notes.push(match ignored.len() {
            1 => first.clone(),
            n => format!("{first} ({} more movements like it were ignored.)", n - 1),
        });
    }
    found
}

/// Hops in a series keep a rhythm; a flight far shorter or longer than the series' median is
/// more likely a stutter step, a stumble or two hops seen as one than a hop like the others.
fn flag_off_rhythm_hops(jumps: &mut [Candidate]) {
    let mut start = 0;
    while start < jumps.len() {
        // A series is a hop and the hops that rebound from it (each starts with a contact).
        let end = start
            + jumps[start..]
                .iter()
                .enumerate()
                .take_while(|(i, c)| c.kind == JumpKind::Hops && (*i == 0 || c.contact_s.is_some()))
                .count();
        if end - start >= MIN_RHYTHM_HOPS {
            let mut flights: Vec<f64> = jumps[start..end]
                .iter()
                .map(|c| c.flight.duration_s())
                .collect();
            flights.sort_by(f64::total_cmp);
            let median = flights[flights.len() / 2];
            for c in &mut jumps[start..end] {
                let ratio = c.flight.duration_s() / median;
                if !(OFF_RHYTHM_SHORT..=OFF_RHYTHM_LONG).contains(&ratio) {
                    c.doubt = Some(format!(
                        "This hop's flight ({:.0} ms) is far off the series' rhythm (median {:.0} ms): it may be a stutter step or a stumble rather than a hop.",
                        1000.0 * c.flight.duration_s(),
                        1000.0 * median
                    ));
                }
            }
        }
        start = end.max(start + 1);
    }
}

/// Why a flight cannot be a human jump filmed in real time, if it cannot.
fn implausible(f: &Flight, s: &Signals) -> Option<String> {
    let duration = f.duration_s();
    // Shorter than two frame intervals (or than any hop) is a toe flicker, not a flight.
    let frame_s = super::median_frame_interval(&s.t);
    if duration < MIN_FLIGHT_S.max(2.0 * frame_s) {
        return Some(format!(
            "A {:.0} ms lift of the feet at {:.2} s is too short to be a jump or a hop.",
            1000.0 * duration,
            f.takeoff_s
        ));
    }
    if duration > MAX_FLIGHT_S {
        return Some(format!(
            "A {duration:.1} s flight at {:.2} s is not humanly possible: the clip is probably slow motion or has a wrong time base.",
            f.takeoff_s
        ));
    }
    let ratio = f
        .px_per_m
        .filter(|_| f.last_airborne - f.first_airborne >= 5 && s.leg_length_px.is_finite())
        .map(|px| px / (s.leg_length_px / NOMINAL_LEG_M));
    if let Some(r) = ratio.filter(|r| !(MIN_GRAVITY_RATIO..=MAX_GRAVITY_RATIO).contains(r)) {
        return Some(format!(
            "The movement at {:.2} s does not fall at the rate of gravity ({:.0} % of g for this body size): {}.",
            f.takeoff_s,
            100.0 * r,
            if r < 1.0 {
                "slow motion or a wrong time base?"
            } else {
                "not a jump, or the camera moved"
            }
        ));
    }
    let tracked = s
        .tracked
        .get(f.first_airborne..=f.last_airborne)
        .map_or(0.0, |v| {
            v.iter().filter(|x| **x).count() as f64 / v.len().max(1) as f64
        });
    if tracked < MIN_FLIGHT_TRACKED {
        return Some(format!(
            "A possible flight at {:.2} s was ignored: the athlete was lost in {:.0} % of its frames.",
            f.takeoff_s,
            100.0 * (1.0 - tracked)
        ));
    }
    let visibility = s
        .leg_visibility
        .get(f.first_airborne..=f.last_airborne)
        .map_or(0.0, |v| {
            v.iter().filter(|x| x.is_finite()).sum::<f64>() / v.len().max(1) as f64
        });
    (visibility < MIN_FLIGHT_VISIBILITY).then(|| {
        format!(
            "A possible flight at {:.2} s was ignored: the legs were barely visible.",
            f.takeoff_s
        )
    })
}

fn previous_landing(flights: &[Flight], i: usize) -> Option<f64> {
    i.checked_sub(1).map(|p| flights[p].landing_s)
}

fn flight_events(f: &Flight) -> [(EventId, f64); 3] {
    [
        (EventId::Takeoff, f.takeoff_s),
        (EventId::Apex, f.apex_s),
        (EventId::Landing, f.landing_s),
    ]
}

/// The contact window before a flight: from the highest centre-of-mass position since the
/// previous landing (or in the three seconds before takeoff) to the last contact frame, so a
/// countermovement is never confused with the previous landing's absorption.
fn contact_window(s: &Signals, f: &Flight, prev_landing: Option<f64>) -> (usize, usize) {
    let start_t = (f.takeoff_s - 3.0).max(prev_landing.map_or(f64::NEG_INFINITY, |t| t + 0.1));
    let (a, b) = (index_at(&s.t, start_t), f.first_airborne.saturating_sub(1));
    let y = &s.com.value;
    // Highest point (smallest y) before the lowest point of the window.
    let low = argmax(y, a..=b).unwrap_or(b);
    let top = (a..=low)
        .filter(|&k| y[k].is_finite())
        .min_by(|&p, &q| y[p].total_cmp(&y[q]))
        .unwrap_or(a);
    (top, b)
}

/// Countermovement vs squat jump: does the athlete start from a held squat, with at most a
/// small dip before the push?
fn standing_kind(
    s: &Signals,
    f: &Flight,
    prev_landing: Option<f64>,
    poses: &[PoseFrame],
) -> JumpKind {
    let c = countermovement(s, f, prev_landing, false);
    let start = c.event(EventId::MovementOnset).unwrap_or(f.takeoff_s - 0.8);
    let k = index_at(&s.t, start);
    let dip = c
        .event(EventId::LowestPoint)
        .map_or(0.0, |low| s.com.value[index_at(&s.t, low)] - s.com.value[k]);
    let max_dip = SQUAT_MAX_DIP_FRACTION * s.leg_length_px;
    if dip <= max_dip && squatting_at(s, k, poses) && held_still_before(s, k) {
        return JumpKind::Sj;
    }
    // When the lowering into the squat falls inside the contact window, the onset above is
    // that lowering's start and the "dip" the whole squat: judge from the end of the last
    // hold before the push instead.
    if let Some(h) = last_hold_end(s, f, prev_landing) {
        let last_contact = f.first_airborne.saturating_sub(1);
        let dip = (h..=last_contact)
            .map(|i| s.com.value[i] - s.com.value[h])
            .filter(|d| d.is_finite())
            .fold(0.0, f64::max);
        if dip <= max_dip && squatting_at(s, h, poses) {
            return JumpKind::Sj;
        }
    }
    JumpKind::Cmj
}

/// Whether the median knee angle over the 0.2 s before sample `k` is a squat's.
fn squatting_at(s: &Signals, k: usize, poses: &[PoseFrame]) -> bool {
    let mut knees: Vec<f64> = poses
        .iter()
        .filter(|p| p.tracked && p.time_s <= s.t[k] && p.time_s >= s.t[k] - 0.2)
        .filter_map(|p| joint_angles(&p.landmarks).map(|a| a.knee))
        .collect();
    let knee = super::smooth::median(&mut knees);
    knee.is_finite() && knee < SQUAT_KNEE_DEG
}

/// The last sample of the latest still period (centre of mass slower than
/// [`HOLD_MAX_SPEED_LEGS_PER_S`] for at least [`SQUAT_HOLD_S`]) in the contact before a flight.
fn last_hold_end(s: &Signals, f: &Flight, prev_landing: Option<f64>) -> Option<usize> {
    let still = HOLD_MAX_SPEED_LEGS_PER_S * s.leg_length_px;
    let start_t = (f.takeoff_s - 3.0).max(prev_landing.map_or(f64::NEG_INFINITY, |t| t + 0.1));
    let (a, b) = (index_at(&s.t, start_t), f.first_airborne.saturating_sub(1));
    let mut run_end: Option<usize> = None;
    for i in (a..=b).rev() {
        if s.com.d1[i].abs() < still {
            let end = *run_end.get_or_insert(i);
            if s.t[end] - s.t[i] >= SQUAT_HOLD_S {
                return Some(end);
            }
        } else {
            run_end = None;
        }
    }
    None
}

/// Whether the centre of mass stays still for [`SQUAT_HOLD_S`] somewhere in the 1.5 s before
/// sample `k` (a squat jump starts from a held squat; a clip cut mid-countermovement does not).
fn held_still_before(s: &Signals, k: usize) -> bool {
    let still = HOLD_MAX_SPEED_LEGS_PER_S * s.leg_length_px;
    let start = index_at(&s.t, s.t[k] - 1.5);
    let mut run_start: Option<f64> = None;
    for i in start..=k {
        if s.com.d1[i].abs() < still {
            let t0 = *run_start.get_or_insert(s.t[i]);
            if s.t[i] - t0 >= SQUAT_HOLD_S {
                return true;
            }
        } else {
            run_start = None;
        }
    }
    false
}

/// Sub-frame time where `v` crosses `level` between samples `k` and `k + 1`.
fn cross_time(t: &[f64], v: &[f64], k: usize, level: f64) -> f64 {
    let (a, b) = (v[k] - level, v[k + 1] - level);
    // Equal values have no crossing between them (and would divide by zero).
    if !a.is_finite() || !b.is_finite() || (a - b).abs() < f64::EPSILON {
        return t[k];
    }
    t[k] + (t[k + 1] - t[k]) * (a / (a - b)).clamp(0.0, 1.0)
}

/// Sub-frame time of an extremum at sample `k` by a parabola through its neighbours.
fn peak_time(t: &[f64], v: &[f64], k: usize) -> f64 {
    if k == 0 || k + 1 >= v.len() {
        return t[k];
    }
    let (a, b, c) = (v[k - 1], v[k], v[k + 1]);
    let denom = a - 2.0 * b + c;
    if denom == 0.0 || !denom.is_finite() {
        return t[k];
    }
    let off = (0.5 * (a - c) / denom).clamp(-0.5, 0.5);
    if off >= 0.0 {
        t[k] + off * (t[k + 1] - t[k])
    } else {
        t[k] + off * (t[k] - t[k - 1])
    }
}

fn argmax(v: &[f64], range: std::ops::RangeInclusive<usize>) -> Option<usize> {
    range
        .filter(|&k| v.get(k).is_some_and(|x| x.is_finite()))
        .max_by(|&a, &b| v[a].total_cmp(&v[b]))
}

/// CMJ events: onset, start of braking (peak downward velocity), lowest point, takeoff,
/// apex, landing. Image y grows downwards, so downward velocity is positive.
fn countermovement(
    s: &Signals,
    f: &Flight,
    prev_landing: Option<f64>,
    scale_ok: bool,
) -> Candidate {
    let (w0, w1) = contact_window(s, f, prev_landing);
    let (y, v) = (&s.com.value, &s.com.d1);
    let mut events = Vec::new();
    let mut contact_s = None;
    if let Some(low) = argmax(y, w0..=w1) {
        let braking = argmax(v, w0..=low);
        if let Some(b) = braking.filter(|&b| v[b] > 0.0) {
            let threshold = 0.1 * v[b];
            let mut k = b;
            while k > w0 && v[k - 1].is_finite() && v[k - 1] > threshold {
                k -= 1;
            }
            let still_falling = k == w0 && v[w0] > threshold;
            if let Some(landing) = prev_landing.filter(|_| still_falling) {
                // The athlete went down straight from the previous landing without standing
                // still: there is no onset to time, and the peak downward speed is the
                // landing's. What a coach reads instead is the contact time and RSI.
                events.push((EventId::ContactStart, landing));
                contact_s = Some((landing, f.takeoff_s));
            } else {
                let onset = if k > 0 {
                    cross_time(&s.t, v, k - 1, threshold)
                } else {
                    s.t[k]
                };
                events.push((EventId::MovementOnset, onset));
                events.push((EventId::BrakingStart, peak_time(&s.t, v, b)));
            }
        }
        // Zero crossing of velocity (down → up) at the lowest point.
        let lowest = if low == 0 || low + 1 >= v.len() {
            s.t[low]
        } else if v[low] >= 0.0 && v[low + 1] < 0.0 {
            cross_time(&s.t, v, low, 0.0)
        } else if v[low - 1] >= 0.0 && v[low] < 0.0 {
            cross_time(&s.t, v, low - 1, 0.0)
        } else {
            s.t[low]
        };
        events.push((EventId::LowestPoint, lowest));
    }
    events.extend(flight_events(f));
    Candidate {
        kind: JumpKind::Cmj,
        flight: f.clone(),
        events,
        contact_s,
        flight_scale_ok: scale_ok,
        contact_start_sigma_s: f64::NAN,
        contact_start_curvature_s: f64::NAN,
        doubt: None,
    }
}

/// SJ events: start of the push from the held squat, takeoff, apex, landing.
fn squat_jump(s: &Signals, f: &Flight, prev_landing: Option<f64>, scale_ok: bool) -> Candidate {
    let (w0, w1) = contact_window(s, f, prev_landing);
    let v = &s.com.d1;
    let mut events = Vec::new();
    let up: Vec<f64> = v.iter().map(|x| -x).collect();
    if let Some(peak) = argmax(&up, w0..=w1).filter(|&p| up[p] > 0.0) {
        let threshold = 0.1 * up[peak];
        let mut k = peak;
        while k > w0 && up[k - 1].is_finite() && up[k - 1] > threshold {
            k -= 1;
        }
        let start = if k > 0 {
            cross_time(&s.t, &up, k - 1, threshold)
        } else {
            s.t[k]
        };
        events.push((EventId::PushStart, start));
    }
    events.extend(flight_events(f));
    Candidate {
        kind: JumpKind::Sj,
        flight: f.clone(),
        events,
        contact_s: None,
        flight_scale_ok: scale_ok,
        contact_start_sigma_s: f64::NAN,
        contact_start_curvature_s: f64::NAN,
        doubt: None,
    }
}

/// One hop of a rebound series; `contact_start` is the previous hop's landing.
fn hop(f: &Flight, contact_start: Option<f64>, scale_ok: bool) -> Candidate {
    let mut events = Vec::new();
    if let Some(c) = contact_start {
        events.push((EventId::ContactStart, c));
    }
    events.extend(flight_events(f));
    Candidate {
        kind: JumpKind::Hops,
        flight: f.clone(),
        contact_s: contact_start.map(|c| (c, f.takeoff_s)),
        events,
        flight_scale_ok: scale_ok,
        contact_start_sigma_s: f64::NAN,
        contact_start_curvature_s: f64::NAN,
        doubt: None,
    }
}

/// DJ events: leaving the box, first ground contact, lowest point, takeoff, apex, landing.
fn drop_jump(s: &Signals, drop: &Flight, jump: &Flight, scale_ok: bool) -> Candidate {
    let (y, t) = (&s.com.value, &s.t);
    let contact = (drop.landing_s, jump.takeoff_s);
    let (a, b) = (
        drop.last_airborne + 1,
        jump.first_airborne.saturating_sub(1),
    );
    let mut events = vec![
        (EventId::BoxLeave, drop.takeoff_s),
        (EventId::GroundContact, drop.landing_s),
    ];
    if let Some(low) = argmax(y, a..=b.max(a)) {
        events.push((EventId::LowestPoint, t[low]));
    }
    events.extend(flight_events(jump));
    Candidate {
        kind: JumpKind::Dj,
        flight: jump.clone(),
        events,
        contact_s: Some(contact),
        flight_scale_ok: scale_ok,
        contact_start_sigma_s: f64::NAN,
        contact_start_curvature_s: f64::NAN,
        doubt: None,
    }
}
