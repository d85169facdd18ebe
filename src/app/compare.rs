//! Two jumps side by side: of one clip or of two, lined up at takeoff (or at the lowest
//! point) by time, never by frame index, since the clips' frame rates may differ. One clock,
//! in seconds from the lined-up event, drives both: stepping and playing move them together.

use crate::analysis::{EventId, Jump, frame_at_or_before};
use crate::video::{PreviewOptions, PreviewSource};

use super::viewer::ViewerState;

/// Memory each side's preview may hold (two previews live at once here).
pub const SIDE_PREVIEW_BUDGET: usize = 250 * 1024 * 1024;

/// A jump of an opened video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JumpRef {
    /// The video, by its position among the opened ones.
    pub entry: usize,
    /// The jump, 0-based.
    pub jump: usize,
}

/// The event both jumps are lined up at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlignAt {
    /// Takeoff.
    #[default]
    Takeoff,
    /// The lowest point of the centre of mass before takeoff.
    LowestPoint,
}

impl AlignAt {
    /// The event.
    pub fn event(self) -> EventId {
        match self {
            Self::Takeoff => EventId::Takeoff,
            Self::LowestPoint => EventId::LowestPoint,
        }
    }

    /// Label.
    pub fn label(self) -> &'static str {
        self.event().spec().label
    }
}

/// Which side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Left, the first jump picked.
    A,
    /// Right, the second.
    B,
}

/// What the compare view's widgets ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CompareCommand {
    /// Pick the shown video's selected jump: the first pick waits for a second one, the second
    /// opens the comparison.
    Pick(JumpRef),
    /// Show another jump on one side.
    SetSide(Side, JumpRef),
    /// Line the jumps up at this event.
    SetAlign(AlignAt),
    /// Move the clock to this many seconds from the lined-up event.
    Seek(f64),
    /// Step the clock by this many frame intervals (of the faster clip).
    Step(i32),
    /// Play or pause both.
    TogglePlay,
}

/// One side of the comparison.
pub struct CompareSide {
    /// The jump shown.
    pub jump: JumpRef,
    /// Its video's preview.
    pub preview: Option<PreviewSource>,
    /// Zoom and pan of its viewer.
    pub viewer: ViewerState,
}

impl std::fmt::Debug for CompareSide {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompareSide")
            .field("jump", &self.jump)
            .finish_non_exhaustive()
    }
}

/// The comparison shown.
#[derive(Debug)]
pub struct CompareState {
    /// Left.
    pub a: CompareSide,
    /// Right.
    pub b: CompareSide,
    /// The event they are lined up at.
    pub align: AlignAt,
    /// Seconds from that event, the same on both sides.
    pub offset_s: f64,
    /// Playing rather than paused.
    pub playing: bool,
}

impl CompareState {
    /// A comparison of `a` and `b` at takeoff.
    pub fn new(a: JumpRef, b: JumpRef) -> Self {
        let side = |jump| CompareSide {
            jump,
            preview: None,
            viewer: ViewerState::default(),
        };
        Self {
            a: side(a),
            b: side(b),
            align: AlignAt::default(),
            offset_s: 0.0,
            playing: false,
        }
    }

    /// The side asked for.
    pub fn side(&self, side: Side) -> &CompareSide {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The side asked for, to change.
    pub fn side_mut(&mut self, side: Side) -> &mut CompareSide {
        match side {
            Side::A => &mut self.a,
            Side::B => &mut self.b,
        }
    }
}

/// Preview options for one side: the default size, half the budget.
pub fn side_preview_options(base: PreviewOptions) -> PreviewOptions {
    PreviewOptions {
        budget_bytes: base.budget_bytes.min(SIDE_PREVIEW_BUDGET),
        ..base
    }
}

/// A jump's time of the lined-up event, in its clip's seconds.
pub fn anchor_s(jump: &Jump, align: AlignAt) -> Option<f64> {
    jump.event(align.event())
        .or_else(|| jump.event(EventId::Takeoff))
}

/// The frame of a clip with frame `times` shown `offset_s` from its event at `anchor_s`.
pub fn frame_at(times: &[f64], anchor_s: f64, offset_s: f64) -> usize {
    frame_at_or_before(times, anchor_s + offset_s)
}

/// The clock's range: where both clips (frame times, event time) still have frames, in
/// seconds from the event.
pub fn offset_range(sides: [(&[f64], f64); 2]) -> (f64, f64) {
    let mut low = f64::NEG_INFINITY;
    let mut high = f64::INFINITY;
    for (t, anchor) in sides {
        let (first, last) = (
            t.first().copied().unwrap_or(0.0),
            t.last().copied().unwrap_or(0.0),
        );
        low = low.max(first - anchor);
        high = high.min(last - anchor);
    }
    if low > high { (0.0, 0.0) } else { (low, high) }
}

/// The frame interval of the faster clip (frame rates): one step moves the clock by this.
pub fn step_s(fps: [f64; 2]) -> f64 {
    fps.iter()
        .map(|f| 1.0 / f.max(1.0))
        .fold(f64::INFINITY, f64::min)
        .min(0.1)
}

impl super::HangtimeApp {
    /// Carries out a compare command.
    pub(super) fn run_compare_command(&mut self, command: CompareCommand) {
        match command {
            CompareCommand::Pick(picked) => self.pick_for_compare(picked),
            CompareCommand::SetSide(side, jump) => {
                if let Some(state) = self.compare.as_mut() {
                    let s = state.side_mut(side);
                    if s.jump.entry != jump.entry {
                        s.preview = None;
                    }
                    s.jump = jump;
                }
                self.open_compare_previews();
            }
            CompareCommand::SetAlign(align) => {
                if let Some(state) = self.compare.as_mut() {
                    state.align = align;
                    state.offset_s = 0.0;
                }
            }
            CompareCommand::Seek(offset) => {
                if let Some(state) = self.compare.as_mut() {
                    state.playing = false;
                    state.offset_s = offset;
                }
            }
            CompareCommand::Step(n) => {
                let step = self.compare_step_s().unwrap_or(1.0 / 30.0);
                if let Some(state) = self.compare.as_mut() {
                    state.playing = false;
                    state.offset_s += f64::from(n) * step;
                }
                self.clamp_compare_clock();
            }
            CompareCommand::TogglePlay => {
                if let Some(state) = self.compare.as_mut() {
                    state.playing = !state.playing;
                }
            }
        }
    }

    /// The first pick waits; the second opens the comparison of the two.
    fn pick_for_compare(&mut self, picked: JumpRef) {
        let name = |app: &Self, r: JumpRef| {
            app.entries.get(r.entry).map_or_else(String::new, |e| {
                format!("jump {} of {}", r.jump + 1, e.name())
            })
        };
        match self.compare_pick.take() {
            Some(first) if first != picked => self.start_compare(first, picked),
            _ => {
                self.toasts.info(format!(
                    "Comparing {}: select the other jump (of this clip or another) and press C again.",
                    name(self, picked)
                ));
                self.compare_pick = Some(picked);
            }
        }
    }

    /// Shows two jumps side by side.
    pub(super) fn start_compare(&mut self, a: JumpRef, b: JumpRef) {
        self.compare = Some(CompareState::new(a, b));
        self.open_compare_previews();
        self.view = super::View::Compare;
    }

    /// Starts the previews of both sides that have none.
    fn open_compare_previews(&mut self) {
        let options = side_preview_options(self.preview_options);
        for (side, lane) in [
            (Side::A, super::Lane::CompareLeft),
            (Side::B, super::Lane::CompareRight),
        ] {
            let Some(jump) = self.compare.as_ref().map(|s| s.side(side).jump) else {
                return;
            };
            if self
                .compare
                .as_ref()
                .is_some_and(|s| s.side(side).preview.is_some())
            {
                continue;
            }
            let Some(path) = self.entries.get(jump.entry).map(|e| e.path.clone()) else {
                continue;
            };
            let (ctx, interval) = (self.ctx.clone(), self.pace.background_repaint);
            let (source, decode) = PreviewSource::create(&path, options, move || {
                ctx.request_repaint_after(interval);
            });
            let name = format!("Preview of {}", crate::util::file_name(&path));
            if self
                .tasks
                .spawn(lane, name, super::analysis_tasks::preview(decode))
                .is_ok()
                && let Some(state) = self.compare.as_mut()
            {
                state.side_mut(side).preview = Some(source);
            }
        }
    }

    /// Keeps the shared clock where both clips have frames.
    fn clamp_compare_clock(&mut self) {
        let range = self.compare.as_ref().and_then(|state| {
            let (va, ja) = self.jump_of(state.a.jump)?;
            let (vb, jb) = self.jump_of(state.b.jump)?;
            Some(offset_range([
                (
                    &va.analysis.signals.t,
                    anchor_s(ja, state.align).unwrap_or(0.0),
                ),
                (
                    &vb.analysis.signals.t,
                    anchor_s(jb, state.align).unwrap_or(0.0),
                ),
            ]))
        });
        if let (Some(state), Some((low, high))) = (self.compare.as_mut(), range) {
            if state.offset_s >= high {
                state.playing = false;
            }
            state.offset_s = state.offset_s.clamp(low, high);
        }
    }

    /// Moves the shared clock while playing.
    pub(super) fn advance_compare(&mut self, dt: f64) {
        let speed = self.playback.speed.factor();
        let Some(state) = self.compare.as_mut().filter(|s| s.playing) else {
            return;
        };
        state.offset_s += dt * speed;
        self.clamp_compare_clock();
        self.ctx.request_repaint();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_maps_to_each_clips_own_frames_by_time() {
        let times =
            |fps: f64, frames: usize| -> Vec<f64> { (0..frames).map(|i| i as f64 / fps).collect() };
        let (a, b) = (times(30.0, 90), times(60.0, 300));
        let (low, high) = offset_range([(&a, 1.0), (&b, 4.0)]);
        assert!(
            (low + 1.0).abs() < 1e-9,
            "A starts 1 s before its takeoff: {low}"
        );
        assert!(
            (high - (299.0 / 60.0 - 4.0)).abs() < 1e-9,
            "B ends first: {high}"
        );
        // 0.5 s after takeoff: frame 45 of A (30 fps), frame 270 of B (60 fps).
        assert_eq!(frame_at(&a, 1.0, 0.5), 45);
        assert_eq!(frame_at(&b, 4.0, 0.5), 270);
        assert!((step_s([30.0, 60.0]) - 1.0 / 60.0).abs() < 1e-12);
    }
}
