//! Phase bands of each jump, derived from its events (standing, unweighting, braking,
//! propulsion, flight, landing, …) for the timeline, the plots and the video label.

use crate::analysis::{Jump, JumpKind};

/// Quiet stance shown before the first event of a jump.
const LEAD_IN_S: f64 = 0.5;
/// Landing shown after touchdown (absorbing the impact).
const LANDING_S: f64 = 0.4;

/// A phase of a jump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Standing still before a countermovement or drop.
    Standing,
    /// Holding the squat before a squat jump.
    SquatHold,
    /// Moving down, accelerating (countermovement start).
    Unweighting,
    /// Moving down, slowing down.
    Braking,
    /// Pushing up to takeoff.
    Propulsion,
    /// In the air.
    Flight,
    /// Absorbing the landing.
    Landing,
    /// Falling from the box (drop jump).
    Drop,
    /// Ground contact between hops.
    Contact,
}

impl Phase {
    /// Name a coach reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Standing => "Standing",
            Self::SquatHold => "Squat hold",
            Self::Unweighting => "Unweighting",
            Self::Braking => "Braking",
            Self::Propulsion => "Propulsion",
            Self::Flight => "Flight",
            Self::Landing => "Landing",
            Self::Drop => "Drop",
            Self::Contact => "Contact",
        }
    }
}

/// One phase of one jump on the clip's time axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseBand {
    /// Jump, 0-based.
    pub jump: usize,
    /// Which phase.
    pub phase: Phase,
    /// Start in seconds.
    pub start_s: f64,
    /// End in seconds.
    pub end_s: f64,
}

/// The phase that starts at an event, for the events that open one.
fn phase_from_event(name: &str, kind: JumpKind) -> Option<Phase> {
    Some(match name {
        "movement_onset" => Phase::Unweighting,
        "braking_start" => Phase::Braking,
        "lowest_point" | "push_start" => Phase::Propulsion,
        "takeoff" => Phase::Flight,
        "landing" => Phase::Landing,
        "box_leave" => Phase::Drop,
        "ground_contact" if kind == JumpKind::Dj => Phase::Braking,
        "ground_contact" | "contact_start" => Phase::Contact,
        _ => return None,
    })
}

/// Phase bands for every jump, in time order, never overlapping each other or the clip's end.
pub fn bands(jumps: &[Jump], clip_end_s: f64) -> Vec<PhaseBand> {
    let mut out: Vec<PhaseBand> = Vec::new();
    for (j, jump) in jumps.iter().enumerate() {
        let mut boundaries: Vec<(f64, Phase)> = jump
            .events
            .iter()
            .filter_map(|e| phase_from_event(&e.name, jump.kind).map(|p| (e.time_s, p)))
            .filter(|(t, _)| t.is_finite())
            .collect();
        boundaries.sort_by(|a, b| a.0.total_cmp(&b.0));
        let Some(&(first_s, _)) = boundaries.first() else {
            continue;
        };
        let previous_end = out.last().map_or(0.0, |b| b.end_s);
        let next_start = jumps
            .get(j + 1)
            .and_then(|n| n.events.iter().map(|e| e.time_s).reduce(f64::min))
            .unwrap_or(clip_end_s)
            .min(clip_end_s);
        let lead_in = match jump.kind {
            JumpKind::Cmj | JumpKind::Dj => Some(Phase::Standing),
            JumpKind::Sj => Some(Phase::SquatHold),
            JumpKind::Hops => None,
        };
        if let Some(phase) = lead_in {
            let start = (first_s - LEAD_IN_S).max(previous_end).max(0.0);
            push(&mut out, j, phase, start, first_s);
        }
        for (k, &(start, phase)) in boundaries.iter().enumerate() {
            let end = match boundaries.get(k + 1) {
                Some(&(next, _)) => next,
                None if phase == Phase::Landing => (start + LANDING_S).min(next_start),
                None => continue,
            };
            push(&mut out, j, phase, start.max(previous_end), end);
        }
    }
    out
}

fn push(out: &mut Vec<PhaseBand>, jump: usize, phase: Phase, start_s: f64, end_s: f64) {
    if end_s > start_s {
        out.push(PhaseBand {
            jump,
            phase,
            start_s,
            end_s,
        });
    }
}

/// The band under time `t`, if any.
pub fn band_at(bands: &[PhaseBand], t: f64) -> Option<&PhaseBand> {
    bands.iter().find(|b| b.start_s <= t && t < b.end_s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Event, Quality};

    fn jump(kind: JumpKind, events: &[(&str, f64)]) -> Jump {
        Jump {
            index: 1,
            kind,
            takeoff_frame: 0,
            landing_frame: 0,
            events: events
                .iter()
                .map(|(n, t)| Event {
                    name: (*n).to_owned(),
                    time_s: *t,
                    frame: 0,
                })
                .collect(),
            metrics: Vec::new(),
            quality: Quality::default(),
            edited: false,
        }
    }

    #[test]
    fn countermovement_jump_has_the_six_phases_in_order() {
        let j = jump(
            JumpKind::Cmj,
            &[
                ("movement_onset", 1.0),
                ("braking_start", 1.3),
                ("lowest_point", 1.5),
                ("takeoff", 1.8),
                ("apex", 2.05),
                ("landing", 2.3),
            ],
        );
        let b = bands(&[j], 10.0);
        let phases: Vec<Phase> = b.iter().map(|b| b.phase).collect();
        assert_eq!(
            phases,
            [
                Phase::Standing,
                Phase::Unweighting,
                Phase::Braking,
                Phase::Propulsion,
                Phase::Flight,
                Phase::Landing
            ]
        );
        assert!((b[0].start_s - 0.5).abs() < 1e-9);
        assert!((b[4].start_s - 1.8).abs() < 1e-9 && (b[4].end_s - 2.3).abs() < 1e-9);
        assert_eq!(band_at(&b, 2.0).map(|b| b.phase), Some(Phase::Flight));
        assert_eq!(band_at(&b, 9.0), None);
    }

    #[test]
    fn bands_of_consecutive_jumps_never_overlap() {
        let a = jump(JumpKind::Hops, &[("takeoff", 1.0), ("landing", 1.4)]);
        let b = jump(
            JumpKind::Hops,
            &[("contact_start", 1.4), ("takeoff", 1.6), ("landing", 2.0)],
        );
        let all = bands(&[a, b], 2.2);
        for w in all.windows(2) {
            assert!(w[0].end_s <= w[1].start_s + 1e-9, "{w:?}");
        }
        assert!(all.last().is_some_and(|b| b.end_s <= 2.2));
    }
}
