//! Everything the user can ask for, as data. UI code pushes commands; the app runs them once
//! at the end of the frame, so drawing never has side effects and tests can drive the app
//! without touching widgets or dialogs.

use std::path::PathBuf;

use crate::analysis::{EventId, JumpKind};
use crate::pose::ModelVariant;
use crate::report::{CsvDialect, CsvHeaders};

use super::settings::ThemeChoice;

/// A takeoff or a landing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlightEdge {
    /// First airborne instant.
    Takeoff,
    /// First contact after the flight.
    Landing,
}

impl FlightEdge {
    /// The event it is.
    pub fn event(self) -> EventId {
        match self {
            Self::Takeoff => EventId::Takeoff,
            Self::Landing => EventId::Landing,
        }
    }
}

/// How far a keyboard nudge moves the selected marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeStep {
    /// Whole frame intervals of the clip (negative: earlier).
    Frames(i32),
    /// Milliseconds (negative: earlier).
    Millis(i32),
}

/// The two views of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The video, its jumps and metrics.
    #[default]
    Analysis,
    /// Athletes, their sessions and history.
    Library,
    /// Two jumps side by side.
    Compare,
}

/// Playback speed relative to real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaybackSpeed {
    /// Real time.
    #[default]
    Normal,
    /// A quarter of real time, for watching takeoff and landing.
    Quarter,
}

impl PlaybackSpeed {
    /// Factor applied to elapsed time.
    pub fn factor(self) -> f64 {
        match self {
            Self::Normal => 1.0,
            Self::Quarter => 0.25,
        }
    }

    /// Button label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Normal => "1×",
            Self::Quarter => "0.25×",
        }
    }
}

/// A request from the UI (or a test) to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open and analyse a video (every route ends here: dialog, drop, recent, command line).
    Open(PathBuf),
    /// Ask for a video with the file dialog.
    ShowOpenDialog,
    /// Show another opened video.
    SelectVideo(usize),
    /// Stop the analysis of the video shown (or a queued one by position).
    CancelAnalysis(usize),
    /// Forget the recent files list.
    ClearRecentFiles,
    /// Show frame `n`.
    SeekFrame(usize),
    /// Show the frame at or after this time in seconds.
    SeekTime(f64),
    /// Move by this many frames.
    StepFrames(i64),
    /// First frame.
    SeekStart,
    /// Last frame.
    SeekEnd,
    /// Play or pause.
    TogglePlay,
    /// Playback speed.
    SetSpeed(PlaybackSpeed),
    /// Make jump `n` (0-based) the selected one.
    SelectJump(usize),
    /// Select the takeoff or landing marker of the selected jump and show its frame.
    SelectEdge(FlightEdge),
    /// Move the selected marker (keyboard correction); one undo step.
    NudgeEdge(EdgeStep),
    /// A marker drag begins: the drag that follows is one undo step.
    BeginEdgeDrag,
    /// Undo the last correction of the video shown.
    Undo,
    /// Redo the last undone correction.
    Redo,
    /// Move a jump's takeoff or landing to a new time (a person correcting the analysis).
    MoveEdge {
        /// Jump, 0-based.
        jump: usize,
        /// Which edge.
        edge: FlightEdge,
        /// New time in seconds.
        time_s: f64,
    },
    /// Analyse person `n` of the shown clip's people in view (left to right) instead.
    ChoosePerson(usize),
    /// Zoom the video to fit the view.
    FitVideo,
    /// Write the jump metrics as CSV; `None` asks where with a dialog.
    ExportCsv(Option<PathBuf>),
    /// Write the JSON report; `None` asks where with a dialog.
    ExportJson(Option<PathBuf>),
    /// Write the overlay video in the background; `None` asks where with a dialog.
    ExportOverlay(Option<PathBuf>),
    /// Stop the running overlay-video export.
    CancelExport,
    /// Copy the metrics table to the clipboard as tab-separated text.
    CopyTable,
    /// Landmark model for the next analyses (reloads the tracker).
    SetModel(ModelVariant),
    /// Jump kind forced on the next analyses (`None`: classify).
    SetJumpKind(Option<JumpKind>),
    /// CSV separators and decimals.
    SetCsvDialect(CsvDialect),
    /// CSV column names.
    SetCsvHeaders(CsvHeaders),
    /// Colour theme.
    SetTheme(ThemeChoice),
    /// Show the analysis or the athletes library.
    ShowView(View),
    /// Show or hide the keyboard shortcuts window.
    ToggleHelp,
    /// Ask which athlete the open clip's jumps belong to.
    ShowAssign,
    /// Pick the shown video's selected jump for comparing.
    PickForCompare,
    /// Something in the compare view.
    Compare(super::compare::CompareCommand),
    /// Something in the athletes library.
    Library(super::library::LibraryCommand),
    /// Close the window.
    Quit,
}

/// Commands gathered while drawing one frame.
#[derive(Debug, Default)]
pub struct CommandQueue {
    pending: Vec<Command>,
}

impl CommandQueue {
    /// Adds a command to run at the end of the frame.
    pub fn push(&mut self, command: Command) {
        self.pending.push(command);
    }

    /// Takes every pending command, in the order they were pushed.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.pending)
    }
}
