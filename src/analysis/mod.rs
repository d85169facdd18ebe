//! Jump analysis: signals → flights → jumps (kind, events) → metrics and quality.

mod angles;
mod flights;
mod jumps;
mod metrics;
mod phases;
mod quality;
mod signals;
pub mod smooth;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use angles::{JointAngles, joint_angles};
pub use flights::{Flight, G, find_flights, toe_clearance};
pub use phases::{Phase, phase_at, phases};
pub use signals::{Signals, build as build_signals, centre_of_mass};

use crate::pose::PoseFrame;
use crate::timing::{Timings, stage};

/// Lowest frame rate at which jumps are looked for.
pub const MIN_FPS: f64 = 10.0;

/// The kinds of jump Hangtime recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum JumpKind {
    /// Countermovement jump.
    Cmj,
    /// Drop jump (from a box, rebound).
    Dj,
    /// Squat jump (from a held squat).
    Sj,
    /// One of a series of repeated rebound hops.
    Hops,
}

impl JumpKind {
    /// Lower-case name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cmj => "cmj",
            Self::Dj => "dj",
            Self::Sj => "sj",
            Self::Hops => "hops",
        }
    }

    /// Name a coach reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cmj => "Countermovement jump",
            Self::Dj => "Drop jump",
            Self::Sj => "Squat jump",
            Self::Hops => "Hop",
        }
    }
}

/// A timed event of a jump.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Event name, e.g. `takeoff`.
    pub name: String,
    /// Sub-frame time in seconds from the first displayed frame.
    pub time_s: f64,
    /// Displayed frame at or just after the event.
    pub frame: usize,
}

/// A named metric; the unit is part of the name (`jump_height_m`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Name with unit suffix.
    pub name: String,
    /// Value.
    pub value: f64,
}

/// How far a jump's numbers can be trusted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Quality {
    /// 0 (unusable) to 1 (clean).
    pub score: f64,
    /// Plain-language warnings.
    pub warnings: Vec<String>,
}

/// One analysed jump.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jump {
    /// 1-based position in the clip.
    pub index: usize,
    /// Kind of jump.
    pub kind: JumpKind,
    /// First airborne displayed frame.
    pub takeoff_frame: usize,
    /// First displayed frame in contact after the flight.
    pub landing_frame: usize,
    /// Events in time order.
    pub events: Vec<Event>,
    /// Metrics with units in their names.
    pub metrics: Vec<Metric>,
    /// Quality score and warnings.
    pub quality: Quality,
    /// Whether a person corrected takeoff or landing by hand.
    pub edited: bool,
}

impl Jump {
    /// A metric's value by name.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    }

    /// An event's time by name.
    pub fn event(&self, name: &str) -> Option<f64> {
        self.events
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.time_s)
    }
}

/// Facts about the clip that the analysis needs beyond the poses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipFacts {
    /// Measured frame rate.
    pub fps: f64,
    /// Variable frame rate.
    pub vfr: bool,
    /// Displayed width in pixels.
    pub width: u32,
    /// Displayed height in pixels.
    pub height: u32,
}

/// Analysis settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnalysisOptions {
    /// Force every jump to this kind instead of classifying automatically.
    pub kind: Option<JumpKind>,
}

/// Everything the analysis found in one clip.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Jumps in time order.
    pub jumps: Vec<Jump>,
    /// Clip-level warnings.
    pub warnings: Vec<String>,
    /// Pixels per metre (median over flights), if any flight gave it.
    pub px_per_m: Option<f64>,
    /// The signals the jumps were found in (for plots and series export).
    pub signals: Signals,
    /// The flights behind the jumps, same order as `jumps`.
    pub flights: Vec<Flight>,
}

/// Analyses tracked poses of one clip, recording stage times under [`stage::ANALYSIS`].
pub fn analyze(
    poses: &[PoseFrame],
    facts: &ClipFacts,
    options: &AnalysisOptions,
    timings: &mut Timings,
) -> Analysis {
    let parent = Some(stage::ANALYSIS);
    let (poses, retimed) = with_usable_times(poses, facts.fps);
    let poses = poses.as_ref();
    let signals = timings.time(stage::SMOOTHING, parent, || {
        build_signals(poses, f64::from(facts.width), f64::from(facts.height))
    });
    let (flights, found) = timings.time(stage::EVENTS, parent, || {
        // Below this rate a flight spans a frame or two: nothing can be timed.
        if facts.fps < MIN_FPS {
            return (Vec::new(), jumps::Found::default());
        }
        let flights = find_flights(&signals);
        let found = jumps::segment(&signals, &flights, options.kind, poses);
        (flights, found)
    });
    let started = std::time::Instant::now();
    let px_per_m = clip_scale(&flights, &signals);
    let mut warnings = quality::clip_warnings(&signals, facts, &found.notes);
    if retimed > 0 {
        warnings.push(format!(
            "{retimed} frames had unusable timestamps and were placed one frame interval after \
             the frame before; events near them may be off."
        ));
    }
    let mut jumps = Vec::new();
    let mut used_flights = Vec::new();
    for (i, cand) in found.jumps.iter().enumerate() {
        let scale = cand
            .flight
            .px_per_m
            .filter(|_| cand.flight_scale_ok)
            .or(px_per_m);
        let metrics = metrics::compute(cand, &signals, poses, scale);
        let quality = quality::assess(cand, &signals, facts, &metrics, scale);
        jumps.push(Jump {
            index: i + 1,
            kind: cand.kind,
            takeoff_frame: first_frame_at_or_after(&signals.t, cand.flight.takeoff_s),
            landing_frame: first_frame_at_or_after(&signals.t, cand.flight.landing_s),
            events: cand
                .events
                .iter()
                .map(|(name, t)| Event {
                    name: (*name).to_owned(),
                    time_s: *t,
                    frame: first_frame_at_or_after(&signals.t, *t),
                })
                .collect(),
            metrics,
            quality,
            edited: false,
        });
        used_flights.push(cand.flight.clone());
    }
    timings.add(stage::METRICS, parent, started.elapsed());
    if facts.fps < MIN_FPS {
        warnings.push(format!(
            "The frame rate ({:.1} fps) is too low to time jumps; film at 30 fps or more.",
            facts.fps
        ));
    } else if jumps.is_empty() {
        warnings.push(
            "No jump was found: check that the whole body, feet included, is in view.".to_owned(),
        );
    }
    Analysis {
        jumps,
        warnings,
        px_per_m,
        signals,
        flights: used_flights,
    }
}

/// The poses with frame times the analysis can rely on (finite and strictly increasing), and
/// how many had to be re-timed. A sane file never needs this, but a damaged one can carry any
/// timestamps; a bad time becomes the previous one plus the typical frame interval, so the
/// signals stay aligned with the frames.
fn with_usable_times(poses: &[PoseFrame], fps: f64) -> (Cow<'_, [PoseFrame]>, usize) {
    let usable = poses
        .windows(2)
        .all(|w| w[0].time_s.is_finite() && w[1].time_s > w[0].time_s)
        && poses.first().is_none_or(|p| p.time_s.is_finite());
    if usable {
        return (Cow::Borrowed(poses), 0);
    }
    let mut steps: Vec<f64> = poses
        .windows(2)
        .map(|w| w[1].time_s - w[0].time_s)
        .filter(|d| d.is_finite() && *d > 0.0)
        .collect();
    let typical = smooth::median(&mut steps);
    let step = if typical.is_finite() && typical > 0.0 {
        typical
    } else if fps.is_finite() && fps > 0.0 {
        1.0 / fps
    } else {
        1.0 / 30.0
    };
    let mut fixed = poses.to_vec();
    let mut retimed = 0;
    let mut previous = f64::NEG_INFINITY;
    for pose in &mut fixed {
        if !(pose.time_s.is_finite() && pose.time_s > previous) {
            pose.time_s = if previous.is_finite() {
                previous + step
            } else {
                0.0
            };
            retimed += 1;
        }
        previous = pose.time_s;
    }
    (Cow::Owned(fixed), retimed)
}

/// Re-times a jump after a person moved its takeoff or landing, and recomputes its metrics.
pub fn retime(
    analysis: &mut Analysis,
    poses: &[PoseFrame],
    jump: usize,
    takeoff_s: f64,
    landing_s: f64,
) {
    let Some(flight) = analysis.flights.get_mut(jump) else {
        return;
    };
    if !(takeoff_s.is_finite() && landing_s.is_finite() && landing_s > takeoff_s) {
        return;
    }
    flight.takeoff_s = takeoff_s;
    flight.landing_s = landing_s;
    let flight = flight.clone();
    let Some(j) = analysis.jumps.get_mut(jump) else {
        return;
    };
    let mut events: Vec<(&'static str, f64)> = j
        .events
        .iter()
        .filter_map(|e| {
            jumps::EVENT_NAMES
                .iter()
                .find(|n| **n == e.name)
                .map(|n| (*n, e.time_s))
        })
        .collect();
    for (name, t) in &mut events {
        match *name {
            "takeoff" => *t = takeoff_s,
            "landing" => *t = landing_s,
            _ => {}
        }
    }
    let cand = jumps::Candidate {
        kind: j.kind,
        flight,
        events,
        contact_s: None,
        flight_scale_ok: false,
    };
    let cand = jumps::Candidate {
        contact_s: jumps::contact_time(&cand),
        ..cand
    };
    j.metrics = metrics::compute(&cand, &analysis.signals, poses, analysis.px_per_m);
    j.takeoff_frame = first_frame_at_or_after(&analysis.signals.t, takeoff_s);
    j.landing_frame = first_frame_at_or_after(&analysis.signals.t, landing_s);
    for e in &mut j.events {
        if let Some((_, t)) = cand.events.iter().find(|(n, _)| *n == e.name) {
            e.time_s = *t;
            e.frame = first_frame_at_or_after(&analysis.signals.t, *t);
        }
    }
    j.edited = true;
}

/// Robust clip scale: the median of well-fitted flights' scales.
fn clip_scale(flights: &[Flight], signals: &Signals) -> Option<f64> {
    let mut scales: Vec<f64> = flights
        .iter()
        .filter(|f| jumps::scale_is_plausible(f, signals))
        .filter_map(|f| f.px_per_m)
        .collect();
    let m = smooth::median(&mut scales);
    m.is_finite().then_some(m)
}

/// Index of the first frame whose time is at or after `t` (the last frame if none).
pub fn first_frame_at_or_after(times: &[f64], t: f64) -> usize {
    times
        .partition_point(|&x| x < t - 1e-9)
        .min(times.len().saturating_sub(1))
}
