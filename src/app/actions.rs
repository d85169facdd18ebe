//! The command table: every command a person can give by menu, button or key, with its
//! label, its shortcuts and when it is enabled. The menus, the help window, the tooltips and
//! the key handler all read this table, and the README's key list is generated from it, so a
//! shortcut is written in one place only.

use std::fmt::Write as _;

use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

use super::commands::{Command, EdgeStep, FlightEdge, View};

/// A command as a person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open a video with the file dialog.
    OpenVideo,
    /// Export the metrics as CSV.
    ExportCsv,
    /// Export the JSON report.
    ExportJson,
    /// Export the overlay video.
    ExportOverlay,
    /// Copy the metrics table.
    CopyTable,
    /// Close the window.
    Quit,
    /// Play or pause.
    PlayPause,
    /// One frame back.
    PreviousFrame,
    /// One frame forward.
    NextFrame,
    /// Ten frames back.
    BackTen,
    /// Ten frames forward.
    ForwardTen,
    /// First frame.
    FirstFrame,
    /// Last frame.
    LastFrame,
    /// Select the takeoff marker of the selected jump.
    SelectTakeoff,
    /// Select the landing marker of the selected jump.
    SelectLanding,
    /// Move the selected marker one frame earlier.
    NudgeEarlier,
    /// Move the selected marker one frame later.
    NudgeLater,
    /// Move the selected marker one millisecond earlier.
    NudgeEarlierMs,
    /// Move the selected marker one millisecond later.
    NudgeLaterMs,
    /// Undo the last correction.
    Undo,
    /// Redo the last undone correction.
    Redo,
    /// Fit the video to the view.
    FitVideo,
    /// Show the analysis view.
    ShowAnalysis,
    /// Show the athletes library.
    ShowLibrary,
    /// Show the compare view.
    ShowCompare,
    /// Pick the selected jump for comparing.
    CompareJumps,
    /// Assign the open clip's jumps to an athlete.
    AssignJumps,
    /// Show the keyboard shortcuts.
    ShowHelp,
}

/// What the table says of one action.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    /// Menu and button label.
    pub label: &'static str,
    /// One sentence for tooltips and the help window.
    pub help: &'static str,
    /// Shortcuts, the first one shown in menus.
    pub shortcuts: &'static [KeyboardShortcut],
    /// Section of the help window and README list.
    pub group: Group,
}

/// Sections of the key list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Files and the window.
    File,
    /// Moving through the video.
    Playback,
    /// Correcting takeoff and landing.
    Correction,
    /// Views.
    View,
}

impl Group {
    /// Heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::File => "Files",
            Self::Playback => "Playback",
            Self::Correction => "Correcting a jump",
            Self::View => "Views",
        }
    }
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const COMMAND: Modifiers = Modifiers::COMMAND;
const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

/// What the enabled rules look at, gathered once per frame.
#[derive(Debug, Clone, Copy, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per rule of the table"
)]
pub struct ActionContext {
    /// The video shown has frames to move through.
    pub has_frames: bool,
    /// The video shown has a finished analysis.
    pub has_result: bool,
    /// That analysis found at least one jump.
    pub has_jumps: bool,
    /// A takeoff or landing marker is selected.
    pub edge_selected: bool,
    /// There is a correction to undo.
    pub can_undo: bool,
    /// There is an undone correction to redo.
    pub can_redo: bool,
    /// An overlay video is being written.
    pub exporting: bool,
    /// The athletes database can be used.
    pub library_available: bool,
    /// Two jumps are picked for comparing.
    pub comparing: bool,
}

impl Action {
    /// Every action, in the order of the help window.
    pub const ALL: [Self; 28] = [
        Self::OpenVideo,
        Self::ExportCsv,
        Self::ExportJson,
        Self::ExportOverlay,
        Self::CopyTable,
        Self::CompareJumps,
        Self::AssignJumps,
        Self::Quit,
        Self::PlayPause,
        Self::PreviousFrame,
        Self::NextFrame,
        Self::BackTen,
        Self::ForwardTen,
        Self::FirstFrame,
        Self::LastFrame,
        Self::SelectTakeoff,
        Self::SelectLanding,
        Self::NudgeEarlier,
        Self::NudgeLater,
        Self::NudgeEarlierMs,
        Self::NudgeLaterMs,
        Self::Undo,
        Self::Redo,
        Self::FitVideo,
        Self::ShowAnalysis,
        Self::ShowCompare,
        Self::ShowLibrary,
        Self::ShowHelp,
    ];

    /// The table's row for this action.
    #[expect(clippy::too_many_lines, reason = "the table itself")]
    pub fn spec(self) -> ActionSpec {
        let (label, help, shortcuts, group): (_, _, &'static [KeyboardShortcut], _) = match self {
            Self::OpenVideo => (
                "Open video…",
                "Open one or more jump videos",
                const { &[key(COMMAND, Key::O)] },
                Group::File,
            ),
            Self::ExportCsv => (
                "Export metrics CSV…",
                "Write every jump's metrics as CSV",
                const { &[key(COMMAND, Key::E)] },
                Group::File,
            ),
            Self::ExportJson => (
                "Export JSON report…",
                "Write the whole report (events, metrics, intervals) as JSON",
                &[],
                Group::File,
            ),
            Self::ExportOverlay => (
                "Export overlay video…",
                "The clip with skeleton, phases, events and metrics drawn in (MP4)",
                &[],
                Group::File,
            ),
            Self::CopyTable => (
                "Copy table",
                "Copy the metrics table as tab-separated text for a spreadsheet",
                const { &[key(COMMAND_SHIFT, Key::C)] },
                Group::File,
            ),
            Self::AssignJumps => (
                "Assign to athlete…",
                "Save this clip's jumps as trials of an athlete",
                const { &[key(COMMAND, Key::S)] },
                Group::File,
            ),
            Self::Quit => (
                "Quit",
                "Close Hangtime",
                const { &[key(COMMAND, Key::Q)] },
                Group::File,
            ),
            Self::PlayPause => (
                "Play / pause",
                "Play or pause the video",
                const { &[key(NONE, Key::Space)] },
                Group::Playback,
            ),
            Self::PreviousFrame => (
                "Previous frame",
                "One frame back",
                const { &[key(NONE, Key::ArrowLeft)] },
                Group::Playback,
            ),
            Self::NextFrame => (
                "Next frame",
                "One frame forward",
                const { &[key(NONE, Key::ArrowRight)] },
                Group::Playback,
            ),
            Self::BackTen => (
                "Ten frames back",
                "Ten frames back",
                const { &[key(SHIFT, Key::ArrowLeft)] },
                Group::Playback,
            ),
            Self::ForwardTen => (
                "Ten frames forward",
                "Ten frames forward",
                const { &[key(SHIFT, Key::ArrowRight)] },
                Group::Playback,
            ),
            Self::FirstFrame => (
                "First frame",
                "Go to the first frame",
                const { &[key(NONE, Key::Home)] },
                Group::Playback,
            ),
            Self::LastFrame => (
                "Last frame",
                "Go to the last frame",
                const { &[key(NONE, Key::End)] },
                Group::Playback,
            ),
            Self::SelectTakeoff => (
                "Select takeoff",
                "Select the selected jump's takeoff marker and show its frame",
                const { &[key(NONE, Key::T)] },
                Group::Correction,
            ),
            Self::SelectLanding => (
                "Select landing",
                "Select the selected jump's landing marker and show its frame",
                const { &[key(NONE, Key::L)] },
                Group::Correction,
            ),
            Self::NudgeEarlier => (
                "Marker one frame earlier",
                "Move the selected marker one frame earlier",
                const { &[key(NONE, Key::Comma)] },
                Group::Correction,
            ),
            Self::NudgeLater => (
                "Marker one frame later",
                "Move the selected marker one frame later",
                const { &[key(NONE, Key::Period)] },
                Group::Correction,
            ),
            Self::NudgeEarlierMs => (
                "Marker 1 ms earlier",
                "Move the selected marker one millisecond earlier",
                const { &[key(SHIFT, Key::Comma)] },
                Group::Correction,
            ),
            Self::NudgeLaterMs => (
                "Marker 1 ms later",
                "Move the selected marker one millisecond later",
                const { &[key(SHIFT, Key::Period)] },
                Group::Correction,
            ),
            Self::Undo => (
                "Undo",
                "Undo the last correction",
                const { &[key(COMMAND, Key::Z)] },
                Group::Correction,
            ),
            Self::Redo => (
                "Redo",
                "Redo the last undone correction",
                const { &[key(COMMAND_SHIFT, Key::Z), key(COMMAND, Key::Y)] },
                Group::Correction,
            ),
            Self::FitVideo => (
                "Fit video to view",
                "Show the whole frame (or double-click the video)",
                const { &[key(NONE, Key::F)] },
                Group::View,
            ),
            Self::ShowAnalysis => (
                "Analysis",
                "Show the video, its jumps and their metrics",
                const { &[key(COMMAND, Key::Num1)] },
                Group::View,
            ),
            Self::ShowCompare => (
                "Compare",
                "Show the two jumps picked for comparing side by side",
                const { &[key(COMMAND, Key::Num3)] },
                Group::View,
            ),
            Self::CompareJumps => (
                "Compare jump…",
                "Pick the selected jump for comparing; the next jump picked is shown beside it",
                const { &[key(NONE, Key::C)] },
                Group::File,
            ),
            Self::ShowLibrary => (
                "Athletes",
                "Show the athletes, their history and which changes are real",
                const { &[key(COMMAND, Key::Num2)] },
                Group::View,
            ),
            Self::ShowHelp => (
                "Keyboard shortcuts",
                "List every keyboard shortcut",
                const { &[key(NONE, Key::F1)] },
                Group::View,
            ),
        };
        ActionSpec {
            label,
            help,
            shortcuts,
            group,
        }
    }

    /// The command it gives.
    pub fn command(self) -> Command {
        match self {
            Self::OpenVideo => Command::ShowOpenDialog,
            Self::ExportCsv => Command::ExportCsv(None),
            Self::ExportJson => Command::ExportJson(None),
            Self::ExportOverlay => Command::ExportOverlay(None),
            Self::CopyTable => Command::CopyTable,
            Self::AssignJumps => Command::ShowAssign,
            Self::Quit => Command::Quit,
            Self::PlayPause => Command::TogglePlay,
            Self::PreviousFrame => Command::StepFrames(-1),
            Self::NextFrame => Command::StepFrames(1),
            Self::BackTen => Command::StepFrames(-10),
            Self::ForwardTen => Command::StepFrames(10),
            Self::FirstFrame => Command::SeekStart,
            Self::LastFrame => Command::SeekEnd,
            Self::SelectTakeoff => Command::SelectEdge(FlightEdge::Takeoff),
            Self::SelectLanding => Command::SelectEdge(FlightEdge::Landing),
            Self::NudgeEarlier => Command::NudgeEdge(EdgeStep::Frames(-1)),
            Self::NudgeLater => Command::NudgeEdge(EdgeStep::Frames(1)),
            Self::NudgeEarlierMs => Command::NudgeEdge(EdgeStep::Millis(-1)),
            Self::NudgeLaterMs => Command::NudgeEdge(EdgeStep::Millis(1)),
            Self::Undo => Command::Undo,
            Self::Redo => Command::Redo,
            Self::FitVideo => Command::FitVideo,
            Self::ShowAnalysis => Command::ShowView(View::Analysis),
            Self::ShowLibrary => Command::ShowView(View::Library),
            Self::ShowCompare => Command::ShowView(View::Compare),
            Self::CompareJumps => Command::PickForCompare,
            Self::ShowHelp => Command::ToggleHelp,
        }
    }

    /// Whether it can be given now.
    pub fn enabled(self, c: &ActionContext) -> bool {
        match self {
            Self::OpenVideo | Self::Quit | Self::ShowAnalysis | Self::ShowHelp | Self::FitVideo => {
                true
            }
            Self::ExportCsv | Self::ExportJson => c.has_result,
            Self::ExportOverlay => c.has_result && !c.exporting,
            Self::CopyTable | Self::SelectTakeoff | Self::SelectLanding | Self::CompareJumps => {
                c.has_jumps
            }
            Self::ShowCompare => c.comparing,
            Self::AssignJumps => c.has_jumps && c.library_available,
            Self::ShowLibrary => c.library_available,
            Self::PlayPause
            | Self::PreviousFrame
            | Self::NextFrame
            | Self::BackTen
            | Self::ForwardTen
            | Self::FirstFrame
            | Self::LastFrame => c.has_frames,
            Self::NudgeEarlier | Self::NudgeLater | Self::NudgeEarlierMs | Self::NudgeLaterMs => {
                c.has_jumps && c.edge_selected
            }
            Self::Undo => c.can_undo,
            Self::Redo => c.can_redo,
        }
    }

    /// Its shortcuts as text (`Ctrl+Shift+Z`, or `⇧⌘Z` style names on a Mac).
    pub fn shortcut_text(self, is_mac: bool) -> Option<String> {
        let names = if is_mac {
            ModifierNames::SYMBOLS
        } else {
            ModifierNames::NAMES
        };
        let spec = self.spec();
        (!spec.shortcuts.is_empty()).then(|| {
            spec.shortcuts
                .iter()
                .map(|s| {
                    let modifiers = names.format(&s.modifiers, is_mac);
                    let key = key_text(s.logical_key);
                    if modifiers.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{modifiers}{}{key}", names.concat)
                    }
                })
                .collect::<Vec<_>>()
                .join(" or ")
        })
    }

    /// Tooltip: the help sentence and the shortcut.
    pub fn tooltip(self, is_mac: bool) -> String {
        let help = self.spec().help;
        match self.shortcut_text(is_mac) {
            Some(keys) => format!("{help} ({keys})"),
            None => help.to_owned(),
        }
    }
}

/// Every shortcut pressed this frame, as commands, in the order of the table.
///
/// Shortcuts with more modifiers are matched first: egui matches `Ctrl+Z` also when Shift is
/// held, so `Ctrl+Shift+Z` must be taken before it. Disabled actions leave their keys alone.
pub fn pressed(input: &mut egui::InputState, context: ActionContext) -> Vec<Command> {
    let mut shortcuts: Vec<(Action, KeyboardShortcut)> = Action::ALL
        .iter()
        .flat_map(|a| a.spec().shortcuts.iter().map(move |s| (*a, *s)))
        .collect();
    shortcuts.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));
    let mut out = Vec::new();
    for (action, shortcut) in shortcuts {
        if !action.enabled(&context) {
            continue;
        }
        // Held arrow keys repeat: each press is a step.
        for _ in 0..input.count_and_consume_key(shortcut.modifiers, shortcut.logical_key) {
            out.push(action.command());
        }
    }
    out
}

/// A key as printed on it ("," rather than egui's "Comma", arrows as arrows).
fn key_text(key: Key) -> &'static str {
    match key {
        Key::Comma => ",",
        Key::Period => ".",
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        other => other.name(),
    }
}

fn modifier_count(m: Modifiers) -> usize {
    [m.alt, m.shift, m.ctrl || m.command || m.mac_cmd]
        .iter()
        .filter(|b| **b)
        .count()
}

/// The key list of the README (Markdown), generated from the table.
pub fn markdown_key_list() -> String {
    let mut out = String::new();
    for group in [Group::File, Group::Playback, Group::Correction, Group::View] {
        write!(out, "\n**{}**\n\n", group.label()).ok();
        out.push_str("| Keys | What it does |\n|---|---|\n");
        for action in Action::ALL.iter().filter(|a| a.spec().group == group) {
            if let Some(keys) = action.shortcut_text(false) {
                let keys = keys
                    .split(" or ")
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                writeln!(out, "| {keys} | {} |", action.spec().help).ok();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const README_START: &str = "<!-- keys:start (generated from src/app/actions.rs) -->";
    const README_END: &str = "<!-- keys:end -->";

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen = std::collections::HashMap::new();
        for action in Action::ALL {
            for s in action.spec().shortcuts {
                if let Some(other) = seen.insert((s.modifiers, s.logical_key), action) {
                    panic!("{action:?} and {other:?} share {s:?}");
                }
            }
        }
        assert_eq!(
            Action::ALL.len(),
            Action::ALL
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len()
        );
    }

    #[test]
    fn shortcuts_read_as_on_each_platform() {
        assert_eq!(
            Action::Redo.shortcut_text(false).as_deref(),
            Some("Ctrl+Shift+Z or Ctrl+Y")
        );
        assert_eq!(
            Action::NudgeEarlierMs.shortcut_text(false).as_deref(),
            Some("Shift+,")
        );
        assert!(
            Action::Undo
                .shortcut_text(true)
                .is_some_and(|t| t.contains('⌘'))
        );
        assert_eq!(
            Action::Undo.tooltip(false),
            "Undo the last correction (Ctrl+Z)"
        );
    }

    #[test]
    fn nudges_need_a_selected_marker() {
        let mut c = ActionContext {
            has_frames: true,
            has_result: true,
            has_jumps: true,
            ..ActionContext::default()
        };
        assert!(!Action::NudgeLater.enabled(&c));
        c.edge_selected = true;
        assert!(Action::NudgeLater.enabled(&c));
        assert!(!Action::Undo.enabled(&c));
    }

    /// The README's key list is this table's; `HANGTIME_UPDATE_README=1` rewrites it.
    #[test]
    fn readme_key_list_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let start = readme
            .find(README_START)
            .expect("README has the key list markers");
        let end = readme
            .find(README_END)
            .expect("README has the key list end marker");
        let current = &readme[start + README_START.len()..end];
        let wanted = format!("{}\n", markdown_key_list());
        if current != wanted && std::env::var_os("HANGTIME_UPDATE_README").is_some() {
            let updated = format!(
                "{}{README_START}{wanted}{}",
                &readme[..start],
                &readme[end..]
            );
            std::fs::write(&path, updated).unwrap();
            return;
        }
        assert_eq!(
            current, wanted,
            "the README's key list is stale: run `HANGTIME_UPDATE_README=1 cargo test readme_key_list`"
        );
    }
}
