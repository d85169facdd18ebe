//! Where the ground is under the toes, frame by frame, and how far above it they are.
//!
//! The ground is measured where the feet stand: a contact is a run of frames in which the toe
//! stays still for at least [`MIN_CONTACT_S`] near the lowest toe positions around it, and its
//! level is the median toe position over the run. Each frame's clearance is taken against the
//! last contact before it and the next one after it, so an athlete who drifts towards or away
//! from the camera between hops (their feet land lower or higher in the picture) is judged
//! against each landing's own ground. Where no still contact can be seen (a camera that moves
//! with the athlete), a rolling high quantile of the toe track stands in.

use super::signals::Signals;
use super::smooth::smooth;

/// Toe speed (leg lengths per second) below which the foot stands still.
const STILL_LEGS_PER_S: f64 = 0.5;
/// Shortest still run that is a contact: longer than a toe hovers at a flight's apex, shorter
/// than the quickest rebound contact.
const MIN_CONTACT_S: f64 = 0.08;
/// A contact's level lies within this (leg lengths) of the lowest toe positions within
/// [`GROUND_HALF_WINDOW_S`]: above that, the still toe is in the air.
const NEAR_GROUND_LEGS: f64 = 0.15;
/// How far beside a still run [`is_apex`] looks for the toe below it.
const APEX_LOOK_S: f64 = 0.15;
/// Drop (leg lengths) on both sides that marks a still run as a flight's apex.
const APEX_DROP_LEGS: f64 = 0.03;
/// A contact this long before (after) a frame still tells its ground.
const CONTACT_REACH_S: f64 = 1.5;
/// Window of the rolling ground estimate (longer than any flight).
const GROUND_HALF_WINDOW_S: f64 = 1.0;
/// Quantile of toe height taken as the ground (y grows downwards: a high quantile is low).
const GROUND_QUANTILE: f64 = 0.75;
/// Quantile of the toe heights around a contact that stands for the lowest ones.
const LOWEST_QUANTILE: f64 = 0.9;

/// Toe clearance above the ground, in pixels (positive is up), against the ground of the
/// preceding and of the following contact.
///
/// The athlete often lands somewhere else in the picture than they took off (oblique views,
/// drift, a camera that tilts to follow the jump), so takeoff is judged against the ground
/// before it and landing against the ground after it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clearance {
    /// Clearance over the ground of the preceding contact.
    pub past: Vec<f64>,
    /// Clearance over the ground of the following contact.
    pub future: Vec<f64>,
    /// Clearance over the ground moving in time from the preceding contact's level to the
    /// following one's (an athlete drifting in depth during a flight); NaN without both.
    pub between: Vec<f64>,
    /// The contacts found, in time order.
    pub contacts: Vec<Contact>,
}

impl Clearance {
    /// How far the toe is above the ground under it: against the ground moving between the
    /// contacts on either side, or, without both, the smaller of the two clearances (positive
    /// only when clear of both grounds).
    pub fn both(&self, i: usize) -> f64 {
        let (p, f) = (self.past[i], self.future[i]);
        if self.between[i].is_finite() {
            self.between[i]
        } else if p.is_nan() {
            f
        } else if f.is_nan() {
            p
        } else {
            p.min(f)
        }
    }

    /// The contacts just before and just after frame `i` (a contact holding `i` counts as
    /// neither).
    pub fn contacts_around(&self, i: usize) -> (Option<&Contact>, Option<&Contact>) {
        let next = self.contacts.partition_point(|c| c.last < i);
        let before = next.checked_sub(1).and_then(|k| self.contacts.get(k));
        let after = self.contacts.get(next).filter(|c| c.first > i);
        (before, after)
    }
}

/// A run of frames with the feet on the ground, and the ground's image height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// First frame of the run.
    pub first: usize,
    /// Last frame of the run.
    pub last: usize,
    /// Median toe y over the run.
    pub level: f64,
}

/// The `q` quantile of the finite values of `v` (NaN when there are none).
fn quantile(v: &[f64], q: f64, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend(v.iter().copied().filter(|x| x.is_finite()));
    if scratch.is_empty() {
        return f64::NAN;
    }
    let k = ((scratch.len() - 1) as f64 * q).round() as usize;
    let (_, value, _) = scratch.select_nth_unstable_by(k, f64::total_cmp);
    *value
}

/// The runs of `true` in `flags`, as (first, last) index pairs.
fn still_runs(flags: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < flags.len() {
        if flags[i] {
            let first = i;
            while i < flags.len() && flags[i] {
                i += 1;
            }
            runs.push((first, i - 1));
        } else {
            i += 1;
        }
    }
    runs
}

/// The clip's contacts in time order.
fn contacts(signals: &Signals, toe: &[f64], speed: &[f64]) -> Vec<Contact> {
    let (t, leg) = (&signals.t, signals.leg_length_px);
    let n = toe.len();
    let limit = STILL_LEGS_PER_S * leg;
    let mut still: Vec<bool> = speed.iter().map(|v| v.abs() < limit).collect();
    // A contact's first and last frames sit beside frames in the air, which the smoothed
    // speed blends in. A still run too short to be a contact is widened by a frame on each
    // side whose raw step to it is still: at 30 fps a 100 ms contact is three frames, and
    // only its middle one has a still smoothed speed. (Longer runs are left alone: widening
    // them would eat into a low hop's flight.)
    let raw = &signals.toe_y;
    let still_step = |a: usize, b: usize| ((raw[b] - raw[a]) / (t[b] - t[a])).abs() < limit;
    // A run lasts until the next frame: three frames at 30 fps are 100 ms of contact.
    let too_short = |(first, last): (usize, usize)| {
        t.get(last + 1).copied().unwrap_or(t[last]) - t[first] < MIN_CONTACT_S - 1e-9
    };
    for (first, last) in still_runs(&still) {
        if too_short((first, last)) {
            if first > 0 && still_step(first - 1, first) {
                still[first - 1] = true;
            }
            if last + 1 < n && still_step(last, last + 1) {
                still[last + 1] = true;
            }
        }
    }
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    for (first, last) in still_runs(&still) {
        if too_short((first, last)) {
            continue;
        }
        let level = quantile(&signals.toe_y[first..=last], 0.5, &mut scratch);
        let centre = t[usize::midpoint(first, last)];
        let lo = t.partition_point(|&x| x < centre - GROUND_HALF_WINDOW_S);
        let hi = t.partition_point(|&x| x <= centre + GROUND_HALF_WINDOW_S);
        let lowest = quantile(&toe[lo..hi], LOWEST_QUANTILE, &mut scratch);
        if level.is_finite()
            && level >= lowest - NEAR_GROUND_LEGS * leg
            && !is_apex(t, toe, first, last, level, leg)
        {
            out.push(Contact { first, last, level });
        }
    }
    out
}

/// Whether a still run is a low hop's apex hovering in the air rather than a contact: the toe
/// is lower (larger y) on both sides of it. A contact has a side where the foot is up.
fn is_apex(t: &[f64], toe: &[f64], first: usize, last: usize, level: f64, leg: f64) -> bool {
    let lower_than_run = |range: std::ops::Range<usize>| {
        toe.get(range)
            .unwrap_or_default()
            .iter()
            .any(|y| *y > level + APEX_DROP_LEGS * leg)
    };
    let before = t.partition_point(|&x| x < t[first] - APEX_LOOK_S);
    let after = t.partition_point(|&x| x <= t[last] + APEX_LOOK_S);
    lower_than_run(before..first) && lower_than_run(last + 1..after)
}

/// Computes [`Clearance`] for every frame.
pub fn toe_clearance(signals: &Signals) -> Clearance {
    // One neighbour each side at low frame rates: wider smoothing bleeds the motion on
    // either side into a short contact and hides it.
    let smoothed = smooth(&signals.t, &signals.toe_y, 0.02, 1);
    let (toe, speed) = (&smoothed.value, &smoothed.d1);
    let t = &signals.t;
    let n = toe.len();
    let found = contacts(signals, toe, speed);
    let mut out = Clearance {
        past: vec![f64::NAN; n],
        future: vec![f64::NAN; n],
        between: vec![f64::NAN; n],
        contacts: Vec::new(),
    };
    let mut scratch = Vec::new();
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut next = 0usize;
    for i in 0..n {
        while lo < i && t[lo] < t[i] - GROUND_HALF_WINDOW_S {
            lo += 1;
        }
        while hi < n && t[hi] <= t[i] + GROUND_HALF_WINDOW_S {
            hi += 1;
        }
        // Contacts ending before this frame are behind it; `next` is the first that is not.
        while next < found.len() && found[next].last < i {
            next += 1;
        }
        let current = found.get(next).filter(|c| c.first <= i);
        let before = current.or_else(|| {
            next.checked_sub(1)
                .map(|k| &found[k])
                .filter(|c| t[i] - t[c.last] <= CONTACT_REACH_S)
        });
        let after = current.or_else(|| {
            found
                .get(next)
                .filter(|c| t[c.first] - t[i] <= CONTACT_REACH_S)
        });
        let past = before.map_or_else(
            || quantile(&toe[lo..=i], GROUND_QUANTILE, &mut scratch),
            |c| c.level,
        );
        let future = after.map_or_else(
            || quantile(&toe[i..hi.max(i + 1)], GROUND_QUANTILE, &mut scratch),
            |c| c.level,
        );
        out.past[i] = past - toe[i];
        out.future[i] = future - toe[i];
        if let (Some(b), Some(a), None) = (before, after, current) {
            let (t0, t1) = (t[b.last], t[a.first]);
            let w = if t1 > t0 {
                (t[i] - t0) / (t1 - t0)
            } else {
                0.5
            };
            out.between[i] = b.level + w.clamp(0.0, 1.0) * (a.level - b.level) - toe[i];
        } else if current.is_some() {
            out.between[i] = out.past[i];
        }
    }
    out.contacts = found;
    out
}
