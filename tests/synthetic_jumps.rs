//! Synthetic jumps with exact truth: pose sequences built from ballistic physics, analysed
//! directly (no video, no models).
//!
//! The synthetic athlete is seen from the side (facing image-right) in a 720×1280 portrait
//! frame, about 600 px tall at 330 px/m. The feet (ankle, heel, foot index) stay fixed on the
//! ground during contact while the hips and upper body move: the knees are placed by inverse
//! kinematics, the trunk leans forward as the hips drop. The centre of mass (the analysis's own
//! segment model) follows a prescribed smooth trajectory during contact — a cosine-shaped
//! lowering, a push with constant upward acceleration to the takeoff velocity, a constant
//! deceleration on landing, a spring-like sine for rebound hops — and in flight the whole body
//! translates rigidly with the ballistic centre of mass in the standing posture it took off in.
//! The toes therefore leave and meet the ground exactly at the analytic takeoff and landing
//! instants, and the toe height is continuous.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

use hangtime::analysis::{
    Analysis, AnalysisOptions, ClipFacts, EventId, G, Interval, Jump, JumpKind, MetricId, analyze,
    centre_of_mass, joint_angles,
};
use hangtime::pose::{Landmark, PoseFrame, landmark as lm};
use hangtime::timing::Timings;

/// Pixels per metre.
const SCALE: f64 = 330.0;
/// Image y of the ground (the feet's contact line).
const GROUND_Y: f64 = 1180.0;
/// Image x of the ankle.
const ANKLE_X: f64 = 330.0;
const WIDTH: u32 = 720;
const HEIGHT: u32 = 1280;
const VISIBILITY: f32 = 0.95;

// Body dimensions in metres (about 1.82 m tall: ≈ 600 px).
const THIGH: f64 = 0.446;
const SHANK: f64 = 0.448;
const ANKLE: (f64, f64) = (0.0, 0.071);
const HEEL: (f64, f64) = (-0.06, 0.015);
const TOE: (f64, f64) = (0.19, 0.015);
const TRUNK: f64 = 0.50;
const NECK: f64 = 0.21;
const UPPER_ARM: f64 = 0.30;
const FOREARM: f64 = 0.26;
/// Knee angle when standing, degrees.
const STANDING_KNEE_DEG: f64 = 175.0;
/// Hip x when standing (slightly behind the ankle).
const STANDING_HIP_X: f64 = -0.03;
/// The hips move back this much per metre they drop.
const HIP_BACK_PER_DROP: f64 = 0.5;
/// Trunk lean from vertical, standing and per metre of hip drop (degrees).
const LEAN_DEG: f64 = 8.0;
const LEAN_DEG_PER_M: f64 = 100.0;
/// Deepest hip drop the posture model allows.
const MAX_DROP: f64 = 0.5;

// ---------------------------------------------------------------------------------------------
// Deterministic noise
// ---------------------------------------------------------------------------------------------

/// xorshift64* with Box–Muller Gaussians: small, deterministic, no crates.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn gaussian(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

// ---------------------------------------------------------------------------------------------
// Posture: hip drop → 33 landmarks
// ---------------------------------------------------------------------------------------------

fn standing_hip() -> (f64, f64) {
    let c = STANDING_KNEE_DEG.to_radians().cos();
    let reach = (THIGH * THIGH + SHANK * SHANK - 2.0 * THIGH * SHANK * c).sqrt();
    (
        STANDING_HIP_X,
        ANKLE.1 + (reach * reach - STANDING_HIP_X * STANDING_HIP_X).sqrt(),
    )
}

/// Landmarks in metres (x forward, y up, feet on y = 0) for a hip drop of `q` metres.
fn posture_m(q: f64) -> [(f64, f64); 33] {
    let (hx0, hy0) = standing_hip();
    let hip = (hx0 - HIP_BACK_PER_DROP * q, hy0 - q);
    // Knee: intersection of the thigh and shank circles, in front of the hip–ankle line.
    let (dx, dy) = (hip.0 - ANKLE.0, hip.1 - ANKLE.1);
    let d = dx.hypot(dy);
    let a = (SHANK * SHANK - THIGH * THIGH + d * d) / (2.0 * d);
    let h = (SHANK * SHANK - a * a).max(0.0).sqrt();
    let (ux, uy) = (dx / d, dy / d);
    // Of the two perpendiculars, (uy, −ux) points forward for a hip above the ankle.
    let knee = (ANKLE.0 + a * ux + h * uy, ANKLE.1 + a * uy - h * ux);
    let lean = (LEAN_DEG + LEAN_DEG_PER_M * q).to_radians();
    let shoulder = (hip.0 + TRUNK * lean.sin(), hip.1 + TRUNK * lean.cos());
    let neck_lean = 0.6 * lean;
    let ear = (
        shoulder.0 + NECK * neck_lean.sin(),
        shoulder.1 + NECK * neck_lean.cos(),
    );
    let arm = 15f64.to_radians();
    let elbow = (
        shoulder.0 + UPPER_ARM * arm.sin(),
        shoulder.1 - UPPER_ARM * arm.cos(),
    );
    let fore = 35f64.to_radians();
    let wrist = (
        elbow.0 + FOREARM * fore.sin(),
        elbow.1 - FOREARM * fore.cos(),
    );
    let off = |p: (f64, f64), x: f64, y: f64| (p.0 + x, p.1 + y);

    let mut out = [(0.0, 0.0); 33];
    out[lm::NOSE] = off(ear, 0.10, -0.02);
    out[1] = off(ear, 0.08, 0.03);
    out[2] = off(ear, 0.075, 0.03);
    out[3] = off(ear, 0.07, 0.03);
    out[4] = off(ear, 0.08, 0.03);
    out[5] = off(ear, 0.075, 0.03);
    out[6] = off(ear, 0.07, 0.03);
    out[lm::LEFT_EAR] = ear;
    out[lm::RIGHT_EAR] = ear;
    out[9] = off(ear, 0.08, -0.06);
    out[10] = off(ear, 0.08, -0.06);
    for (l, r, p) in [
        (lm::LEFT_SHOULDER, lm::RIGHT_SHOULDER, shoulder),
        (lm::LEFT_ELBOW, lm::RIGHT_ELBOW, elbow),
        (lm::LEFT_WRIST, lm::RIGHT_WRIST, wrist),
        (17, 18, off(wrist, 0.03, -0.08)),
        (19, 20, off(wrist, 0.05, -0.08)),
        (21, 22, off(wrist, 0.04, -0.03)),
        (lm::LEFT_HIP, lm::RIGHT_HIP, hip),
        (lm::LEFT_KNEE, lm::RIGHT_KNEE, knee),
        (lm::LEFT_ANKLE, lm::RIGHT_ANKLE, ANKLE),
        (lm::LEFT_HEEL, lm::RIGHT_HEEL, HEEL),
        (lm::LEFT_FOOT_INDEX, lm::RIGHT_FOOT_INDEX, TOE),
    ] {
        // The near (right) side a little in front of the far side, as in a slightly oblique view.
        out[l] = off(p, -0.01, 0.0);
        out[r] = off(p, 0.01, 0.0);
    }
    out
}

/// Landmarks in image pixels for hip drop `q`, the whole body lifted by `lift` metres.
fn landmarks(q: f64, lift: f64) -> Vec<Landmark> {
    posture_m(q)
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| Landmark {
            x: (ANKLE_X + x * SCALE) as f32,
            y: (GROUND_Y - (y + lift) * SCALE) as f32,
            z: if i % 2 == 0 { -20.0 } else { 20.0 },
            visibility: VISIBILITY,
            presence: VISIBILITY,
        })
        .collect()
}

/// Centre of mass height (metres above the ground) for hip drop `q`, by the analysis's model.
fn com_height(q: f64) -> f64 {
    let (_, y) = centre_of_mass(&landmarks(q, 0.0)).expect("33 landmarks");
    (GROUND_Y - y) / SCALE
}

/// The hip drop that puts the centre of mass `drop` metres below its standing height.
fn drop_for(drop: f64) -> f64 {
    let target = com_height(0.0) - drop;
    assert!(
        target >= com_height(MAX_DROP),
        "centre-of-mass drop {drop} m is beyond the posture model"
    );
    let (mut lo, mut hi) = (0.0, MAX_DROP);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if com_height(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Knee angle (degrees) for hip drop `q`, by the analysis's joint-angle function.
fn knee_deg(q: f64) -> f64 {
    joint_angles(&landmarks(q, 0.0)).expect("angles").knee
}

// ---------------------------------------------------------------------------------------------
// Motion script: centre-of-mass displacement over time
// ---------------------------------------------------------------------------------------------

/// One phase of the motion. `z` is the centre of mass's height relative to standing (metres,
/// up positive); every phase starts where the previous one ended.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Stay still.
    Hold(f64),
    /// Smooth (half-cosine) move to `to`, velocity zero at both ends: (duration, to).
    Move(f64, f64),
    /// Push from rest at the current (negative) `z` to standing with constant upward
    /// acceleration, reaching `v0` (m/s) as the body is back in its standing posture.
    Push(f64),
    /// Ballistic flight with takeoff velocity `v0`.
    Flight(f64),
    /// Land at `v` (m/s) and decelerate uniformly to rest `depth` metres lower.
    Absorb { v: f64, depth: f64 },
    /// Rebound contact of `duration` seconds: land at `v` and leave at `v` (a spring-mass sine).
    Rebound { v: f64, duration: f64 },
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    start: f64,
    end: f64,
    z0: f64,
    phase: Phase,
}

/// A scripted sequence and its truth.
#[derive(Debug, Clone)]
struct Script {
    segments: Vec<Segment>,
    /// (takeoff, landing) of each flight, seconds.
    flights: Vec<(f64, f64)>,
}

impl Script {
    fn new(phases: &[Phase]) -> Self {
        let (mut t, mut z) = (0.0, 0.0);
        let mut segments = Vec::new();
        let mut flights = Vec::new();
        for &phase in phases {
            let (duration, z1) = match phase {
                Phase::Hold(d) => (d, z),
                Phase::Move(d, to) => (d, to),
                Phase::Push(v0) => {
                    assert!(z < 0.0, "a push starts from a lowered position");
                    (2.0 * -z / v0, 0.0)
                }
                Phase::Flight(v0) => {
                    assert!(z.abs() < 1e-12, "flights start in the standing posture");
                    flights.push((t, t + 2.0 * v0 / G));
                    (2.0 * v0 / G, 0.0)
                }
                Phase::Absorb { v, depth } => (2.0 * depth / v, z - depth),
                Phase::Rebound { duration, .. } => (duration, z),
            };
            segments.push(Segment {
                start: t,
                end: t + duration,
                z0: z,
                phase,
            });
            t += duration;
            z = z1;
        }
        Self { segments, flights }
    }

    fn duration(&self) -> f64 {
        self.segments.last().map_or(0.0, |s| s.end)
    }

    /// (centre-of-mass height relative to standing, airborne) at time `t`.
    fn at(&self, t: f64) -> (f64, bool) {
        let seg = self
            .segments
            .iter()
            .find(|s| t < s.end)
            .or(self.segments.last())
            .expect("a non-empty script");
        let dt = (t - seg.start).clamp(0.0, seg.end - seg.start);
        let len = seg.end - seg.start;
        let u = if len > 0.0 { dt / len } else { 1.0 };
        match seg.phase {
            Phase::Hold(_) => (seg.z0, false),
            Phase::Move(_, to) => (
                seg.z0 + (to - seg.z0) * (1.0 - (std::f64::consts::PI * u).cos()) / 2.0,
                false,
            ),
            Phase::Push(_) => (seg.z0 * (1.0 - u * u), false),
            Phase::Flight(v0) => (v0 * dt - 0.5 * G * dt * dt, t > seg.start && t < seg.end),
            Phase::Absorb { v, .. } => {
                let depth = 0.5 * v * len;
                (seg.z0 - depth * (1.0 - (1.0 - u) * (1.0 - u)), false)
            }
            Phase::Rebound { v, duration } => (
                seg.z0 - v * duration / std::f64::consts::PI * (std::f64::consts::PI * u).sin(),
                false,
            ),
        }
    }
}

/// Takeoff velocity for a jump height.
fn v0_for(height_m: f64) -> f64 {
    (2.0 * G * height_m).sqrt()
}

// ---------------------------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct Sampling {
    fps: f64,
    /// Timestamp jitter as a fraction of the frame interval (uniform ±).
    jitter: f64,
    /// Landmark noise in pixels (x and y).
    noise_px: f64,
    /// Frames reported untracked.
    dropped: Vec<usize>,
    seed: u64,
}

impl Sampling {
    fn at(fps: f64) -> Self {
        Self {
            fps,
            seed: 1,
            ..Self::default()
        }
    }
}

/// Frame times for a script under `s`.
fn frame_times(script: &Script, s: &Sampling, rng: &mut Rng) -> Vec<f64> {
    let n = (script.duration() * s.fps).floor() as usize;
    (0..n)
        .map(|k| {
            let jitter = if k == 0 {
                0.0
            } else {
                s.jitter * (2.0 * rng.uniform() - 1.0)
            };
            (k as f64 + jitter) / s.fps
        })
        .collect()
}

fn poses_at(script: &Script, times: &[f64], s: &Sampling, rng: &mut Rng) -> Vec<PoseFrame> {
    times
        .iter()
        .enumerate()
        .map(|(index, &t)| {
            if s.dropped.contains(&index) {
                return PoseFrame::untracked(index, t, false);
            }
            let (z, airborne) = script.at(t);
            let mut lms = if airborne {
                landmarks(0.0, z)
            } else {
                landmarks(drop_for(-z), 0.0)
            };
            if s.noise_px > 0.0 {
                for l in &mut lms {
                    l.x += (s.noise_px * rng.gaussian()) as f32;
                    l.y += (s.noise_px * rng.gaussian()) as f32;
                }
            }
            PoseFrame {
                index,
                time_s: t,
                tracked: true,
                pose_score: 0.95,
                detector_ran: index == 0,
                roi: None,
                landmarks: lms,
                world: Vec::new(),
                camera: hangtime::video::CameraMotion::STILL,
            }
        })
        .collect()
}

/// Samples a script: its poses and clip facts.
fn sample(script: &Script, s: &Sampling) -> (Vec<PoseFrame>, ClipFacts) {
    let mut rng = Rng::new(s.seed);
    let times = frame_times(script, s, &mut rng);
    let poses = poses_at(script, &times, s, &mut rng);
    let facts = ClipFacts {
        fps: s.fps,
        vfr: s.jitter > 0.0,
        width: WIDTH,
        height: HEIGHT,
    };
    (poses, facts)
}

/// Samples a script and analyses it.
fn run(script: &Script, s: &Sampling) -> (Analysis, Vec<f64>) {
    let (poses, facts) = sample(script, s);
    let analysis = analyze(
        &poses,
        &facts,
        &AnalysisOptions::default(),
        &mut Timings::new(),
    );
    let times = poses.iter().map(|p| p.time_s).collect();
    (analysis, times)
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// Largest errors over a clip's jumps.
#[derive(Debug, Default, Clone, Copy)]
struct Errors {
    takeoff_s: f64,
    landing_s: f64,
    height_m: f64,
}

/// Matches every true flight to a found jump (same order, one each) and returns the errors.
fn flight_errors<'a>(
    label: &str,
    analysis: &'a Analysis,
    script: &Script,
) -> (Errors, Vec<&'a Jump>) {
    let summary: Vec<_> = analysis
        .jumps
        .iter()
        .map(|j| {
            (
                j.kind.name(),
                j.event(EventId::Takeoff),
                j.event(EventId::Landing),
            )
        })
        .collect();
    assert_eq!(
        analysis.jumps.len(),
        script.flights.len(),
        "{label}: expected {} jumps, found {summary:?}; truth {:?}; warnings {:?}",
        script.flights.len(),
        script.flights,
        analysis.warnings
    );
    let mut e = Errors::default();
    let mut jumps = Vec::new();
    for (jump, &(takeoff, landing)) in analysis.jumps.iter().zip(&script.flights) {
        let est_to = jump.event(EventId::Takeoff).expect("takeoff event");
        let est_ld = jump.event(EventId::Landing).expect("landing event");
        let height = jump.metric(MetricId::JumpHeight).expect("jump height");
        let truth_h = G * (landing - takeoff).powi(2) / 8.0;
        e.takeoff_s = e.takeoff_s.max((est_to - takeoff).abs());
        e.landing_s = e.landing_s.max((est_ld - landing).abs());
        e.height_m = e.height_m.max((height - truth_h).abs());
        jumps.push(jump);
    }
    (e, jumps)
}

impl Errors {
    fn max(self, o: Self) -> Self {
        Self {
            takeoff_s: self.takeoff_s.max(o.takeoff_s),
            landing_s: self.landing_s.max(o.landing_s),
            height_m: self.height_m.max(o.height_m),
        }
    }
}

fn report(label: &str, e: Errors) {
    eprintln!(
        "{label}: takeoff {:.4} ms, landing {:.4} ms, height {:.4} cm",
        e.takeoff_s * 1e3,
        e.landing_s * 1e3,
        e.height_m * 100.0
    );
}

const NOISE_FPS: [f64; 5] = [25.0, 30.0, 60.0, 120.0, 240.0];
const SEEDS: u64 = 20;

/// Asserts takeoff and landing within `frames` of a frame interval.
fn assert_edges_within(label: &str, e: Errors, frames: f64, fps: f64) {
    assert!(
        e.takeoff_s < frames / fps,
        "{label}: takeoff off by {:.2} ms",
        e.takeoff_s * 1e3
    );
    assert!(
        e.landing_s < frames / fps,
        "{label}: landing off by {:.2} ms",
        e.landing_s * 1e3
    );
}

/// Asserts sub-quarter-frame takeoff and landing and height within 1 cm.
fn assert_accurate(label: &str, e: Errors, fps: f64) {
    assert_edges_within(label, e, 0.25, fps);
    assert!(
        e.height_m < 0.01,
        "{label}: height off by {:.2} cm",
        e.height_m * 100.0
    );
}

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

/// Centre-of-mass depth of a countermovement (metres).
const CMJ_DEPTH: f64 = 0.30;

/// Countermovement jumps of the given heights, each from and back to quiet standing.
fn cmj_script(heights: &[f64], start_offset: f64) -> Script {
    let mut phases = vec![Phase::Hold(1.0 + start_offset)];
    for &h in heights {
        let v0 = v0_for(h);
        phases.extend([
            Phase::Move(0.5, -CMJ_DEPTH),
            Phase::Push(v0),
            Phase::Flight(v0),
            Phase::Absorb { v: v0, depth: 0.22 },
            Phase::Hold(0.1),
            Phase::Move(0.7, 0.0),
            Phase::Hold(1.2),
        ]);
    }
    Script::new(&phases)
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn synthetic_posture_is_realistic() {
    let standing = knee_deg(0.0);
    assert!(
        (standing - STANDING_KNEE_DEG).abs() < 0.1,
        "standing knee {standing}"
    );
    let q = drop_for(CMJ_DEPTH);
    let deep = knee_deg(q);
    assert!(
        (85.0..115.0).contains(&deep),
        "knee at the bottom of the countermovement {deep}"
    );
    // About 600 px tall standing.
    let lms = landmarks(0.0, 0.0);
    let top = lms.iter().map(|l| l.y).fold(f32::INFINITY, f32::min);
    let height_px = GROUND_Y as f32 - top + 0.13 * SCALE as f32;
    assert!((560.0..640.0).contains(&height_px), "height {height_px} px");
    // The toes are on the ground in contact and leave it exactly at takeoff.
    let script = cmj_script(&[0.35], 0.0);
    let (takeoff, landing) = script.flights[0];
    let toe_lift = |t: f64| {
        let (z, air) = script.at(t);
        let l = if air {
            landmarks(0.0, z)
        } else {
            landmarks(drop_for(-z), 0.0)
        };
        GROUND_Y - f64::from(l[lm::LEFT_FOOT_INDEX].y) - TOE.1 * SCALE
    };
    for t in [takeoff - 1e-4, landing + 1e-4, takeoff - 0.1] {
        assert!(
            toe_lift(t).abs() < 1e-3,
            "toe off the ground at {t}: {}",
            toe_lift(t)
        );
    }
    assert!(toe_lift(takeoff + 1e-3) > 0.0 && toe_lift(takeoff + 1e-3) < 1.5);
    assert!(toe_lift(0.5 * (takeoff + landing)) > 0.34 * SCALE);
}

#[test]
fn countermovement_jump_is_timed_within_a_quarter_frame_at_every_frame_rate() {
    for fps in [25.0, 30.0, 60.0, 120.0, 240.0] {
        // Offsets put takeoff and landing at different phases between frames.
        let mut worst = Errors::default();
        for offset in [0.0, 0.37, 0.71] {
            let script = cmj_script(&[0.35], offset / fps);
            let (analysis, _) = run(&script, &Sampling::at(fps));
            let label = format!("clean CMJ, {fps} fps, phase {offset}");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            assert_eq!(jumps[0].kind, JumpKind::Cmj, "{label}");
            assert_accurate(&label, e, fps);
            // The parabola's curvature is g: it gives the pixel scale back.
            let scale = analysis.px_per_m.expect("a scale from the flight");
            assert!((scale / SCALE - 1.0).abs() < 1e-3, "{label}: scale {scale}");
            worst = worst.max(e);
        }
        report(&format!("clean CMJ {fps} fps (worst of 3 phases)"), worst);
    }
}

#[test]
fn noisy_landmarks_keep_events_within_a_quarter_frame() {
    for fps in NOISE_FPS {
        let mut worst = Errors::default();
        for seed in 1..=SEEDS {
            let script = cmj_script(&[0.35], 0.013 * seed as f64);
            let s = Sampling {
                noise_px: 1.0,
                seed,
                ..Sampling::at(fps)
            };
            let (analysis, _) = run(&script, &s);
            let label = format!("σ = 1 px, {fps} fps, seed {seed}");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            assert_eq!(jumps[0].kind, JumpKind::Cmj, "{label}");
            worst = worst.max(e);
        }
        report(
            &format!("σ = 1 px, {fps} fps (worst of {SEEDS} seeds)"),
            worst,
        );
        assert_accurate(&format!("σ = 1 px, {fps} fps"), worst, fps);
    }
}

/// Frames away from takeoff and landing: quiet standing, the countermovement, and two around
/// the apex (the first and last 0.1 s of the flight and of the contact around it keep theirs).
fn frames_to_drop(script: &Script, fps: f64, times: &[f64]) -> Vec<usize> {
    let (takeoff, landing) = script.flights[0];
    let apex = 0.5 * (takeoff + landing);
    let at = |t: f64| times.partition_point(|&x| x < t);
    let mut drop = vec![
        at(0.3),
        at(0.31 + 1.0 / fps),
        at(takeoff - 0.35),
        at(apex - 0.12),
        at(apex + 0.05),
    ];
    drop.retain(|&k| {
        times
            .get(k)
            .is_some_and(|&t| (t - takeoff).abs() > 0.1 && (t - landing).abs() > 0.1)
    });
    drop.dedup();
    drop
}

#[test]
fn dropped_frames_away_from_the_events_do_not_move_them() {
    for fps in [25.0, 30.0, 60.0, 120.0, 240.0] {
        let script = cmj_script(&[0.35], 0.29 / fps);
        let times = frame_times(&script, &Sampling::at(fps), &mut Rng::new(1));
        let dropped = frames_to_drop(&script, fps, &times);
        assert!(dropped.len() >= 4, "{dropped:?}");
        let s = Sampling {
            dropped: dropped.clone(),
            ..Sampling::at(fps)
        };
        let (analysis, _) = run(&script, &s);
        let label = format!("dropped frames {dropped:?}, {fps} fps");
        let (e, jumps) = flight_errors(&label, &analysis, &script);
        assert_eq!(jumps[0].kind, JumpKind::Cmj, "{label}");
        let untracked = analysis.signals.tracked.iter().filter(|x| !**x).count();
        assert_eq!(untracked, dropped.len(), "{label}");
        report(&format!("dropped frames, {fps} fps"), e);
        assert_accurate(&label, e, fps);
    }
}

#[test]
fn variable_frame_rate_keeps_events_within_a_quarter_frame() {
    for fps in [25.0, 30.0, 60.0, 120.0, 240.0] {
        let mut worst = Errors::default();
        for seed in 1..=SEEDS {
            let script = cmj_script(&[0.35], 0.0);
            let s = Sampling {
                jitter: 0.1,
                seed,
                ..Sampling::at(fps)
            };
            let (analysis, times) = run(&script, &s);
            let gaps: Vec<f64> = times.windows(2).map(|w| (w[1] - w[0]) * fps).collect();
            assert!(
                gaps.iter().any(|g| *g < 0.9) && gaps.iter().any(|g| *g > 1.1),
                "timestamps are jittered"
            );
            let label = format!("VFR ±10 %, {fps} fps, seed {seed}");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            assert_eq!(jumps[0].kind, JumpKind::Cmj, "{label}");
            worst = worst.max(e);
        }
        report(
            &format!("VFR ±10 %, {fps} fps (worst of {SEEDS} seeds)"),
            worst,
        );
        assert_accurate(&format!("VFR ±10 %, {fps} fps"), worst, fps);
    }
}

#[test]
fn noise_dropped_frames_and_variable_frame_rate_together() {
    for fps in [30.0, 60.0] {
        let mut worst = Errors::default();
        for seed in 1..=SEEDS {
            let script = cmj_script(&[0.35], 0.0);
            let times = frame_times(
                &script,
                &Sampling {
                    jitter: 0.1,
                    seed,
                    ..Sampling::at(fps)
                },
                &mut Rng::new(seed),
            );
            let s = Sampling {
                jitter: 0.1,
                noise_px: 1.0,
                dropped: frames_to_drop(&script, fps, &times),
                seed,
                fps,
            };
            let (analysis, _) = run(&script, &s);
            let label = format!("noise + drops + VFR, {fps} fps, seed {seed}");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            assert_eq!(jumps[0].kind, JumpKind::Cmj, "{label}");
            worst = worst.max(e);
        }
        report(
            &format!("noise + drops + VFR, {fps} fps (worst of {SEEDS} seeds)"),
            worst,
        );
        assert_accurate(&format!("noise + drops + VFR, {fps} fps"), worst, fps);
    }
}

#[test]
fn three_countermovement_jumps_are_all_found() {
    let heights = [0.28, 0.42, 0.35];
    for fps in [30.0, 60.0] {
        for noise_px in [0.0, 1.0] {
            let script = cmj_script(&heights, 0.0);
            let s = Sampling {
                noise_px,
                seed: 7,
                ..Sampling::at(fps)
            };
            let (analysis, _) = run(&script, &s);
            let label = format!("three CMJs, σ = {noise_px} px, {fps} fps");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            let kinds: Vec<JumpKind> = jumps.iter().map(|j| j.kind).collect();
            assert_eq!(kinds, vec![JumpKind::Cmj; 3], "{label}");
            for (j, h) in jumps.iter().zip(heights) {
                let found = j.metric(MetricId::JumpHeight).expect("height");
                assert!(
                    (found - h).abs() < 0.01,
                    "{label}: jump {} height {found} vs {h}",
                    j.index
                );
                // The countermovement is timed before the takeoff, with its depth in metres.
                let onset = j.event(EventId::MovementOnset).expect("movement onset");
                let lowest = j.event(EventId::LowestPoint).expect("lowest point");
                assert!(
                    onset < lowest && lowest < j.event(EventId::Takeoff).expect("takeoff"),
                    "{label}"
                );
                let depth = j.metric(MetricId::CountermovementDepth).expect("depth");
                assert!(
                    (depth - CMJ_DEPTH).abs() < 0.02,
                    "{label}: countermovement depth {depth} vs {CMJ_DEPTH}"
                );
            }
            report(&label, e);
            assert_accurate(&label, e, fps);
        }
    }
}

/// Squat depth (centre-of-mass drop) for the squat jump: knees near 100°.
const SQUAT_DEPTH: f64 = 0.30;

fn squat_jump_script(height: f64, hold_s: f64) -> Script {
    let v0 = v0_for(height);
    Script::new(&[
        Phase::Hold(1.0),
        Phase::Move(0.8, -SQUAT_DEPTH),
        Phase::Hold(hold_s),
        Phase::Push(v0),
        Phase::Flight(v0),
        Phase::Absorb { v: v0, depth: 0.22 },
        Phase::Hold(0.1),
        Phase::Move(0.7, 0.0),
        Phase::Hold(1.0),
    ])
}

#[test]
fn squat_jump_from_a_held_squat_is_a_squat_jump() {
    let knee = knee_deg(drop_for(SQUAT_DEPTH));
    assert!(knee < 140.0 && knee > 80.0, "squat knee angle {knee}");
    for fps in [30.0, 60.0, 240.0] {
        for (hold_s, noise_px) in [(0.5, 0.0), (1.0, 0.0), (2.0, 0.0), (1.0, 1.0)] {
            let script = squat_jump_script(0.30, hold_s);
            let s = Sampling {
                noise_px,
                seed: 3,
                ..Sampling::at(fps)
            };
            let (analysis, _) = run(&script, &s);
            let label = format!("SJ after a {hold_s} s hold, σ = {noise_px} px, {fps} fps");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            assert_eq!(
                jumps[0].kind,
                JumpKind::Sj,
                "{label}: events {:?}",
                jumps[0].events
            );
            // The push starts when the hold ends.
            let push = jumps[0].event(EventId::PushStart).expect("push start");
            let truth = script.segments[3].start;
            assert!(
                (push - truth).abs() < 0.1,
                "{label}: push start {push} vs {truth}"
            );
            report(&label, e);
            assert_accurate(&label, e, fps);
        }
    }
}

/// A series of `n` rebound hops: a small countermovement into the first, `n - 1` rebounds with
/// `contact_s` contacts, then a landing.
fn hops_script(n: usize, height: f64, contact_s: f64) -> Script {
    let v = v0_for(height);
    let mut phases = vec![
        Phase::Hold(1.0),
        Phase::Move(0.35, -0.12),
        Phase::Push(v),
        Phase::Flight(v),
    ];
    for _ in 1..n {
        phases.extend([
            Phase::Rebound {
                v,
                duration: contact_s,
            },
            Phase::Flight(v),
        ]);
    }
    phases.extend([
        Phase::Absorb { v, depth: 0.15 },
        Phase::Move(0.5, 0.0),
        Phase::Hold(1.0),
    ]);
    Script::new(&phases)
}

#[test]
fn rebound_hops_are_hops_with_their_contact_times() {
    // Contacts as short as 100 ms: three frames at 30 fps.
    for (height, contact, fps) in [
        (0.15, 0.2, &[25.0, 30.0, 60.0, 120.0, 240.0][..]),
        (0.15, 0.1, &[30.0, 60.0, 120.0, 240.0][..]),
    ] {
        rebound_hops_at(height, contact, fps);
    }
}

fn rebound_hops_at(height: f64, contact: f64, rates: &[f64]) {
    for &fps in rates {
        for noise_px in [0.0, 1.0] {
            let script = hops_script(5, height, contact);
            let s = Sampling {
                noise_px,
                seed: 11,
                ..Sampling::at(fps)
            };
            let (analysis, _) = run(&script, &s);
            let label =
                format!("5 hops of {height} m, {contact} s contacts, σ = {noise_px} px, {fps} fps");
            let (e, jumps) = flight_errors(&label, &analysis, &script);
            let kinds: Vec<JumpKind> = jumps.iter().map(|j| j.kind).collect();
            assert_eq!(kinds, vec![JumpKind::Hops; 5], "{label}");
            let mut contact_err = 0.0f64;
            for (i, j) in jumps.iter().enumerate().skip(1) {
                let truth = script.flights[i].0 - script.flights[i - 1].1;
                let found = j.metric(MetricId::GroundContactTime).expect("contact time");
                contact_err = contact_err.max((found - truth).abs());
            }
            assert!(
                jumps[0].metric(MetricId::GroundContactTime).is_none(),
                "{label}: the first hop has no contact before it"
            );
            eprintln!("{label}: contact time error {:.3} ms", contact_err * 1e3);
            report(&label, e);
            assert!(
                contact_err < 0.25 / fps + 0.002,
                "{label}: contact time off by {:.2} ms",
                contact_err * 1e3
            );
            assert_accurate(&label, e, fps);
        }
    }
}

#[test]
fn a_hop_off_the_series_rhythm_is_flagged_and_the_others_are_not() {
    // One hop reaches 45 cm in a series of 12 cm hops: its flight is almost twice theirs.
    let (v, high) = (v0_for(0.12), v0_for(0.45));
    let mut phases = vec![
        Phase::Hold(1.0),
        Phase::Move(0.35, -0.12),
        Phase::Push(v),
        Phase::Flight(v),
    ];
    for height in [v, v, high, v, v] {
        phases.extend([
            Phase::Rebound {
                v: height,
                duration: 0.2,
            },
            Phase::Flight(height),
        ]);
    }
    phases.extend([
        Phase::Absorb { v, depth: 0.15 },
        Phase::Move(0.5, 0.0),
        Phase::Hold(1.0),
    ]);
    let script = Script::new(&phases);
    let (analysis, _) = run(&script, &Sampling::at(60.0));
    let doubted: Vec<bool> = analysis
        .jumps
        .iter()
        .map(|j| j.quality.warnings.iter().any(|w| w.contains("rhythm")))
        .collect();
    assert_eq!(
        doubted,
        vec![false, false, false, true, false, false],
        "{:?} {:?} {:?}",
        analysis
            .jumps
            .iter()
            .map(|j| (j.kind, j.takeoff_frame))
            .collect::<Vec<_>>(),
        script.flights,
        analysis.warnings
    );
}

// ---------------------------------------------------------------------------------------------
// Hand corrections
// ---------------------------------------------------------------------------------------------

/// Every number of a jump, for exact comparisons.
fn numbers(j: &Jump) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = j
        .metrics
        .iter()
        .flat_map(|m| {
            let mut v = vec![(m.id.to_string(), m.value.to_bits())];
            if let Some(ci) = m.interval {
                v.push((format!("{}.low", m.id), ci.low.to_bits()));
                v.push((format!("{}.high", m.id), ci.high.to_bits()));
            }
            v
        })
        .collect();
    out.extend(
        j.events
            .iter()
            .map(|e| (e.id.to_string(), e.time_s.to_bits())),
    );
    out.push(("quality".to_owned(), j.quality.score.to_bits()));
    out
}

/// A noisy clip of three countermovement jumps (own scales differ by the noise) and one of
/// rebound hops analysed as drop jumps (contact time from the previous landing).
fn clips_to_edit() -> Vec<(&'static str, Vec<PoseFrame>, ClipFacts, AnalysisOptions)> {
    let noisy = |seed| Sampling {
        noise_px: 1.0,
        seed,
        ..Sampling::at(30.0)
    };
    let (cmj, cmj_facts) = sample(&cmj_script(&[0.28, 0.42, 0.35], 0.0), &noisy(5));
    let (hops, hop_facts) = sample(&hops_script(4, 0.15, 0.2), &noisy(9));
    vec![
        ("three CMJs", cmj, cmj_facts, AnalysisOptions::default()),
        (
            "hops forced to drop jumps",
            hops,
            hop_facts,
            AnalysisOptions {
                kind: Some(JumpKind::Dj),
                ..AnalysisOptions::default()
            },
        ),
    ]
}

#[test]
fn moving_an_edge_to_its_own_time_changes_no_number() {
    for (label, poses, facts, options) in clips_to_edit() {
        let analysis = analyze(&poses, &facts, &options, &mut Timings::new());
        assert!(
            analysis.jumps.len() >= 3,
            "{label}: {:?}",
            analysis.warnings
        );
        for (j, jump) in analysis.jumps.iter().enumerate() {
            let (takeoff, landing) = (
                jump.event(EventId::Takeoff).unwrap(),
                jump.event(EventId::Landing).unwrap(),
            );
            let edited =
                analysis.reanalyzed(&poses, &analysis.with_edges(j, takeoff, landing).unwrap());
            assert_eq!(edited.jumps.len(), analysis.jumps.len(), "{label}");
            for (a, b) in analysis.jumps.iter().zip(&edited.jumps) {
                assert_eq!(numbers(a), numbers(b), "{label}: jump {}", a.index);
                assert_eq!(a.quality, b.quality, "{label}: jump {}", a.index);
            }
            assert!(
                edited.jumps[j].edited(),
                "{label}: jump {} is marked edited",
                j + 1
            );
            assert_eq!(edited.jumps[j].detected_edges, Some((takeoff, landing)));
        }
    }
}

#[test]
fn an_edited_jump_is_analysed_as_a_fresh_analysis_forced_to_its_edges() {
    for (label, poses, facts, options) in clips_to_edit() {
        let analysis = analyze(&poses, &facts, &options, &mut Timings::new());
        for (j, jump) in analysis.jumps.iter().enumerate() {
            let takeoff = jump.event(EventId::Takeoff).unwrap();
            let landing = jump.event(EventId::Landing).unwrap();
            let flight = jump.metric(MetricId::FlightTime).unwrap();
            // Takeoff 10 ms later: 10 ms less flight.
            let later_takeoff = analysis.with_edges(j, takeoff + 0.01, landing).unwrap();
            let edited = analysis.reanalyzed(&poses, &later_takeoff);
            let e = &edited.jumps[j];
            let t = e.metric(MetricId::FlightTime).unwrap();
            assert!(
                (t - (flight - 0.01)).abs() < 1e-9,
                "{label}: flight {flight} → {t}"
            );
            let h = e.metric(MetricId::JumpHeight).unwrap();
            assert!(
                (h - G * t * t / 8.0).abs() < 1e-12,
                "{label}: height {h} for {t} s"
            );
            // Every other number is what a fresh analysis forced to those edges gives: the
            // jump's own scale, its refitted flight, its quality and contact time.
            let fresh = analyze(&poses, &facts, &later_takeoff, &mut Timings::new());
            for (a, b) in fresh.jumps.iter().zip(&edited.jumps) {
                assert_eq!(numbers(a), numbers(b), "{label}: jump {}", a.index);
                assert_eq!(a.quality, b.quality, "{label}: jump {}", a.index);
            }
            assert_eq!(fresh.warnings, edited.warnings, "{label}");
            // Landing 10 ms later: 10 ms more flight.
            let later_landing = analysis.with_edges(j, takeoff, landing + 0.01).unwrap();
            let edited = analysis.reanalyzed(&poses, &later_landing);
            let t = edited.jumps[j].metric(MetricId::FlightTime).unwrap();
            assert!(
                (t - (flight + 0.01)).abs() < 1e-9,
                "{label}: flight {flight} → {t}"
            );
            // A drop jump keeps its contact time (now 10 ms longer) and RSI.
            if jump.kind == JumpKind::Dj
                && let Some(contact) = jump.metric(MetricId::GroundContactTime)
            {
                let e = &analysis.reanalyzed(&poses, &later_takeoff).jumps[j];
                let after = e
                    .metric(MetricId::GroundContactTime)
                    .expect("contact time kept");
                assert!(
                    (after - (contact + 0.01)).abs() < 1e-9,
                    "{label}: contact {after}"
                );
                assert!(e.metric(MetricId::Rsi).is_some(), "{label}: RSI kept");
            }
        }
        assert!(
            analysis
                .jumps
                .iter()
                .any(|j| j.metric(MetricId::Rsi).is_some())
                || label == "three CMJs",
            "{label}: the drop jumps have an RSI"
        );
    }
}

#[test]
fn corrections_are_clamped_to_a_valid_order() {
    let (label, poses, facts, options) = clips_to_edit().remove(0);
    let analysis = analyze(&poses, &facts, &options, &mut Timings::new());
    let second = &analysis.jumps[1];
    let apex = second.event(EventId::Apex).unwrap();
    let previous_landing = analysis.jumps[0].event(EventId::Landing).unwrap();
    let next_takeoff = analysis.jumps[2].event(EventId::Takeoff).unwrap();
    let landing = second.event(EventId::Landing).unwrap();
    let takeoff = second.event(EventId::Takeoff).unwrap();
    // Takeoff dragged past the apex stops before it; landing dragged before it stops after it.
    let past_apex = analysis.reanalyzed(
        &poses,
        &analysis.with_edges(1, apex + 0.2, landing).unwrap(),
    );
    let t = past_apex.jumps[1].event(EventId::Takeoff).unwrap();
    assert!(t < apex, "{label}: takeoff {t} past the apex {apex}");
    let v = past_apex.jumps[1].metric(MetricId::TakeoffVelocity);
    assert!(v.is_none_or(|v| v > 0.0), "{label}: takeoff velocity {v:?}");
    let before_apex = analysis.reanalyzed(
        &poses,
        &analysis.with_edges(1, takeoff, apex - 0.2).unwrap(),
    );
    let l = before_apex.jumps[1].event(EventId::Landing).unwrap();
    assert!(l > apex, "{label}: landing {l} before the apex {apex}");
    // Neither edge crosses the neighbouring jumps.
    let wide = analysis
        .with_edges(1, previous_landing - 1.0, next_takeoff + 1.0)
        .unwrap();
    let wide = analysis.reanalyzed(&poses, &wide);
    assert_eq!(wide.jumps.len(), 3, "{label}");
    let (t, l) = (
        wide.jumps[1].event(EventId::Takeoff).unwrap(),
        wide.jumps[1].event(EventId::Landing).unwrap(),
    );
    assert!(
        t > previous_landing && l < next_takeoff,
        "{label}: {t}..{l}"
    );
    assert!(analysis.with_edges(1, f64::NAN, landing).is_none());
    assert!(analysis.with_edges(7, takeoff, landing).is_none());
}

// ---------------------------------------------------------------------------------------------
// Stated uncertainty
// ---------------------------------------------------------------------------------------------

/// One interval check: whether it covered the truth, its half-width and the absolute error.
#[derive(Debug, Default)]
struct Coverage {
    covered: usize,
    total: usize,
    half_widths: Vec<f64>,
    errors: Vec<f64>,
}

impl Coverage {
    fn add(&mut self, truth: f64, value: f64, ci: Interval) {
        self.total += 1;
        self.covered += usize::from(ci.contains(truth));
        self.half_widths.push(ci.half_width(value));
        self.errors.push((value - truth).abs());
    }

    fn rate(&self) -> f64 {
        self.covered as f64 / self.total.max(1) as f64
    }

    fn medians(&mut self) -> (f64, f64) {
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        (median(&mut self.half_widths), median(&mut self.errors))
    }
}

#[test]
fn intervals_cover_the_truth_in_about_95_percent_of_1000_noisy_jumps() {
    const FPS: [f64; 6] = [25.0, 30.0, 50.0, 60.0, 120.0, 240.0];
    const NOISE_PX: [f64; 3] = [0.5, 1.0, 2.0];
    let mut rng = Rng::new(2026);
    let (mut height, mut flight, mut contact, mut rsi) = (
        Coverage::default(),
        Coverage::default(),
        Coverage::default(),
        Coverage::default(),
    );
    for i in 0..1000 {
        let fps = FPS[i % FPS.len()];
        let noise_px = NOISE_PX[(i / FPS.len()) % NOISE_PX.len()];
        let h = 0.15 + 0.45 * rng.uniform();
        // One in five clips is a series of rebound hops (contact times and RSI).
        let hops = i % 5 == 4;
        let script = if hops {
            hops_script(3, 0.08 + 0.12 * rng.uniform(), 0.15 + 0.15 * rng.uniform())
        } else {
            cmj_script(&[h], rng.uniform() / fps)
        };
        let s = Sampling {
            noise_px,
            jitter: if i % 7 == 0 { 0.1 } else { 0.0 },
            seed: i as u64 + 1,
            ..Sampling::at(fps)
        };
        let (analysis, _) = run(&script, &s);
        for (k, &(takeoff, landing)) in script.flights.iter().enumerate() {
            let Some(j) = analysis.jumps.iter().find(|j| {
                j.event(EventId::Takeoff)
                    .is_some_and(|t| (t - takeoff).abs() < 0.1)
            }) else {
                continue;
            };
            let t = landing - takeoff;
            for (cov, id, truth) in [
                (&mut height, MetricId::JumpHeight, G * t * t / 8.0),
                (&mut flight, MetricId::FlightTime, t),
            ] {
                let value = j.metric(id).unwrap();
                let ci = j.interval(id).expect("an interval");
                cov.add(truth, value, ci);
            }
            if k > 0 && hops {
                let c = takeoff - script.flights[k - 1].1;
                if let (Some(value), Some(ci)) = (
                    j.metric(MetricId::GroundContactTime),
                    j.interval(MetricId::GroundContactTime),
                ) {
                    contact.add(c, value, ci);
                }
                if let (Some(value), Some(ci)) =
                    (j.metric(MetricId::Rsi), j.interval(MetricId::Rsi))
                {
                    rsi.add(G * t * t / 8.0 / c, value, ci);
                }
            }
        }
    }
    // RSI's interval is 3.1 × its median error where the target is 3 (docs/ACCURACY.md): its
    // four edges' errors are not independent in a way the propagation can follow.
    for (name, cov, width_limit) in [
        ("height", &mut height, 3.0),
        ("flight time", &mut flight, 3.0),
        ("contact time", &mut contact, 3.0),
        ("RSI", &mut rsi, 3.2),
    ] {
        check_coverage(name, cov, width_limit);
    }
}

/// Reports and checks one metric's intervals: 90–98 % cover the truth, and the median
/// half-width is at most three median errors.
fn check_coverage(name: &str, cov: &mut Coverage, width_limit: f64) {
    let mut z: Vec<f64> = cov
        .errors
        .iter()
        .zip(&cov.half_widths)
        .map(|(e, h)| e / (h / 1.96))
        .collect();
    z.sort_by(f64::total_cmp);
    let q = |p: f64| z[((z.len() - 1) as f64 * p) as usize];
    eprintln!(
        "{name}: |error| / σ quantiles 50 % {:.2}, 90 % {:.2}, 95 % {:.2}, 99 % {:.2} (normal: 0.67, 1.64, 1.96, 2.58)",
        q(0.5),
        q(0.9),
        q(0.95),
        q(0.99)
    );
    let (half, error) = cov.medians();
    eprintln!(
        "{name}: {} of {} intervals cover the truth ({:.1} %); median half-width {half:.5}, median error {error:.5}",
        cov.covered,
        cov.total,
        100.0 * cov.rate()
    );
    assert!(cov.total >= 150, "{name}: only {} checked", cov.total);
    assert!(
        (0.90..=0.98).contains(&cov.rate()),
        "{name}: coverage {:.3}",
        cov.rate()
    );
    assert!(
        half <= width_limit * error,
        "{name}: median half-width {half} is more than {width_limit} × the median error {error}"
    );
}

/// A flight whose upper body leaves the top of the picture: the athlete is filmed with the
/// head near the top edge, so at the height of the flight the nose is above the picture and
/// the landmark model holds the shoulders and arms inside it: the centre of mass stalls while
/// the body rises and its parabola misses the flight. The jump is still found, timed from the
/// toes to within half a frame with a warning, and its height interval covers the truth.
#[test]
fn a_flight_whose_upper_body_leaves_the_picture_is_timed_from_the_toes() {
    let fps = 30.0;
    let script = cmj_script(&[0.45], 0.37 / fps);
    let (mut poses, facts) = sample(&script, &Sampling::at(fps));
    // Standing, the nose 40 px below the top edge.
    let standing_nose = poses[0].landmarks[lm::NOSE].y;
    let mut out = 0;
    for pose in &mut poses {
        for l in &mut pose.landmarks {
            l.y -= standing_nose - 40.0;
        }
        if pose.landmarks[lm::NOSE].y < 0.0 {
            out += 1;
            // The shoulders and arms (landmarks 11 to 16) held inside the picture.
            for l in &mut pose.landmarks[lm::LEFT_SHOULDER..=lm::RIGHT_WRIST] {
                l.y = l.y.max(30.0);
            }
        }
    }
    assert!(out >= 8, "the head leaves the picture in only {out} frames");
    let analysis = analyze(
        &poses,
        &facts,
        &AnalysisOptions::default(),
        &mut Timings::new(),
    );
    let (e, jumps) = flight_errors("upper body out of the picture", &analysis, &script);
    report("upper body out of the picture, 30 fps", e);
    assert_edges_within("upper body out of the picture", e, 0.5, fps);
    let (takeoff, landing) = script.flights[0];
    let truth = G * (landing - takeoff).powi(2) / 8.0;
    let interval = jumps[0]
        .interval(MetricId::JumpHeight)
        .expect("an interval");
    assert!(
        interval.low <= truth && truth <= interval.high,
        "{interval:?} misses {truth}"
    );
    assert!(
        jumps[0]
            .quality
            .warnings
            .iter()
            .any(|w| w.contains("timed from the toes alone")),
        "{:?}",
        jumps[0].quality.warnings
    );
}
