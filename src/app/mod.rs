//! The desktop app (eframe/egui): open a jump video, watch it analysed in the background,
//! scrub it with the pose overlay, correct takeoff and landing on the phase timeline, read
//! the metrics, see where the time went, and export.
//!
//! Layout of this module: `state` (opened videos, playback), `commands` (everything a user
//! can ask for), `jobs` (the analysis worker), `viewer` + `overlay` (video and skeleton),
//! `timeline` + `phases`, `plots`, `table`, `flame`, `export`, `toasts`, `settings`, `theme`.
//! UI functions only push [`Command`]s; [`HangtimeApp`] runs them at the end of the frame.

mod commands;
mod export;
mod flame;
mod jobs;
mod overlay;
mod plots;
mod screenshot;
mod settings;
mod state;
mod table;
mod theme;
mod timeline;
mod toasts;
mod video_export;
mod viewer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use egui::{Align, Color32, Key, KeyboardShortcut, Layout, Modifiers, RichText, Ui, vec2};

pub use commands::{Command, CommandQueue, FlightEdge, PlaybackSpeed};
pub use export::ExportKind;
pub use jobs::{AnalysisWorker, JobFailure, JobHandle, JobId, TrackerState, WorkerEvent};
pub use settings::{MAX_RECENT_FILES, OverlaySettings, Settings, ThemeChoice};
pub use state::{AnalysisStatus, Playback, VideoEntry};
pub use toasts::{Toast, ToastKind};
pub use video_export::{ExportOutcome, OverlayExport};

use crate::analysis::{self, JumpKind, PhaseBand, band_at, clip_end, nearest_frame};
use crate::cache::PoseCache;
use crate::pipeline::{PipelineOptions, VideoAnalysis};
use crate::pose::{ModelVariant, TrackerOptions};
use crate::report::{CsvDialect, CsvFormat, CsvHeaders};
use crate::video::{PreviewOptions, PreviewSource, PreviewStatus};

use crate::util::file_name;
use screenshot::ScreenshotPlan;

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

const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Wall-clock step used for the play clock when the frame time is not known yet.
const FALLBACK_DT: f64 = 1.0 / 60.0;

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
}

/// The app: persisted settings beside runtime state.
pub struct HangtimeApp {
    settings: Settings,
    worker: Option<AnalysisWorker>,
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
    overlay_export: Option<OverlayExport>,
    screenshot: Option<ScreenshotPlan>,
    ctx: egui::Context,
    applied_theme: Option<ThemeChoice>,
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
    /// Builds the app, loads saved settings and starts the analysis worker (which loads the
    /// pose tracker once, in the background).
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        let settings = config
            .settings
            .or_else(|| {
                cc.storage
                    .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            })
            .unwrap_or_default();
        let ctx = cc.egui_ctx.clone();
        let repaint_ctx = ctx.clone();
        let notify: jobs::Notify = Arc::new(move || repaint_ctx.request_repaint());
        let mut toasts = toasts::Toasts::default();
        let worker = match AnalysisWorker::spawn(tracker_options(settings.model), notify) {
            Ok(w) => Some(w),
            Err(e) => {
                toasts.error(format!(
                    "The analysis worker could not start ({e}); videos cannot be analysed."
                ));
                None
            }
        };
        let mut commands = CommandQueue::default();
        for video in config.videos {
            commands.push(Command::Open(video));
        }
        Self {
            settings,
            worker,
            entries: Vec::new(),
            current: None,
            preview: None,
            preview_options: config.preview,
            cache: config.cache,
            playback: Playback::default(),
            viewer: viewer::ViewerState::default(),
            flame: flame::FlameView::default(),
            toasts,
            commands,
            overlay_export: None,
            screenshot: config.screenshot.map(ScreenshotPlan::new),
            ctx,
            applied_theme: None,
        }
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

    /// The running overlay-video export, if any.
    pub fn overlay_export(&self) -> Option<&OverlayExport> {
        self.overlay_export.as_ref()
    }

    /// The pose tracker's state.
    pub fn tracker_state(&self) -> Option<&TrackerState> {
        self.worker.as_ref().map(AnalysisWorker::tracker)
    }

    fn pipeline_options(&self) -> PipelineOptions {
        PipelineOptions {
            analysis: analysis::AnalysisOptions {
                kind: self.settings.jump_kind,
                ..analysis::AnalysisOptions::default()
            },
            cache: self.cache.clone(),
            ..PipelineOptions::default()
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

    // ----- background work -----

    fn poll_worker(&mut self) {
        let Some(worker) = self.worker.as_mut() else {
            return;
        };
        let mut died = None;
        for event in worker.poll() {
            match event {
                WorkerEvent::TrackerFailed(message) => {
                    self.toasts.error(format!(
                        "The pose tracker could not be loaded: {}",
                        jobs::capitalise(&message)
                    ));
                }
                WorkerEvent::Started(id) => {
                    if let Some(entry) = self.entry_of_job(id) {
                        entry.status = AnalysisStatus::Running;
                    }
                }
                WorkerEvent::Progress(id, progress) => {
                    if let Some(job) = self.entry_of_job(id).and_then(|e| e.job.as_mut()) {
                        job.progress = Some(progress);
                    }
                }
                WorkerEvent::Finished(id, outcome) => self.finish_job(id, outcome),
                WorkerEvent::Died(reason) => died = Some(reason),
                WorkerEvent::TrackerLoading(_) | WorkerEvent::TrackerReady { .. } => {}
            }
        }
        if let Some(reason) = died {
            self.worker_died(&reason);
        }
    }

    /// The worker thread is gone: every video it still had is told so, and nothing polls it
    /// any more.
    fn worker_died(&mut self, reason: &str) {
        self.worker = None;
        let message = format!(
            "{}. Restart Hangtime to analyse videos again.",
            jobs::capitalise(reason)
        );
        for entry in self.entries.iter_mut().filter(|e| e.is_busy()) {
            entry.finish(Err(JobFailure::Failed(message.clone())));
        }
        self.toasts.error(message);
    }

    fn poll_export(&mut self) {
        let Some(outcome) = self.overlay_export.as_mut().and_then(OverlayExport::poll) else {
            return;
        };
        self.overlay_export = None;
        match outcome {
            ExportOutcome::Saved(path) => {
                self.settings.remember_folder(&path);
                self.toasts
                    .success(format!("Saved the overlay video to {}", path.display()));
            }
            ExportOutcome::Cancelled => self
                .toasts
                .info("The overlay export was cancelled; nothing was written."),
            ExportOutcome::Failed(message) => self.toasts.error(message),
        }
    }

    fn entry_of_job(&mut self, id: JobId) -> Option<&mut VideoEntry> {
        self.entries
            .iter_mut()
            .find(|e| e.job.as_ref().is_some_and(|j| j.id == id))
    }

    fn finish_job(&mut self, id: JobId, outcome: Result<Box<VideoAnalysis>, JobFailure>) {
        let Some(index) = self
            .entries
            .iter()
            .position(|e| e.job.as_ref().is_some_and(|j| j.id == id))
        else {
            return;
        };
        let name = self.entries[index].name();
        match &outcome {
            Ok(result) => {
                let jumps = result.analysis.jumps.len();
                if jumps == 0 {
                    self.toasts.error(format!(
                        "No jump was found in {name}. Check that the whole body, feet included, is in view."
                    ));
                } else {
                    self.toasts.success(format!(
                        "Analysed {name}: {jumps} jump{} found.",
                        if jumps == 1 { "" } else { "s" }
                    ));
                }
            }
            Err(JobFailure::Cancelled) => self
                .toasts
                .info(format!("The analysis of {name} was cancelled.")),
            Err(JobFailure::Failed(message)) => self.toasts.error(message.clone()),
        }
        self.entries[index].finish(outcome);
        if self.current == Some(index) {
            let times = self.frame_times();
            self.playback.seek(self.playback.frame, &times);
            self.playback.selected_jump = 0;
            self.flame = flame::FlameView::default();
        }
    }

    // ----- input -----

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            if is_video_path(&path) {
                self.commands.push(Command::Open(path));
            } else {
                self.toasts.error(format!(
                    "{} is not a video file Hangtime can open (use MP4, MOV, AVI, MKV or WebM).",
                    file_name(&path)
                ));
            }
        }
    }

    fn handle_keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let commands = ctx.input_mut(|i| {
            let mut out = Vec::new();
            if i.consume_shortcut(&OPEN_SHORTCUT) {
                out.push(Command::ShowOpenDialog);
            }
            // Shift variants first: a plain pattern also matches with Shift held.
            for (key, step) in [(Key::ArrowRight, 1), (Key::ArrowLeft, -1)] {
                for _ in 0..i.count_and_consume_key(Modifiers::SHIFT, key) {
                    out.push(Command::StepFrames(step * 10));
                }
                for _ in 0..i.count_and_consume_key(Modifiers::NONE, key) {
                    out.push(Command::StepFrames(step));
                }
            }
            let simple = [
                (Key::Space, Command::TogglePlay),
                (Key::Home, Command::SeekStart),
                (Key::End, Command::SeekEnd),
                (Key::T, Command::GoToEdge(FlightEdge::Takeoff)),
                (Key::L, Command::GoToEdge(FlightEdge::Landing)),
            ];
            for (key, command) in simple {
                if i.consume_key(Modifiers::NONE, key) {
                    out.push(command);
                }
            }
            out
        });
        for c in commands {
            self.commands.push(c);
        }
    }

    fn advance_playback(&mut self, ctx: &egui::Context) {
        if !self.playback.playing {
            return;
        }
        let dt = f64::from(ctx.input(|i| i.unstable_dt)).clamp(0.0, 0.25);
        let dt = if dt > 0.0 { dt } else { FALLBACK_DT };
        let times = self.frame_times();
        self.playback.advance(dt, &times);
        ctx.request_repaint();
    }

    // ----- commands -----

    fn run_commands(&mut self, ctx: &egui::Context) {
        let mut opened_this_frame = false;
        // Commands can queue more (the open dialog queues opens); bounded in case of a loop.
        for _ in 0..8 {
            let batch = self.commands.take();
            if batch.is_empty() {
                break;
            }
            for command in batch {
                self.run_command(ctx, command, &mut opened_this_frame);
            }
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, command: Command, opened_this_frame: &mut bool) {
        let times = self.frame_times();
        match command {
            Command::Open(path) => self.open(path, opened_this_frame),
            Command::ShowOpenDialog => self.show_open_dialog(),
            Command::SelectVideo(i) => self.select(i),
            Command::CancelAnalysis(i) => {
                if let Some(job) = self.entries.get(i).and_then(|e| e.job.as_ref()) {
                    job.cancel();
                }
            }
            Command::ClearRecentFiles => self.settings.recent_files.clear(),
            Command::SeekFrame(frame) => {
                self.playback.playing = false;
                self.playback.seek(frame, &times);
            }
            Command::SeekTime(t) => {
                self.playback.playing = false;
                self.playback.seek(nearest_frame(&times, t), &times);
            }
            Command::StepFrames(step) => {
                self.playback.playing = false;
                let target = self.playback.frame.saturating_add_signed(step as isize);
                self.playback.seek(target, &times);
            }
            Command::SeekStart => self.playback.seek(0, &times),
            Command::SeekEnd => {
                self.playback.playing = false;
                self.playback.seek(usize::MAX, &times);
            }
            Command::TogglePlay => {
                if !self.playback.playing && self.playback.frame + 1 >= times.len() {
                    // Playing from the end starts again from the beginning.
                    self.playback.seek(0, &times);
                }
                self.playback.playing = !self.playback.playing && times.len() > 1;
            }
            Command::SetSpeed(speed) => self.playback.speed = speed,
            Command::SelectJump(j) => self.playback.selected_jump = j,
            Command::GoToEdge(edge) => self.go_to_edge(edge, &times),
            Command::MoveEdge { jump, edge, time_s } => self.move_edge(jump, edge, time_s),
            Command::FitVideo => self.viewer.fit(),
            Command::ExportCsv(path) => self.export(ExportKind::MetricsCsv, path),
            Command::ExportJson(path) => self.export(ExportKind::Json, path),
            Command::ExportOverlay(path) => self.export(ExportKind::OverlayVideo, path),
            Command::CancelExport => {
                if let Some(job) = &self.overlay_export {
                    job.cancel();
                }
            }
            Command::CopyTable => {
                if let Some(result) = self.current_analysis() {
                    let jumps = result.analysis.jumps.len();
                    ctx.copy_text(table::to_tsv(&result.analysis.jumps));
                    self.toasts.success(format!(
                        "Copied the metrics of {jumps} jump{} to the clipboard.",
                        if jumps == 1 { "" } else { "s" }
                    ));
                }
            }
            Command::SetModel(variant) => {
                if self.settings.model != variant {
                    self.settings.model = variant;
                    if let Some(worker) = self.worker.as_mut() {
                        worker.reload(tracker_options(variant));
                    }
                    self.toasts.info(format!(
                        "The {variant} pose model will be used for the next videos you open."
                    ));
                }
            }
            Command::SetJumpKind(kind) => self.settings.jump_kind = kind,
            Command::SetCsvDialect(dialect) => self.settings.csv_dialect = dialect,
            Command::SetCsvHeaders(headers) => self.settings.csv_headers = headers,
            Command::SetTheme(theme) => self.settings.theme = theme,
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn open(&mut self, path: PathBuf, opened_this_frame: &mut bool) {
        self.settings.remember_file(&path);
        let options = self.pipeline_options();
        if let Some(i) = self.entries.iter().position(|e| e.path == path) {
            // Opening it again re-analyses a failed or cancelled video, else just shows it.
            if matches!(
                self.entries[i].status,
                AnalysisStatus::Failed(_) | AnalysisStatus::Cancelled
            ) && let Some(worker) = self.worker.as_mut()
            {
                let job = worker.submit(path, options);
                self.entries[i].job = Some(job);
                self.entries[i].status = AnalysisStatus::Queued;
            }
            self.select(i);
            *opened_this_frame = true;
            return;
        }
        let Some(worker) = self.worker.as_mut() else {
            self.toasts
                .error("Videos cannot be analysed: the analysis worker is not running.");
            return;
        };
        let job = worker.submit(path.clone(), options);
        let name = file_name(&path);
        self.entries.push(VideoEntry::queued(path, job));
        if *opened_this_frame {
            self.toasts.info(format!("{name} is queued for analysis."));
        } else {
            self.select(self.entries.len() - 1);
            *opened_this_frame = true;
        }
    }

    fn show_open_dialog(&mut self) {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Open a jump video")
            .add_filter("Video", &VIDEO_EXTENSIONS)
            .add_filter("All files", &["*"]);
        if let Some(dir) = &self.settings.last_folder {
            dialog = dialog.set_directory(dir);
        }
        for path in dialog.pick_files().unwrap_or_default() {
            self.commands.push(Command::Open(path));
        }
    }

    fn select(&mut self, index: usize) {
        let Some(entry) = self.entries.get(index) else {
            return;
        };
        let path = entry.path.clone();
        if self.current != Some(index) {
            self.current = Some(index);
            self.playback = Playback::default();
            self.viewer.clear();
            self.flame = flame::FlameView::default();
        }
        if self.preview.as_ref().is_some_and(|p| p.path == path) {
            return;
        }
        // One preview at a time: a resident clip can take hundreds of megabytes.
        self.preview = None;
        let ctx = self.ctx.clone();
        match PreviewSource::open(&path, self.preview_options, move || ctx.request_repaint()) {
            Ok(source) => self.preview = Some(CurrentPreview { path, source }),
            Err(e) => self.toasts.error(format!(
                "The video preview could not start: {}",
                jobs::capitalise(&e.to_string())
            )),
        }
    }

    fn go_to_edge(&mut self, edge: FlightEdge, times: &[f64]) {
        let selected = self.playback.selected_jump;
        let Some(jump) = self
            .current_analysis()
            .and_then(|r| r.analysis.jumps.get(selected))
        else {
            return;
        };
        let frame = match edge {
            FlightEdge::Takeoff => jump.takeoff_frame,
            FlightEdge::Landing => jump.landing_frame,
        };
        self.playback.playing = false;
        self.playback.seek(frame, times);
    }

    /// A person moved a jump's takeoff or landing: the clip is analysed again with that
    /// correction (clamped to a valid order), exactly as a fresh analysis forced to it.
    fn move_edge(&mut self, jump: usize, edge: FlightEdge, time_s: f64) {
        let Some(index) = self.current else { return };
        let Some(result) = self.entries.get_mut(index).and_then(|e| e.result.as_mut()) else {
            return;
        };
        let VideoAnalysis {
            analysis, poses, ..
        } = &mut **result;
        let Some(flight) = analysis.flights.get(jump) else {
            return;
        };
        let (takeoff, landing) = match edge {
            FlightEdge::Takeoff => (time_s, flight.landing_s),
            FlightEdge::Landing => (flight.takeoff_s, time_s),
        };
        let Some(options) = analysis.with_edges(jump, takeoff, landing) else {
            return;
        };
        *analysis = analysis.reanalyzed(poses, &options);
        let moved = analysis
            .jumps
            .get(jump)
            .and_then(|j| j.event(edge.event()))
            .unwrap_or(time_s);
        let frame = analysis::frame_at_or_after(&analysis.signals.t, moved);
        let clip_times = analysis.signals.t.clone();
        if let Some(entry) = self.entries.get_mut(index) {
            entry.refresh_bands();
        }
        self.playback.playing = false;
        self.playback.selected_jump = jump;
        self.playback.seek(frame, &clip_times);
    }

    fn export(&mut self, kind: ExportKind, path: Option<PathBuf>) {
        let Some(entry) = self.current_entry() else {
            self.toasts
                .error("Open and analyse a video before exporting.");
            return;
        };
        let Some(result) = entry.result.as_deref() else {
            self.toasts
                .error(format!("{} has no analysis to export yet.", entry.name()));
            return;
        };
        let path = if let Some(p) = path {
            p
        } else {
            {
                let start = self
                    .settings
                    .last_folder
                    .clone()
                    .or_else(|| entry.path.parent().map(Path::to_path_buf));
                let mut dialog = rfd::FileDialog::new()
                    .set_title(format!("Export {}", kind.description()))
                    .add_filter(kind.filter_name(), &[kind.extension()])
                    .set_file_name(kind.default_file_name(&entry.path));
                if let Some(dir) = start {
                    dialog = dialog.set_directory(dir);
                }
                let Some(p) = dialog.save_file() else { return };
                p
            }
        };
        if kind == ExportKind::OverlayVideo {
            if self.overlay_export.is_some() {
                self.toasts
                    .error("An overlay video is being exported already; wait for it or cancel it.");
                return;
            }
            let ctx = self.ctx.clone();
            let notify: jobs::Notify = Arc::new(move || ctx.request_repaint());
            match OverlayExport::start(result.clone(), path, notify) {
                Ok(job) => self.overlay_export = Some(job),
                Err(message) => self.toasts.error(message),
            }
            return;
        }
        let csv = CsvFormat {
            dialect: self.settings.csv_dialect,
            headers: self.settings.csv_headers,
        };
        match export::write(kind, result, csv, &path) {
            Ok(written) => {
                self.settings.remember_folder(&written);
                self.toasts.success(format!(
                    "Saved the {} to {}",
                    kind.description(),
                    written.display()
                ));
            }
            Err(message) => self.toasts.error(message),
        }
    }

    // ----- drawing -----

    fn menu_bar(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu(ui, commands));
            ui.menu_button("View", |ui| self.view_menu(ui, commands));
            ui.menu_button("Analysis", |ui| self.analysis_menu(ui, commands));
            ui.menu_button("Help", help_menu);
        });
    }

    fn file_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        let open = egui::Button::new("Open video…")
            .shortcut_text(ui.ctx().format_shortcut(&OPEN_SHORTCUT));
        if ui.add(open).clicked() {
            commands.push(Command::ShowOpenDialog);
        }
        ui.menu_button("Open recent", |ui| {
            if self.settings.recent_files.is_empty() {
                ui.label(RichText::new("No recent files").weak());
            }
            for path in &self.settings.recent_files {
                if ui
                    .button(file_name(path))
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    commands.push(Command::Open(path.clone()));
                }
            }
            ui.separator();
            if ui
                .add_enabled(
                    !self.settings.recent_files.is_empty(),
                    egui::Button::new("Clear recent files"),
                )
                .clicked()
            {
                commands.push(Command::ClearRecentFiles);
            }
        });
        ui.separator();
        let done = self.current_analysis().is_some();
        if ui
            .add_enabled(done, egui::Button::new("Export metrics CSV…"))
            .clicked()
        {
            commands.push(Command::ExportCsv(None));
        }
        if ui
            .add_enabled(done, egui::Button::new("Export JSON report…"))
            .clicked()
        {
            commands.push(Command::ExportJson(None));
        }
        let exporting = self.overlay_export.is_some();
        if ui
            .add_enabled(
                done && !exporting,
                egui::Button::new("Export overlay video…"),
            )
            .on_hover_text("The clip with skeleton, phases, events and metrics drawn in (MP4)")
            .clicked()
        {
            commands.push(Command::ExportOverlay(None));
        }
        ui.separator();
        if ui.button("Quit").clicked() {
            commands.push(Command::Quit);
        }
    }

    fn view_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.label(RichText::new("Theme").weak());
        for choice in [ThemeChoice::Dark, ThemeChoice::Light, ThemeChoice::System] {
            if ui
                .radio(self.settings.theme == choice, choice.label())
                .clicked()
            {
                commands.push(Command::SetTheme(choice));
            }
        }
        ui.separator();
        if ui.button("Fit video to view").clicked() {
            commands.push(Command::FitVideo);
        }
    }

    fn analysis_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.label(RichText::new("Pose model").weak());
        for (variant, label) in [
            (ModelVariant::Lite, "Lite (faster)"),
            (ModelVariant::Full, "Full (more accurate)"),
        ] {
            if ui.radio(self.settings.model == variant, label).clicked() {
                commands.push(Command::SetModel(variant));
            }
        }
        ui.separator();
        ui.label(RichText::new("Jump kind").weak());
        let kinds = [
            (None, "Detect automatically"),
            (Some(JumpKind::Cmj), JumpKind::Cmj.label()),
            (Some(JumpKind::Sj), JumpKind::Sj.label()),
            (Some(JumpKind::Dj), JumpKind::Dj.label()),
            (Some(JumpKind::Hops), "Repeated hops"),
        ];
        for (kind, label) in kinds {
            if ui.radio(self.settings.jump_kind == kind, label).clicked() {
                commands.push(Command::SetJumpKind(kind));
            }
        }
        ui.separator();
        ui.label(RichText::new("CSV format").weak());
        for (dialect, label) in [
            (CsvDialect::Standard, "Standard (comma, decimal point)"),
            (
                CsvDialect::ExcelEu,
                "European Excel (semicolon, decimal comma)",
            ),
        ] {
            if ui
                .radio(self.settings.csv_dialect == dialect, label)
                .clicked()
            {
                commands.push(Command::SetCsvDialect(dialect));
            }
        }
        ui.label(RichText::new("CSV columns").weak());
        for (headers, label) in [
            (CsvHeaders::Keys, "Keys and SI units (jump_height_m)"),
            (
                CsvHeaders::Field,
                "Force-plate style (Jump Height (Flight Time) [cm])",
            ),
        ] {
            if ui
                .radio(self.settings.csv_headers == headers, label)
                .clicked()
            {
                commands.push(Command::SetCsvHeaders(headers));
            }
        }
    }

    fn status_bar(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.horizontal(|ui| {
            ui.set_min_height(24.0);
            let running = self
                .entries
                .iter()
                .enumerate()
                .find(|(_, e)| e.status == AnalysisStatus::Running);
            let queued = self
                .entries
                .iter()
                .filter(|e| e.status == AnalysisStatus::Queued)
                .count();
            if let Some((index, entry)) = running {
                if let Some(job) = &entry.job {
                    ui.label(&job.name);
                    let text = match job.progress {
                        Some(p) => {
                            let eta = job.eta().map_or_else(String::new, |d| {
                                format!(" · about {} left", format_duration(d))
                            });
                            format!("{} / {} frames{eta}", p.frames_done, p.frames_total)
                        }
                        None => "starting…".to_owned(),
                    };
                    ui.add(
                        egui::ProgressBar::new(job.fraction())
                            .desired_width(320.0)
                            .text(text),
                    );
                    let cancel = ui.add_enabled(!job.is_cancelled(), egui::Button::new("Cancel"));
                    if cancel.on_hover_text("Stop this analysis").clicked() {
                        commands.push(Command::CancelAnalysis(index));
                    }
                }
            } else if queued == 0 {
                ui.label(RichText::new("Ready").weak());
            }
            if queued > 0 {
                ui.label(RichText::new(format!("{queued} queued")).weak());
            }
            if let Some(job) = &self.overlay_export {
                ui.separator();
                ui.label(format!("Exporting {}", job.name));
                let (done, total) = job.progress();
                ui.add(
                    egui::ProgressBar::new(job.fraction())
                        .desired_width(200.0)
                        .text(format!("{done} / {total} frames")),
                );
                if ui
                    .add_enabled(!job.is_cancelled(), egui::Button::new("Cancel export"))
                    .on_hover_text("Stop writing the overlay video")
                    .clicked()
                {
                    commands.push(Command::CancelExport);
                }
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                match self.tracker_state() {
                    Some(TrackerState::Loading(v)) => {
                        ui.label(RichText::new(format!("Loading the {v} pose model…")).weak());
                        ui.add(egui::Spinner::new());
                    }
                    Some(TrackerState::Ready { variant, load_time }) => {
                        ui.label(
                            RichText::new(format!(
                                "Pose model: {variant} (loaded in {})",
                                format_duration(*load_time)
                            ))
                            .weak(),
                        );
                    }
                    Some(TrackerState::Failed(_)) | None => {
                        ui.label(RichText::new("Pose model not loaded").color(theme::ERROR));
                    }
                }
                if let Some(preview) = &self.preview
                    && let PreviewStatus::Decoding { done, total } = preview.source.status()
                {
                    ui.separator();
                    ui.label(RichText::new(format!("Preview {done} / {total}")).weak());
                }
            });
        });
    }

    fn side_panel(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        // Timing stays in view at the bottom; videos and metrics scroll above it.
        egui::Panel::bottom("timing-panel")
            .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(0, 6)))
            .show(ui, |ui| self.timing_section(ui));
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("side-scroll")
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    if self.entries.len() > 1 {
                        ui.heading("Videos");
                        self.videos_list(ui, commands);
                        ui.separator();
                    }
                    self.metrics_section(ui, commands);
                });
        });
    }

    fn metrics_section(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.horizontal(|ui| {
            ui.heading("Metrics");
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let has_jumps = self
                    .current_analysis()
                    .is_some_and(|r| !r.analysis.jumps.is_empty());
                if ui
                    .add_enabled(has_jumps, egui::Button::new("Copy table"))
                    .on_hover_text("Copy the table as tab-separated text for a spreadsheet")
                    .clicked()
                {
                    commands.push(Command::CopyTable);
                }
            });
        });
        let Some(entry) = self.current_entry() else {
            ui.label(RichText::new("Open a video to see its jumps here.").weak());
            return;
        };
        match (&entry.status, entry.result.as_deref()) {
            (_, Some(result)) if result.analysis.jumps.is_empty() => {
                ui.label("No jump was found in this video.");
                clip_notes(ui, &result.warnings);
            }
            (_, Some(result)) => {
                table::show(
                    ui,
                    &result.analysis.jumps,
                    self.playback.selected_jump,
                    commands,
                );
                clip_notes(ui, &result.warnings);
            }
            (AnalysisStatus::Failed(message), None) => {
                ui.colored_label(theme::ERROR, message);
            }
            (AnalysisStatus::Cancelled, None) => {
                ui.label("The analysis was cancelled. Open the video again to analyse it.");
            }
            _ => {
                ui.label(RichText::new("The metrics appear when the analysis is done.").weak());
            }
        }
    }

    fn timing_section(&mut self, ui: &mut Ui) {
        ui.separator();
        let result = self
            .current
            .and_then(|i| self.entries.get(i))
            .and_then(|e| e.result.as_deref());
        ui.horizontal(|ui| {
            ui.heading("Timing");
            if let Some(result) = result {
                let total = result.timings.ms(crate::timing::stage::ANALYSIS);
                ui.label(RichText::new(format!("last run {}", flame::format_ms(total))).weak());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    ui.label(
                        RichText::new("scroll: zoom · drag: pan · double-click: reset")
                            .small()
                            .weak(),
                    );
                });
            }
        });
        match result {
            Some(result) => flame::show(ui, &result.timings, &mut self.flame),
            None => {
                ui.label(RichText::new("Stage timings of the last run appear here.").weak());
            }
        }
    }

    fn videos_list(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        for (i, entry) in self.entries.iter().enumerate() {
            ui.horizontal(|ui| {
                let state = match &entry.status {
                    AnalysisStatus::Queued => "queued".to_owned(),
                    AnalysisStatus::Running => entry.job.as_ref().map_or_else(
                        || "analysing".to_owned(),
                        |j| format!("{:.0} %", j.fraction() * 100.0),
                    ),
                    AnalysisStatus::Done => entry.result.as_ref().map_or_else(String::new, |r| {
                        let n = r.analysis.jumps.len();
                        format!("{n} jump{}", if n == 1 { "" } else { "s" })
                    }),
                    AnalysisStatus::Cancelled => "cancelled".to_owned(),
                    AnalysisStatus::Failed(_) => "failed".to_owned(),
                };
                let text = format!("{} — {state}", entry.name());
                if ui
                    .selectable_label(self.current == Some(i), text)
                    .on_hover_text(entry.path.display().to_string())
                    .clicked()
                {
                    commands.push(Command::SelectVideo(i));
                }
                if entry.is_busy()
                    && ui
                        .small_button("Cancel")
                        .on_hover_text(format!("Stop analysing {}", entry.name()))
                        .clicked()
                {
                    commands.push(Command::CancelAnalysis(i));
                }
            });
        }
    }

    fn central(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        let Some(index) = self.current else {
            self.welcome(ui, commands);
            return;
        };
        let times = self.frame_times();
        if let Some(entry) = self.entries.get(index)
            && let AnalysisStatus::Failed(message) = &entry.status
        {
            error_banner(ui, &format!("This video could not be analysed. {message}"));
        }
        self.toolbar(ui, &times, commands);
        self.scrubber(ui, &times, commands);

        let entry = self.entries.get(index);
        let result = entry.and_then(|e| e.result.as_deref());
        let bands: &[PhaseBand] = entry.map_or(&[], |e| e.bands.as_slice());
        let plots_height = if result.is_some() {
            (ui.available_height() * 0.3).clamp(170.0, 300.0)
        } else {
            0.0
        };
        let spacing = ui.spacing().item_spacing.y;
        let viewer_height =
            (ui.available_height() - 62.0 - plots_height - 3.0 * spacing).max(120.0);

        let frame_index = self.playback.frame;
        let picture = self.preview.as_ref().and_then(|p| {
            p.source
                .frame(frame_index)
                .or_else(|| p.source.nearest(frame_index))
        });
        let layout = self.preview.as_ref().and_then(|p| p.source.layout());
        let video_size = result
            .map(|r| (r.info.width, r.info.height))
            .or_else(|| layout.as_ref().map(|l| (l.info.width, l.info.height)));
        let pose = result.and_then(|r| r.poses.get(frame_index));
        let com = result.and_then(|r| {
            let s = &r.analysis.signals;
            Some((*s.com_x.get(frame_index)?, *s.com.value.get(frame_index)?))
        });
        let playhead_s = times.get(frame_index).copied().unwrap_or(0.0);
        let phase_text = band_at(bands, playhead_s).map(|b| {
            (
                format!("Jump {} · {}", b.jump + 1, b.phase.label()),
                theme::phase_colour(b.phase),
            )
        });
        let placeholder = match self.preview.as_ref().map(|p| p.source.status()) {
            Some(PreviewStatus::Failed(e)) => {
                format!("No preview: {}", jobs::capitalise(&e.to_string()))
            }
            _ => "Decoding the preview…".to_owned(),
        };
        let input = viewer::ViewerInput {
            picture,
            video_size,
            overlay: overlay::OverlayFrame {
                landmarks: pose.map_or(&[], |p| p.landmarks.as_slice()),
                centre_of_mass: com,
                phase: phase_text.as_ref().map(|(t, c)| (t.as_str(), *c)),
            },
            layers: self.settings.overlay,
            placeholder: &placeholder,
        };
        ui.allocate_ui(vec2(ui.available_width(), viewer_height), |ui| {
            viewer::show(ui, &mut self.viewer, &input);
        });
        let jumps = result.map_or(&[][..], |r| r.analysis.jumps.as_slice());
        timeline::show(
            ui,
            &timeline::TimelineInput {
                times: &times,
                bands,
                jumps,
                frame: frame_index,
                selected_jump: self.playback.selected_jump,
            },
            commands,
        );
        if let Some(result) = result {
            plots::show(
                ui,
                &plots::PlotInput {
                    signals: &result.analysis.signals,
                    px_per_m: result.analysis.px_per_m,
                    bands,
                    time_s: playhead_s,
                    end_s: clip_end(&times),
                },
                commands,
            );
        }
    }

    /// The frame slider across the whole clip.
    fn scrubber(&self, ui: &mut Ui, times: &[f64], commands: &mut CommandQueue) {
        let last = times.len().saturating_sub(1);
        let mut frame = self.playback.frame.min(last);
        ui.scope(|ui| {
            ui.spacing_mut().slider_width = ui.available_width();
            let slider = egui::Slider::new(&mut frame, 0..=last.max(1)).show_value(false);
            let response = ui
                .add_enabled(!times.is_empty(), slider)
                .on_hover_text("Frame scrubber");
            if response.changed() {
                commands.push(Command::SeekFrame(frame));
            }
        });
    }

    fn toolbar(&mut self, ui: &mut Ui, times: &[f64], commands: &mut CommandQueue) {
        ui.horizontal(|ui| {
            let has_frames = !times.is_empty();
            ui.add_enabled_ui(has_frames, |ui| {
                if ui.button("«").on_hover_text("First frame (Home)").clicked() {
                    commands.push(Command::SeekStart);
                }
                if ui
                    .button("‹")
                    .on_hover_text("Previous frame (←; Shift+← for ten)")
                    .clicked()
                {
                    commands.push(Command::StepFrames(-1));
                }
                let play = if self.playback.playing {
                    "Pause"
                } else {
                    "Play"
                };
                if ui
                    .add(egui::Button::new(play).min_size(vec2(72.0, 0.0)))
                    .on_hover_text("Play or pause (Space)")
                    .clicked()
                {
                    commands.push(Command::TogglePlay);
                }
                if ui
                    .button("›")
                    .on_hover_text("Next frame (→; Shift+→ for ten)")
                    .clicked()
                {
                    commands.push(Command::StepFrames(1));
                }
                if ui.button("»").on_hover_text("Last frame (End)").clicked() {
                    commands.push(Command::SeekEnd);
                }
                ui.separator();
                for speed in [PlaybackSpeed::Normal, PlaybackSpeed::Quarter] {
                    if ui
                        .selectable_label(self.playback.speed == speed, speed.label())
                        .on_hover_text("Playback speed")
                        .clicked()
                    {
                        commands.push(Command::SetSpeed(speed));
                    }
                }
            });
            ui.separator();
            let label = if has_frames {
                let frame = self.playback.frame.min(times.len() - 1);
                format!(
                    "Frame {frame} of {} · {:.3} s",
                    times.len(),
                    times.get(frame).copied().unwrap_or(0.0)
                )
            } else {
                "No frames yet".to_owned()
            };
            ui.label(RichText::new(label).monospace());
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui
                    .button("Fit")
                    .on_hover_text("Show the whole frame (double-click the video)")
                    .clicked()
                {
                    commands.push(Command::FitVideo);
                }
                let overlay = &mut self.settings.overlay;
                ui.menu_button("Overlay", |ui| {
                    ui.checkbox(&mut overlay.bones, "Skeleton");
                    ui.checkbox(&mut overlay.joints, "Joints");
                    ui.checkbox(&mut overlay.centre_of_mass, "Centre of mass");
                    ui.checkbox(&mut overlay.phase_label, "Phase label");
                })
                .response
                .on_hover_text("Layers painted over the video");
            });
        });
    }

    fn welcome(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.25).max(20.0));
            ui.label(RichText::new("Hangtime").size(34.0).strong());
            ui.label(
                RichText::new("Vertical-jump analysis from phone video")
                    .size(16.0)
                    .weak(),
            );
            ui.add_space(18.0);
            ui.label("Drop a jump video anywhere in this window, or");
            ui.add_space(4.0);
            if ui
                .add(egui::Button::new(RichText::new("Open video…").size(16.0)))
                .clicked()
            {
                commands.push(Command::ShowOpenDialog);
            }
            if !self.settings.recent_files.is_empty() {
                ui.add_space(18.0);
                ui.label(RichText::new("Recent").weak());
                for path in self.settings.recent_files.iter().take(5) {
                    if ui
                        .link(file_name(path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        commands.push(Command::Open(path.clone()));
                    }
                }
            }
        });
    }

    fn drop_overlay(ctx: &egui::Context) {
        let hovered = ctx.input(|i| i.raw.hovered_files.clone());
        if hovered.is_empty() {
            return;
        }
        let layer = egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop-overlay"));
        let painter = ctx.layer_painter(layer);
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, Color32::from_black_alpha(190));
        let mut lines: Vec<(String, Color32)> = Vec::new();
        for file in &hovered {
            match &file.path {
                Some(path) if is_video_path(path) => {
                    lines.push((
                        format!("{} — drop to analyse", file_name(path)),
                        theme::SUCCESS,
                    ));
                }
                Some(path) => lines.push((
                    format!("{} — not a video file Hangtime can open", file_name(path)),
                    theme::ERROR,
                )),
                None => lines.push(("Drop to analyse".to_owned(), Color32::WHITE)),
            }
        }
        let mut y = rect.center().y - lines.len() as f32 * 14.0;
        for (text, colour) in lines {
            painter.text(
                egui::pos2(rect.center().x, y),
                egui::Align2::CENTER_CENTER,
                text,
                egui::FontId::proportional(20.0),
                colour,
            );
            y += 28.0;
        }
    }
}

impl eframe::App for HangtimeApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.poll_worker();
        self.poll_export();
        self.handle_dropped_files(ctx);
        self.handle_keyboard(ctx);
        self.advance_playback(ctx);
        if let Some(mut plan) = self.screenshot.take() {
            let ready = screenshot::Readiness {
                busy: self.entries.iter().any(VideoEntry::is_busy) || self.entries.is_empty(),
                frame_shown: self
                    .preview
                    .as_ref()
                    .is_some_and(|p| p.source.frame(self.playback.frame).is_some()),
            };
            if let Some(frame) = plan.step(ctx, ready, self.current_analysis()) {
                let times = self.frame_times();
                self.playback.seek(frame, &times);
            }
            self.screenshot = Some(plan);
        }
        if self.is_busy() || self.overlay_export.is_some() {
            // Progress arrives through repaint requests; this is a backstop for a stalled
            // worker so the status bar never looks frozen.
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.applied_theme != Some(self.settings.theme) {
            theme::apply(&ctx, self.settings.theme);
            self.applied_theme = Some(self.settings.theme);
        }
        let mut commands = std::mem::take(&mut self.commands);
        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar(ui, &mut commands));
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar(ui, &mut commands));
        egui::Panel::right("side-panel")
            .resizable(true)
            .default_size(560.0)
            .size_range(320.0..=900.0)
            .show(ui, |ui| self.side_panel(ui, &mut commands));
        egui::CentralPanel::default().show(ui, |ui| self.central(ui, &mut commands));
        Self::drop_overlay(&ctx);
        self.toasts.show(&ctx, 34.0);
        self.commands = commands;
        self.run_commands(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}

impl Drop for HangtimeApp {
    fn drop(&mut self) {
        // Stop every job so the worker thread ends promptly with the window.
        for entry in &self.entries {
            if let Some(job) = &entry.job {
                job.cancel();
            }
        }
    }
}

/// Keyboard shortcuts and the version.
fn help_menu(ui: &mut Ui) {
    ui.label(RichText::new("Keyboard").strong());
    for (keys, what) in [
        ("Ctrl+O", "open a video"),
        ("← / →", "one frame back / forward"),
        ("Shift+← / →", "ten frames"),
        ("Space", "play / pause"),
        ("Home / End", "first / last frame"),
        ("T / L", "takeoff / landing of the selected jump"),
    ] {
        ui.horizontal(|ui| {
            ui.label(RichText::new(keys).monospace());
            ui.label(what);
        });
    }
    ui.separator();
    ui.label(format!("Hangtime {}", env!("CARGO_PKG_VERSION")));
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

fn error_banner(ui: &mut Ui, message: &str) {
    egui::Frame::new()
        .fill(theme::ERROR.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, theme::ERROR))
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(message).color(ui.visuals().strong_text_color()));
        });
}

fn clip_notes(ui: &mut Ui, warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    ui.add_space(4.0);
    egui::CollapsingHeader::new(format!("Clip notes ({})", warnings.len()))
        .id_salt("clip-notes")
        .show(ui, |ui| {
            for w in warnings {
                ui.label(RichText::new(format!("• {w}")).weak());
            }
        });
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
    fn a_worker_that_dies_fails_its_videos_and_is_no_longer_polled() {
        let mut harness = egui_kittest::Harness::builder().build_eframe(|cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    settings: Some(Settings::default()),
                    ..AppConfig::default()
                },
            )
        });
        harness.state().worker.as_ref().unwrap().crash();
        let dir = tempfile::tempdir().unwrap();
        harness
            .state_mut()
            .push_command(Command::Open(dir.path().join("clip.mp4")));
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
            AnalysisStatus::Failed(message) => {
                assert!(
                    message.starts_with("The analysis worker stopped unexpectedly"),
                    "{message}"
                );
                assert!(
                    message.contains("a test asked the worker to fail"),
                    "{message}"
                );
                assert!(message.ends_with("Restart Hangtime to analyse videos again."));
            }
            other => panic!("the video is {other:?}"),
        }
        assert!(app.worker.is_none(), "a dead worker is not polled");
        assert!(app.toasts().iter().any(|t| {
            t.text
                .starts_with("The analysis worker stopped unexpectedly")
        }));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.2 s");
        assert_eq!(format_duration(Duration::from_secs(45)), "45 s");
        assert_eq!(format_duration(Duration::from_secs(185)), "3 min 5 s");
    }
}
