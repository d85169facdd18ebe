//! Jump analysis: signals → flights → jumps (kind, events) → metrics and quality.
//!
//! Every metric and event is named by the [`catalogue`]; a hand correction of a jump's
//! takeoff or landing is an [`EdgeOverride`] in the options, so an edited jump is analysed
//! exactly as a fresh analysis forced to those edges (its own scale, refitted flight,
//! quality and contact time).

mod angles;
pub mod catalogue;
mod edges;
mod flights;
mod frames;
mod ground;
mod jumps;
mod metrics;
pub mod people;
mod phases;
pub mod power;
mod quality;
mod signals;
pub mod smooth;
mod squeezed;
mod view;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use angles::{JointAngles, joint_angles};
pub use catalogue::{EventId, Interval, MetricId};
pub use flights::{Flight, G, find_flights};
pub use frames::{clip_end, frame_at_or_after, frame_at_or_before, frames_between, nearest_frame};
pub use ground::{Clearance, toe_clearance};
pub use phases::{Phase, PhaseBand, band_at, bands};
pub use signals::{Signals, build as build_signals, centre_of_mass};
pub use view::{View, ViewJudgement};

use crate::pose::PoseFrame;
use crate::timing::{Timings, stage};
use crate::video::CameraMotion;

/// Lowest frame rate at which jumps are looked for.
pub const MIN_FPS: f64 = 10.0;
/// A correction is matched to the detected flight whose takeoff is this close to the one it
/// was made on (a newer analysis may time the same takeoff slightly differently).
pub const EDGE_MATCH_S: f64 = 0.05;
/// Corrected edges keep at least this far from the apex and the neighbouring jumps.
const MIN_EDGE_GAP_S: f64 = 0.02;

/// The kinds of jump Hangtime recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::Cmj, Self::Dj, Self::Sj, Self::Hops];

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

    /// The kind with this report name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A timed event of a jump.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Which event.
    pub id: EventId,
    /// Sub-frame time in seconds from the first displayed frame.
    pub time_s: f64,
    /// Displayed frame at or just after the event.
    pub frame: usize,
}

/// One metric's value, in the unit its catalogue entry names.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Which metric.
    pub id: MetricId,
    /// Value in the stored unit.
    pub value: f64,
    /// 95 % interval, for the metrics the catalogue gives one.
    pub interval: Option<Interval>,
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
    /// Metrics in catalogue order.
    pub metrics: Vec<Metric>,
    /// Quality score and warnings.
    pub quality: Quality,
    /// The automatically detected (takeoff, landing) when a person corrected them.
    pub detected_edges: Option<(f64, f64)>,
}

impl Jump {
    /// A metric's value.
    pub fn metric(&self, id: MetricId) -> Option<f64> {
        self.metrics.iter().find(|m| m.id == id).map(|m| m.value)
    }

    /// A metric's 95 % interval, when it has one.
    pub fn interval(&self, id: MetricId) -> Option<Interval> {
        self.metrics
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| m.interval)
    }

    /// An event's time.
    pub fn event(&self, id: EventId) -> Option<f64> {
        self.events.iter().find(|e| e.id == id).map(|e| e.time_s)
    }

    /// Whether a person corrected takeoff or landing by hand.
    pub fn edited(&self) -> bool {
        self.detected_edges.is_some()
    }
}

/// Facts about the clip that the analysis needs beyond the poses.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
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

/// A person's correction of one jump's takeoff and landing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EdgeOverride {
    /// Takeoff of the detected flight the correction was made on (it finds that flight again).
    pub detected_takeoff_s: f64,
    /// Corrected takeoff.
    pub takeoff_s: f64,
    /// Corrected landing.
    pub landing_s: f64,
}

/// Analysis settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnalysisOptions {
    /// Force every jump to this kind instead of classifying automatically.
    pub kind: Option<JumpKind>,
    /// Hand corrections of takeoff and landing.
    pub edges: Vec<EdgeOverride>,
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
    /// The clip facts it was run with.
    pub facts: ClipFacts,
    /// The options it was run with.
    pub options: AnalysisOptions,
    /// How the camera sees the athlete (`None` when too few frames show the trunk).
    pub view: Option<ViewJudgement>,
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
    let poses = squeezed::without_squeezed(poses);
    let head_out = signals::head_above_picture(&poses);
    let (poses, camera) = steadied(poses, (f64::from(facts.width), f64::from(facts.height)));
    let poses = poses.as_ref();
    let mut signals = timings.time(stage::SMOOTHING, parent, || {
        build_signals(poses, f64::from(facts.width), f64::from(facts.height))
    });
    signals.camera_motion_px = camera.vertical_px;
    signals.camera_zoom = camera.zoom;
    signals.head_out = head_out;
    analyze_signals(signals, poses, facts, options, retimed, timings)
}

/// Background motion, as a share of the frame height, below which the camera counts as still
/// (its estimate then adds only noise).
const CAMERA_MOTION_SHARE: f64 = 0.01;

/// How far the camera moved the picture over a clip.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct CameraTravel {
    /// Range of the background's vertical position, in pixels.
    vertical_px: f64,
    /// Range of its horizontal position, in pixels.
    horizontal_px: f64,
    /// Range of its scale (0.1 = it looked 10 % larger at one time than at another).
    zoom: f64,
}

/// The poses in the first frame's background when the camera tilted, panned or zoomed (every
/// landmark carried back through the background's motion), and how far the camera moved
/// them up or down and zoomed (none when it stood still or only panned sideways); the poses
/// as they are for a still camera.
fn steadied(poses: Cow<'_, [PoseFrame]>, size: (f64, f64)) -> (Cow<'_, [PoseFrame]>, CameraTravel) {
    let (width, height) = size;
    // Where the picture's centre went: a zoom about a corner moves that corner's coordinates
    // without moving anything in view.
    let (cx, cy) = (0.5 * width, 0.5 * height);
    let range = |value: &dyn Fn(CameraMotion) -> f64| {
        let (lo, hi) = poses
            .iter()
            .filter(|p| p.tracked)
            .map(|p| value(p.camera))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        if hi >= lo { hi - lo } else { 0.0 }
    };
    let travel = CameraTravel {
        vertical_px: range(&|c| f64::from(c.scale) * cy + f64::from(c.dy)),
        horizontal_px: range(&|c| f64::from(c.scale) * cx + f64::from(c.dx)),
        zoom: range(&|c| f64::from(c.scale)),
    };
    let moved = |t: &CameraTravel| {
        t.vertical_px > CAMERA_MOTION_SHARE * height || t.zoom > CAMERA_MOTION_SHARE
    };
    if !(moved(&travel) || travel.horizontal_px > CAMERA_MOTION_SHARE * width) {
        return (poses, CameraTravel::default());
    }
    let mut steady = poses.into_owned();
    for pose in &mut steady {
        for l in &mut pose.landmarks {
            (l.x, l.y) = pose.camera.to_first(l.x, l.y);
        }
    }
    // A sideways pan moves nothing a height depends on: it is taken out without a warning.
    let reported = if moved(&travel) {
        travel
    } else {
        CameraTravel::default()
    };
    (Cow::Owned(steady), reported)
}

impl Analysis {
    /// The same clip analysed again with other options (a correction, another kind), reusing
    /// the signals: the result equals a fresh [`analyze`] with those options.
    #[must_use]
    pub fn reanalyzed(&self, poses: &[PoseFrame], options: &AnalysisOptions) -> Self {
        let (poses, retimed) = with_usable_times(poses, self.facts.fps);
        let poses = squeezed::without_squeezed(poses);
        analyze_signals(
            self.signals.clone(),
            poses.as_ref(),
            &self.facts,
            options,
            retimed,
            &mut Timings::new(),
        )
    }

    /// The options that move jump `jump`'s takeoff and landing to the given times, clamped
    /// so that the previous landing < takeoff < apex < landing < the next takeoff; `None` for
    /// a jump that does not exist or times that are not numbers.
    pub fn with_edges(
        &self,
        jump: usize,
        takeoff_s: f64,
        landing_s: f64,
    ) -> Option<AnalysisOptions> {
        let flight = self.flights.get(jump)?;
        if !(takeoff_s.is_finite() && landing_s.is_finite()) {
            return None;
        }
        let previous_landing = jump
            .checked_sub(1)
            .and_then(|p| self.flights.get(p))
            .map_or(f64::NEG_INFINITY, |f| f.landing_s);
        let next_takeoff = self
            .flights
            .get(jump + 1)
            .map_or(f64::INFINITY, |f| f.takeoff_s);
        let first_time = self.signals.t.first().copied().unwrap_or(0.0);
        let last_time = self.signals.t.last().copied().unwrap_or(0.0);
        let apex = flight.apex_s;
        let takeoff = takeoff_s
            .min(apex - MIN_EDGE_GAP_S)
            .max(previous_landing + MIN_EDGE_GAP_S)
            .max(first_time);
        let landing = landing_s
            .max(apex + MIN_EDGE_GAP_S)
            .min(next_takeoff - MIN_EDGE_GAP_S)
            .min(last_time);
        if !(landing > takeoff) {
            return None;
        }
        let detected_takeoff_s = flight.detected.map_or(flight.takeoff_s, |d| d.0);
        let mut options = self.options.clone();
        options
            .edges
            .retain(|e| (e.detected_takeoff_s - detected_takeoff_s).abs() > 1e-9);
        options.edges.push(EdgeOverride {
            detected_takeoff_s,
            takeoff_s: takeoff,
            landing_s: landing,
        });
        Some(options)
    }
}

/// The analysis of already-built signals (shared by a fresh analysis and a re-analysis).
fn analyze_signals(
    signals: Signals,
    poses: &[PoseFrame],
    facts: &ClipFacts,
    options: &AnalysisOptions,
    retimed: usize,
    timings: &mut Timings,
) -> Analysis {
    let parent = Some(stage::ANALYSIS);
    let mut unmatched = Vec::new();
    let (flights, found) = timings.time(stage::EVENTS, parent, || {
        // Below this rate a flight spans a frame or two: nothing can be timed.
        if facts.fps < MIN_FPS {
            return (Vec::new(), jumps::Found::default());
        }
        let mut flights = find_flights(&signals);
        unmatched = apply_overrides(&signals, &mut flights, &options.edges);
        let found = jumps::segment(&signals, &flights, options.kind, poses);
        (flights, found)
    });
    let started = std::time::Instant::now();
    let px_per_m = clip_scale(&flights, &signals);
    let mut warnings = Vec::new();
    if retimed > 0 {
        warnings.push(format!(
            "{retimed} frames had unusable timestamps and were placed one frame interval after \
             the frame before; events near them may be off."
        ));
    }
    warnings.extend(quality::clip_warnings(&signals, facts, &found.notes));
    for e in unmatched {
        warnings.push(format!(
            "A correction of the jump taking off at {:.2} s matched no jump found now and was \
             left out.",
            e.detected_takeoff_s
        ));
    }
    let view = view::judge(poses);
    let side_view = view.is_some_and(|v| v.view == View::Side);
    let mut hidden_by_view = false;
    let mut jumps = Vec::new();
    let mut used_flights = Vec::new();
    for (i, cand) in found.jumps.iter().enumerate() {
        let scale = cand
            .flight
            .px_per_m
            .filter(|_| cand.flight_scale_ok)
            .or(px_per_m);
        let mut metrics = metrics::compute(cand, &signals, poses, scale);
        if !side_view {
            let before = metrics.len();
            metrics.retain(|m| !m.id.spec().needs(catalogue::Need::SideView));
            hidden_by_view |= metrics.len() < before;
        }
        let quality = quality::assess(cand, &signals, facts, &metrics, scale);
        jumps.push(Jump {
            index: i + 1,
            kind: cand.kind,
            takeoff_frame: frame_at_or_after(&signals.t, cand.flight.takeoff_s),
            landing_frame: frame_at_or_after(&signals.t, cand.flight.landing_s),
            events: cand
                .events
                .iter()
                .map(|&(id, time_s)| Event {
                    id,
                    time_s,
                    frame: frame_at_or_after(&signals.t, time_s),
                })
                .collect(),
            metrics,
            quality,
            detected_edges: cand.flight.detected,
        });
        used_flights.push(cand.flight.clone());
    }
    timings.add(stage::METRICS, parent, started.elapsed());
    if hidden_by_view {
        warnings.push(view_warning(view));
    }
    if facts.fps < MIN_FPS {
        warnings.push(format!(
            "The frame rate ({:.1} fps) is too low to time jumps; film at 30 fps or more.",
            facts.fps
        ));
    } else if jumps.is_empty() && found.drop_landings == 0 {
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
        facts: *facts,
        options: options.clone(),
        view,
    }
}

/// Why the sagittal-plane numbers are left out.
fn view_warning(view: Option<ViewJudgement>) -> String {
    let needing: Vec<&str> = catalogue::METRICS
        .iter()
        .filter(|m| m.needs(catalogue::Need::SideView))
        .map(|m| m.label)
        .collect();
    let what = needing.join(", ").to_lowercase();
    match view {
        Some(v) => format!(
            "The athlete is seen from the {} (shoulders and hips {:.0} % as wide as the trunk is long): {what} need a side view and are left out.",
            if v.view == View::Front {
                "front or back"
            } else {
                "side at an angle"
            },
            100.0 * v.width_ratio
        ),
        None => format!(
            "The trunk is not seen well enough to tell whether the camera is at the side: {what} are left out."
        ),
    }
}

/// Replaces each corrected flight by one forced to its corrected edges; returns the
/// corrections that matched no flight.
fn apply_overrides(
    signals: &Signals,
    flights: &mut [Flight],
    edges: &[EdgeOverride],
) -> Vec<EdgeOverride> {
    let mut unmatched = Vec::new();
    for e in edges {
        let nearest = flights
            .iter()
            .enumerate()
            .filter(|(_, f)| f.detected.is_none())
            .map(|(i, f)| (i, (f.takeoff_s - e.detected_takeoff_s).abs()))
            .filter(|&(_, d)| d <= EDGE_MATCH_S)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let forced = nearest.and_then(|(i, _)| {
            let detected = (flights[i].takeoff_s, flights[i].landing_s);
            flights::with_edges(signals, e.takeoff_s, e.landing_s).map(|f| (i, f, detected))
        });
        match forced {
            Some((i, mut f, detected)) => {
                f.detected = Some(detected);
                // An edge a person placed is good to about a frame (half a frame either way);
                // one left where it was keeps the fit's own uncertainty.
                let placed = median_frame_interval(&signals.t) / 12f64.sqrt();
                let same = |a: f64, b: f64| (a - b).abs() < 1e-9;
                let auto = &flights[i];
                f.takeoff_sigma_s = if same(e.takeoff_s, auto.takeoff_s) {
                    auto.takeoff_sigma_s
                } else {
                    placed
                };
                f.landing_sigma_s = if same(e.landing_s, auto.landing_s) {
                    auto.landing_sigma_s
                } else {
                    placed
                };
                f.curvature_sigma_s = auto.curvature_sigma_s;
                // The ground lines are the scene's, not the edges': measured beside a moved
                // edge they could fall on airborne frames.
                f.ground_y = flights[i].ground_y;
                flights[i] = f;
            }
            None => unmatched.push(*e),
        }
    }
    unmatched
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
    let times: Vec<f64> = poses.iter().map(|p| p.time_s).collect();
    let step = frame_interval(&times)
        .or_else(|| (fps.is_finite() && fps > 0.0).then(|| 1.0 / fps))
        .unwrap_or(1.0 / 30.0);
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

/// The typical time between frames: the median of the positive finite steps.
fn frame_interval(times: &[f64]) -> Option<f64> {
    let mut steps: Vec<f64> = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| d.is_finite() && *d > 0.0)
        .collect();
    let m = smooth::median(&mut steps);
    m.is_finite().then_some(m)
}

/// The typical time between frames, 1/30 s when it cannot be told.
pub(crate) fn median_frame_interval(times: &[f64]) -> f64 {
    frame_interval(times).unwrap_or(1.0 / 30.0)
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
