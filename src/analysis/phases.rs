//! Which phase of which jump a moment belongs to, for labels, timeline bands and overlays.

use super::{Jump, JumpKind};

/// How long after landing the landing phase lasts, for display.
const LANDING_PHASE_S: f64 = 0.4;

/// A named phase `[start_s, end_s)` of one jump.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// Phase name, e.g. `flight`.
    pub name: &'static str,
    /// Start in seconds.
    pub start_s: f64,
    /// End in seconds.
    pub end_s: f64,
}

/// The phases of a jump in time order, from its events.
pub fn phases(jump: &Jump) -> Vec<Phase> {
    let ev = |n: &str| jump.event(n);
    let bounds: Vec<(&'static str, Option<f64>)> = match jump.kind {
        JumpKind::Cmj => vec![
            ("unweighting", ev("movement_onset")),
            ("braking", ev("braking_start")),
            ("propulsion", ev("lowest_point")),
            ("flight", ev("takeoff")),
            ("landing", ev("landing")),
        ],
        JumpKind::Sj => vec![
            ("propulsion", ev("push_start")),
            ("flight", ev("takeoff")),
            ("landing", ev("landing")),
        ],
        JumpKind::Dj => vec![
            ("drop", ev("box_leave")),
            ("braking", ev("ground_contact")),
            ("propulsion", ev("lowest_point")),
            ("flight", ev("takeoff")),
            ("landing", ev("landing")),
        ],
        JumpKind::Hops => vec![
            ("contact", ev("contact_start")),
            ("flight", ev("takeoff")),
            ("landing", ev("landing")),
        ],
    };
    let known: Vec<(&'static str, f64)> = bounds
        .into_iter()
        .filter_map(|(n, t)| Some((n, t?)))
        .collect();
    known
        .iter()
        .enumerate()
        .map(|(i, &(name, start_s))| {
            let end_s = known
                .get(i + 1)
                .map_or(start_s + LANDING_PHASE_S, |next| next.1);
            Phase {
                name,
                start_s,
                end_s,
            }
        })
        .filter(|p| p.end_s > p.start_s)
        .collect()
}

/// The jump (index into `jumps`) and phase at time `t`, if any.
pub fn phase_at(jumps: &[Jump], t: f64) -> Option<(usize, Phase)> {
    jumps.iter().enumerate().find_map(|(i, j)| {
        phases(j)
            .into_iter()
            .find(|p| t >= p.start_s && t < p.end_s)
            .map(|p| (i, p))
    })
}
