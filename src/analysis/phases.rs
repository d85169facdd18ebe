//! The phase model: which phase of which jump a moment belongs to (standing, unweighting,
//! braking, propulsion, flight, landing, …), derived from each jump's events. The app's
//! timeline, plots and video label and the exported overlay video all read these bands.

use super::catalogue::EventId;
use super::{Jump, JumpKind};

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
    /// Ground contact between flights.
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

    /// The phase an event opens, for the events that open one.
    fn opened_by(event: EventId, kind: JumpKind) -> Option<Self> {
        Some(match event {
            EventId::MovementOnset => Self::Unweighting,
            EventId::BrakingStart => Self::Braking,
            EventId::LowestPoint | EventId::PushStart => Self::Propulsion,
            EventId::Takeoff => Self::Flight,
            EventId::Landing => Self::Landing,
            EventId::BoxLeave => Self::Drop,
            EventId::GroundContact if kind == JumpKind::Dj => Self::Braking,
            EventId::GroundContact | EventId::ContactStart => Self::Contact,
            EventId::Apex => return None,
        })
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

/// Phase bands for every jump, in time order, never overlapping each other or running past
/// the clip's end (`clip_end_s`).
pub fn bands(jumps: &[Jump], clip_end_s: f64) -> Vec<PhaseBand> {
    let mut out: Vec<PhaseBand> = Vec::new();
    for (j, jump) in jumps.iter().enumerate() {
        let mut boundaries: Vec<(f64, Phase)> = jump
            .events
            .iter()
            .filter_map(|e| Phase::opened_by(e.id, jump.kind).map(|p| (e.time_s, p)))
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
        // A jump that runs on from the previous landing has no stance before it.
        let runs_on = boundaries.first().is_some_and(|b| b.1 == Phase::Contact);
        if let Some(phase) = lead_in.filter(|_| !runs_on) {
            let start = (first_s - LEAD_IN_S).max(previous_end).max(0.0);
            push(&mut out, j, phase, start, first_s.min(clip_end_s));
        }
        for (k, &(start, phase)) in boundaries.iter().enumerate() {
            let end = match boundaries.get(k + 1) {
                Some(&(next, _)) => next,
                None if phase == Phase::Landing => start + LANDING_S,
                None => continue,
            };
            push(
                &mut out,
                j,
                phase,
                start.max(previous_end),
                end.min(next_start),
            );
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

    fn jump(kind: JumpKind, events: &[(EventId, f64)]) -> Jump {
        Jump {
            index: 1,
            kind,
            takeoff_frame: 0,
            landing_frame: 0,
            events: events
                .iter()
                .map(|&(id, time_s)| Event {
                    id,
                    time_s,
                    frame: 0,
                })
                .collect(),
            metrics: Vec::new(),
            quality: Quality::default(),
            detected_edges: None,
        }
    }

    #[test]
    fn countermovement_jump_has_the_six_phases_in_order() {
        let j = jump(
            JumpKind::Cmj,
            &[
                (EventId::MovementOnset, 1.0),
                (EventId::BrakingStart, 1.3),
                (EventId::LowestPoint, 1.5),
                (EventId::Takeoff, 1.8),
                (EventId::Apex, 2.05),
                (EventId::Landing, 2.3),
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
        let a = jump(
            JumpKind::Hops,
            &[(EventId::Takeoff, 1.0), (EventId::Landing, 1.4)],
        );
        let b = jump(
            JumpKind::Hops,
            &[
                (EventId::ContactStart, 1.4),
                (EventId::Takeoff, 1.6),
                (EventId::Landing, 2.0),
            ],
        );
        let all = bands(&[a, b], 2.2);
        for w in all.windows(2) {
            assert!(w[0].end_s <= w[1].start_s + 1e-9, "{w:?}");
        }
        assert!(all.last().is_some_and(|b| b.end_s <= 2.2));
    }

    #[test]
    fn a_rebound_countermovement_shows_its_contact_and_no_stance() {
        let first = jump(
            JumpKind::Cmj,
            &[
                (EventId::MovementOnset, 0.6),
                (EventId::LowestPoint, 1.0),
                (EventId::Takeoff, 1.3),
                (EventId::Landing, 1.9),
            ],
        );
        let second = jump(
            JumpKind::Cmj,
            &[
                (EventId::ContactStart, 1.9),
                (EventId::LowestPoint, 2.2),
                (EventId::Takeoff, 2.5),
                (EventId::Landing, 3.1),
            ],
        );
        let all = bands(&[first, second], 4.0);
        let second: Vec<Phase> = all
            .iter()
            .filter(|b| b.jump == 1)
            .map(|b| b.phase)
            .collect();
        assert_eq!(
            second,
            [
                Phase::Contact,
                Phase::Propulsion,
                Phase::Flight,
                Phase::Landing
            ]
        );
        // The first jump's bands end where the second jump's contact begins.
        assert!(
            all.iter()
                .filter(|b| b.jump == 0)
                .all(|b| b.end_s <= 1.9 + 1e-9)
        );
    }
}
