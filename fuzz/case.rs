//! Turns arbitrary bytes into an input of the analysis stage: a landmark series with its
//! clip facts, options and hand corrections. Shared by the fuzz target and the regression
//! test that replays the kept corpus (`tests/fuzz_regressions.rs`), so both see the same case.
//!
//! The bytes steer a plausible body (standing height, squat depth, lift off the ground) so
//! the fuzzer reaches flight and jump detection, and can also inject untracked frames,
//! irregular or non-finite frame times and non-finite or wild coordinates.

use hangtime::analysis::{Analysis, AnalysisOptions, ClipFacts, EventId, JumpKind, analyze};
use hangtime::pose::{LANDMARK_COUNT, Landmark, PoseFrame};
use hangtime::timing::Timings;

/// Frames in one case at most, so one run stays fast.
const MAX_FRAMES: usize = 1500;
/// Hand corrections tried at most.
const MAX_CORRECTIONS: usize = 8;

/// Landmark positions of a person standing, as fractions of body height from the top
/// (x relative to the body's centre line), in MediaPipe's order.
const STANDING: [(f32, f32); LANDMARK_COUNT] = [
    (0.00, 0.03),
    (-0.01, 0.02),
    (-0.02, 0.02),
    (-0.03, 0.02),
    (0.01, 0.02),
    (0.02, 0.02),
    (0.03, 0.02),
    (-0.05, 0.03),
    (0.05, 0.03),
    (-0.01, 0.06),
    (0.01, 0.06),
    (-0.10, 0.18),
    (0.10, 0.18),
    (-0.12, 0.35),
    (0.12, 0.35),
    (-0.12, 0.48),
    (0.12, 0.48),
    (-0.13, 0.51),
    (0.13, 0.51),
    (-0.12, 0.52),
    (0.12, 0.52),
    (-0.11, 0.50),
    (0.11, 0.50),
    (-0.06, 0.52),
    (0.06, 0.52),
    (-0.06, 0.75),
    (0.06, 0.75),
    (-0.06, 0.96),
    (0.06, 0.96),
    (-0.07, 0.98),
    (0.07, 0.98),
    (-0.03, 1.00),
    (0.03, 1.00),
];

/// One decoded case.
pub struct Case {
    pub poses: Vec<PoseFrame>,
    pub facts: ClipFacts,
    pub options: AnalysisOptions,
    /// (takeoff, landing) seconds to apply to jumps 1, 2, … by hand.
    pub corrections: Vec<(f64, f64)>,
}

/// Reads bytes front to back; past the end everything reads as zero.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn i16(&mut self) -> i16 {
        i16::from_le_bytes([self.u8(), self.u8()])
    }
    fn f32(&mut self) -> f32 {
        f32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn exhausted(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// Decodes a case from fuzzer bytes. Total: every byte string is a case.
pub fn decode(data: &[u8]) -> Case {
    let mut r = Reader { data, pos: 0 };
    let fps = match r.u8() {
        0 => f64::from(r.f32()),
        k => f64::from(k),
    };
    let width = u32::from(r.u16());
    let height = u32::from(r.u16());
    let flags = r.u8();
    let kind = match r.u8() % 6 {
        2 => Some(JumpKind::Cmj),
        3 => Some(JumpKind::Dj),
        4 => Some(JumpKind::Sj),
        5 => Some(JumpKind::Hops),
        _ => None,
    };
    let body_px = f32::from(r.u16() % 4096);
    let centre_x = f32::from(r.i16());
    let top_y = f32::from(r.i16());
    let frames = usize::from(r.u16()) % (MAX_FRAMES + 1);
    let nominal = if fps.is_finite() && fps > 0.0 {
        1.0 / fps
    } else {
        1.0 / 30.0
    };

    let mut poses = Vec::with_capacity(frames);
    let mut t = 0.0_f64;
    for index in 0..frames {
        let ctrl = r.u8();
        // Frame time: nominal step with jitter, or (rarely) any f32 at all.
        let step = if ctrl & 0x80 != 0 && ctrl & 0x20 != 0 {
            f64::from(r.f32())
        } else {
            nominal * (1.0 + f64::from(r.u8() as i8) / 256.0)
        };
        t += step;
        if ctrl & 0x01 != 0 {
            poses.push(PoseFrame::untracked(index, t, ctrl & 0x02 != 0));
            continue;
        }
        let lift = f32::from(r.i16()) / 16.0;
        let bend = f32::from(r.u8()) / 255.0;
        let visibility = if ctrl & 0x04 != 0 {
            f32::from(r.u8()) / 255.0
        } else {
            0.95
        };
        let mut landmarks: Vec<Landmark> = STANDING
            .iter()
            .map(|&(fx, fy)| {
                // Squatting lowers everything above the knees and pushes the knees forward.
                let sink = if fy < 0.75 {
                    bend * 0.25
                } else if fy < 0.9 {
                    bend * 0.12
                } else {
                    0.0
                };
                let knee_shift = if (0.7..0.8).contains(&fy) {
                    bend * 0.15
                } else {
                    0.0
                };
                Landmark {
                    x: centre_x + (fx + knee_shift) * body_px,
                    y: top_y + (fy + sink) * body_px - lift,
                    z: 0.0,
                    visibility,
                    presence: visibility,
                }
            })
            .collect();
        if ctrl & 0x40 != 0 {
            // Corrupt one coordinate with any value at all (NaN, infinity, huge).
            let which = usize::from(r.u8());
            let value = r.f32();
            if let Some(p) = landmarks.get_mut(which % LANDMARK_COUNT) {
                if which & 0x80 == 0 {
                    p.x = value
                } else {
                    p.y = value
                }
            }
        }
        if ctrl & 0x08 != 0 {
            // Fewer landmarks than a pose has.
            landmarks.truncate(usize::from(r.u8()) % LANDMARK_COUNT);
        }
        let mut pose = PoseFrame::untracked(index, t, ctrl & 0x02 != 0);
        pose.tracked = true;
        pose.pose_score = visibility;
        pose.landmarks = landmarks;
        poses.push(pose);
        if r.exhausted() && ctrl == 0 {
            // Out of bytes: the rest of the clip would be identical standing frames.
            break;
        }
    }
    let mut corrections = Vec::new();
    while !r.exhausted() && corrections.len() < MAX_CORRECTIONS {
        corrections.push((f64::from(r.f32()), f64::from(r.f32())));
    }
    Case {
        poses,
        facts: ClipFacts {
            fps,
            vfr: flags & 1 != 0,
            width,
            height,
        },
        options: AnalysisOptions {
            kind,
            ..AnalysisOptions::default()
        },
        corrections,
    }
}

/// Runs a case through the analysis and a hand correction of each jump, and checks that
/// everything reported is a finite number in order.
///
/// # Panics
/// When the analysis reports a non-finite number or events out of order (the bug sought).
pub fn run(case: &Case) {
    let mut timings = Timings::default();
    let mut analysis = analyze(&case.poses, &case.facts, &case.options, &mut timings);
    check(&analysis);
    for (jump, &(takeoff, landing)) in case.corrections.iter().enumerate() {
        if let Some(options) = analysis.with_edges(jump, takeoff, landing) {
            analysis = analysis.reanalyzed(&case.poses, &options);
            check(&analysis);
        }
    }
}

fn check(analysis: &Analysis) {
    for jump in &analysis.jumps {
        for m in &jump.metrics {
            assert!(
                m.value.is_finite(),
                "jump {}: {} = {}",
                jump.index,
                m.id,
                m.value
            );
        }
        for e in &jump.events {
            assert!(
                e.time_s.is_finite(),
                "jump {}: {} at {}",
                jump.index,
                e.id,
                e.time_s
            );
        }
        let (takeoff, landing) = (jump.event(EventId::Takeoff), jump.event(EventId::Landing));
        if let (Some(t), Some(l)) = (takeoff, landing) {
            assert!(
                t < l,
                "jump {}: takeoff {t} not before landing {l}",
                jump.index
            );
        }
        assert!(
            jump.takeoff_frame <= jump.landing_frame,
            "jump {} frames",
            jump.index
        );
        assert!(
            (0.0..=1.0).contains(&jump.quality.score),
            "jump {} quality",
            jump.index
        );
    }
}
