//! The desktop app (eframe/egui): open a jump video, watch it analysed in the background,
//! scrub it with the pose overlay, correct takeoff and landing on the phase timeline or with
//! the keyboard, read the metrics, see where the time went, export, and keep every athlete's
//! trials in the library.
//!
//! Layout of this module, after rerun's viewer: this file holds the state and
//! `eframe::App`; `run` carries out commands, `poll` takes in background results and input,
//! `ui/` draws the panels, `library/` the athletes view. UI functions only push
//! [`Command`]s; [`HangtimeApp`] runs them at the end of the frame. `actions` is the command
//! table (labels, shortcuts, enabled rules), `tasks` the one background-job runner and
//! `analysis_tasks` the work it is given.

mod actions;
mod analysis_tasks;
mod commands;
mod compare;
mod edits;
mod export;
mod flame;
mod library;
mod live;
mod overlay;
mod plots;
mod poll;
mod renderer;
mod run;
mod screenshot;
mod settings;
mod state;
mod table;
mod tasks;
mod theme;
mod timeline;
mod toasts;
mod ui;
mod viewer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use egui::Ui;

pub use actions::{Action, ActionContext, markdown_key_list};
pub use analysis_tasks::{TaskOutput, TrackerState};
pub use commands::{Command, CommandQueue, EdgeStep, FlightEdge, PlaybackSpeed, View};
pub use compare::{AlignAt, CompareCommand, CompareState, JumpRef, Side};
pub use export::ExportKind;
pub use library::LibraryState;
pub use live::{Provisional, SharedLive};
pub use settings::{MAX_RECENT_FILES, OverlaySettings, Settings, ThemeChoice};
pub use state::{AnalysisStatus, Playback, VideoEntry};
pub use tasks::{JobFailure, Lane, TaskHandle, TaskId};
pub use toasts::{Toast, ToastKind};

use crate::cache::PoseCache;
use crate::pipeline::VideoAnalysis;
use crate::pose::{ModelVariant, TrackerOptions};
use crate::video::{PreviewOptions, PreviewSource};

use analysis_tasks::SharedTracker;
use screenshot::ScreenshotPlan;
use tasks::TaskRunner;

/// File extensions offered in the open dialog and accepted when dropped.
pub const VIDEO_EXTENSIONS: [&str; 12] = [
    "mp4", "mov", "m4v", "avi", "mkv", "webm", "mts", "m2ts", "3gp", "mpg", "mpeg", "wmv",
];

/// Whether a path looks like a video Hangtime can open (by its extension).
pub fn is_video_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| VIDEO_EXTENSIONS.iter().any(|v| v.eq_ignore_ascii_case(e)))
}

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// Videos to open straight away (command line).
    pub videos: Vec<PathBuf>,
    /// Save a screenshot here once the first video is analysed, then close (scripts).
    pub screenshot: Option<PathBuf>,
    /// Preview decoding; the default suits a desktop.
    pub preview: PreviewOptions,
    /// Settings to use instead of the saved ones (tests).
    pub settings: Option<Settings>,
    /// Where tracked poses are reused from and kept (`None`: track every video afresh).
    pub cache: Option<PoseCache>,
    /// The athletes database file (`None`: the user's, in the data folder).
    pub database: Option<PathBuf>,
}

/// The settings file in the data folder (eframe's own name for it).
const SETTINGS_FILE: &str = "app.ron";

/// Opens the window and runs the app until it is closed.
///
/// # Errors
/// When no window can be created (no display, no OpenGL).
pub fn run(config: AppConfig) -> eframe::Result {
    let viewport = egui::ViewportBuilder::default()
        .with_title("Hangtime")
        .with_app_id("hangtime")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 600.0])
        .with_icon(Arc::new(theme::icon()))
        .with_drag_and_drop(true);
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        // Settings live in Hangtime's data folder (`HANGTIME_DATA_DIR` overrides it); on
        // Linux that is where eframe would put them anyway.
        persistence_path: crate::folders::data_dir().map(|dir| dir.join(SETTINGS_FILE)),
        ..Default::default()
    };
    eframe::run_native(
        "Hangtime",
        options,
        Box::new(move |cc| Ok(Box::new(HangtimeApp::new(cc, config)))),
    )
}

/// The preview of the video shown.
struct CurrentPreview {
    path: PathBuf,
    source: PreviewSource,
    /// Fed by the video's analysis rather than decoded on its own.
    fed: bool,
}

/// The overlay video being written.
struct RunningExport {
    task: TaskId,
    name: String,
}

/// The app: persisted settings beside runtime state.
pub struct HangtimeApp {
    settings: Settings,
    tasks: TaskRunner<TaskOutput>,
    tracker: SharedTracker,
    tracker_state: TrackerState,
    /// The task loading the tracker, while it runs.
    tracker_task: Option<TaskId>,
    entries: Vec<VideoEntry>,
    current: Option<usize>,
    preview: Option<CurrentPreview>,
    preview_options: PreviewOptions,
    cache: Option<PoseCache>,
    playback: Playback,
    viewer: viewer::ViewerState,
    flame: flame::FlameView,
    toasts: toasts::Toasts,
    commands: CommandQueue,
    overlay_export: Option<RunningExport>,
    screenshot: Option<ScreenshotPlan>,
    ctx: egui::Context,
    applied_theme: Option<ThemeChoice>,
    /// How often background work repaints, and whether egui animates, for this renderer.
    pace: renderer::Pace,
    view: View,
    show_help: bool,
    library: LibraryState,
    compare: Option<CompareState>,
    compare_pick: Option<JumpRef>,
}

impl std::fmt::Debug for HangtimeApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HangtimeApp")
            .field("entries", &self.entries.len())
            .field("current", &self.current)
            .field("playback", &self.playback)
            .finish_non_exhaustive()
    }
}

impl HangtimeApp {
    /// Builds the app, loads saved settings and queues the pose tracker's loading (once, in
    /// the background; every analysis reuses it).
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        let settings = config
            .settings
            .or_else(|| {
                cc.storage
                    .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            })
            .unwrap_or_default();
        let ctx = cc.egui_ctx.clone();
        let pace = renderer::Pace::for_context(cc.gl.as_deref());
        let repaint_ctx = ctx.clone();
        let tasks = TaskRunner::new(Arc::new(move || {
            repaint_ctx.request_repaint_after(pace.background_repaint);
        }));
        let mut commands = CommandQueue::default();
        for video in config.videos {
            commands.push(Command::Open(video));
        }
        let mut app = Self {
            tracker_state: TrackerState::Loading(settings.model),
            library: LibraryState::new(config.database),
            settings,
            tasks,
            tracker: Arc::new(Mutex::default()),
            tracker_task: None,
            entries: Vec::new(),
            current: None,
            preview: None,
            preview_options: config.preview,
            cache: config.cache,
            playback: Playback::default(),
            viewer: viewer::ViewerState::default(),
            flame: flame::FlameView::default(),
            toasts: toasts::Toasts::default(),
            commands,
            overlay_export: None,
            screenshot: config.screenshot.map(ScreenshotPlan::new),
            ctx,
            applied_theme: None,
            pace,
            view: View::Analysis,
            show_help: false,
            compare: None,
            compare_pick: None,
        };
        app.load_tracker(app.settings.model);
        app
    }

    /// Queues a command as if a widget had pushed it (tests, scripts).
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every opened video.
    pub fn entries(&self) -> &[VideoEntry] {
        &self.entries
    }

    /// The video shown.
    pub fn current_entry(&self) -> Option<&VideoEntry> {
        self.current.and_then(|i| self.entries.get(i))
    }

    /// The analysis of the video shown, once done.
    pub fn current_analysis(&self) -> Option<&VideoAnalysis> {
        self.current_entry().and_then(|e| e.result.as_deref())
    }

    /// Playback position and mode.
    pub fn playback(&self) -> &Playback {
        &self.playback
    }

    /// Messages shown now.
    pub fn toasts(&self) -> &[Toast] {
        self.toasts.items()
    }

    /// Whether any analysis is queued or running.
    pub fn is_busy(&self) -> bool {
        self.entries.iter().any(VideoEntry::is_busy)
    }

    /// Whether an overlay video is being written.
    pub fn is_exporting(&self) -> bool {
        self.overlay_export.is_some()
    }

    /// Every background task queued or running.
    pub fn tasks(&self) -> &[TaskHandle] {
        self.tasks.tasks()
    }

    /// The pose tracker's state.
    pub fn tracker_state(&self) -> &TrackerState {
        &self.tracker_state
    }

    /// Whether the preview can show frame `index` of the video shown now.
    pub fn preview_has_frame(&self, index: usize) -> bool {
        self.preview
            .as_ref()
            .is_some_and(|p| p.source.frame(index).is_some())
    }

    /// The view shown.
    pub fn view(&self) -> View {
        self.view
    }

    /// The two jumps compared, once two were picked.
    pub fn compare(&self) -> Option<&CompareState> {
        self.compare.as_ref()
    }

    /// The athletes library.
    pub fn library(&self) -> &LibraryState {
        &self.library
    }

    /// What the command table's enabled rules look at, now.
    pub fn action_context(&self) -> ActionContext {
        let result = self.current_analysis();
        let entry = self.current_entry();
        ActionContext {
            // Without copying the frame times: this runs for every button drawn.
            has_frames: result.map_or_else(
                || {
                    self.preview
                        .as_ref()
                        .is_some_and(|p| p.source.frame_count() > 0)
                },
                |r| !r.analysis.signals.t.is_empty(),
            ),
            has_result: result.is_some(),
            has_jumps: result.is_some_and(|r| !r.analysis.jumps.is_empty()),
            edge_selected: self.playback.selected_edge.is_some(),
            can_undo: entry.is_some_and(|e| e.edits.can_undo()),
            can_redo: entry.is_some_and(|e| e.edits.can_redo()),
            exporting: self.overlay_export.is_some(),
            library_available: self.library.is_available(),
            comparing: self.compare.is_some(),
        }
    }

    /// Presentation times of the video shown: the analysis's once done, else the preview's.
    fn frame_times(&self) -> Vec<f64> {
        if let Some(result) = self.current_analysis() {
            return result.analysis.signals.t.clone();
        }
        self.preview
            .as_ref()
            .map(|p| p.source.times())
            .unwrap_or_default()
    }

    /// Queues the loading of the tracker with `variant` behind the analyses already asked for.
    fn load_tracker(&mut self, variant: ModelVariant) {
        let work =
            analysis_tasks::load_tracker(Arc::clone(&self.tracker), tracker_options(variant));
        let name = format!("Loading the {variant} pose model");
        match self.tasks.spawn(Lane::Analysis, name, work) {
            Ok(id) => {
                self.tracker_state = TrackerState::Loading(variant);
                self.tracker_task = Some(id);
            }
            Err(message) => {
                self.tracker_state = TrackerState::Failed(message.clone());
                self.toasts.error(message);
            }
        }
    }
}

impl eframe::App for HangtimeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_tasks();
        self.library.poll(&mut self.toasts);
        if self.view == View::Library {
            // Saves by another program (the command line) show up without a click.
            ctx.request_repaint_after(Duration::from_secs(1));
        }
        self.handle_dropped_files(ctx);
        self.handle_keyboard(ctx);
        self.advance_playback(ctx);
        self.step_screenshot(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(&ctx, self.settings.theme);
            if !self.pace.animations {
                ctx.all_styles_mut(|style| style.animation_time = 0.0);
            }
            self.applied_theme = Some(self.settings.theme);
        }
        let mut commands = std::mem::take(&mut self.commands);
        let status_height = self.draw(ui, &mut commands);
        ui::drop_overlay(&ctx);
        self.toasts.show(&ctx, status_height);
        self.commands = commands;
        self.run_commands(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}

impl Drop for HangtimeApp {
    fn drop(&mut self) {
        // Stop every task so the lanes end promptly with the window.
        self.tasks.cancel_all();
        self.preview = None;
    }
}

fn tracker_options(variant: ModelVariant) -> TrackerOptions {
    TrackerOptions {
        variant,
        // One analysis at a time: inference may use both cores (the pool does not spin, so
        // the decoder and the UI keep theirs when they need them).
        intra_threads: 2,
    }
}

/// "1.2 s", "45 s", "3 min 5 s".
fn format_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1} s")
    } else if s < 60.0 {
        format!("{s:.0} s")
    } else {
        format!("{} min {} s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_paths_are_recognised_by_extension() {
        assert!(is_video_path(Path::new("/a/jump.MP4")));
        assert!(is_video_path(Path::new("clip.mov")));
        assert!(!is_video_path(Path::new("notes.txt")));
        assert!(!is_video_path(Path::new("noext")));
    }

    #[test]
    fn an_analysis_that_panics_fails_its_video_with_a_sentence_and_the_app_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = egui_kittest::Harness::builder().build_eframe(|cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    settings: Some(Settings::default()),
                    database: Some(dir.path().join("db.sqlite")),
                    ..AppConfig::default()
                },
            )
        });
        let path = dir.path().join("clip.mp4");
        harness.state_mut().submit_crashing_analysis(path.clone());
        let started = std::time::Instant::now();
        while harness.state().is_busy() || harness.state().entries().is_empty() {
            assert!(
                started.elapsed() < Duration::from_mins(2),
                "the queued video never failed"
            );
            harness.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        let app = harness.state();
        match &app.entries()[0].status {
            AnalysisStatus::Failed(message) => assert_eq!(
                message,
                "The analysis of clip.mp4 stopped unexpectedly (a test asked the analysis to fail)."
            ),
            other => panic!("the video is {other:?}"),
        }
        assert!(
            app.toasts()
                .iter()
                .any(|t| t.text.contains("stopped unexpectedly"))
        );
        // The lane goes on: opening a missing file fails with the file's own sentence.
        harness
            .state_mut()
            .push_command(Command::Open(dir.path().join("missing.mp4")));
        let started = std::time::Instant::now();
        loop {
            harness.step();
            let entries = harness.state().entries();
            if entries.len() == 2 && !entries[1].is_busy() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_mins(2),
                "the second video never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(matches!(
            harness.state().entries()[1].status,
            AnalysisStatus::Failed(_)
        ));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.2 s");
        assert_eq!(format_duration(Duration::from_secs(45)), "45 s");
        assert_eq!(format_duration(Duration::from_secs(185)), "3 min 5 s");
    }
}
