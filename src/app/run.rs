//! Carrying out commands, at the end of each frame: the one place where the app's state
//! changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::analysis_tasks;
use super::commands::{Command, EdgeStep, FlightEdge};
use super::export::{self, ExportKind};
use super::live::{self, SharedLive};
use super::state::{AnalysisStatus, Playback, VideoEntry};
use super::tasks::{Lane, capitalise};
use super::{CurrentPreview, HangtimeApp, RunningExport, VIDEO_EXTENSIONS, flame, table};
use crate::analysis::{self, AnalysisOptions, nearest_frame};
use crate::pipeline::{PipelineOptions, VideoAnalysis};
use crate::report::CsvFormat;
use crate::util::file_name;
use crate::video::PreviewSource;

/// A queued analysis: its task, its live state, and the preview it will feed (if it runs next).
struct Submitted {
    job: super::TaskHandle,
    live: SharedLive,
    fed_preview: Option<PreviewSource>,
}

/// Commands may queue more (the open dialog queues opens); bounded in case of a loop.
const MAX_COMMAND_ROUNDS: usize = 8;

impl HangtimeApp {
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        let mut opened_this_frame = false;
        for _ in 0..MAX_COMMAND_ROUNDS {
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
            Command::SelectJump(j) => {
                if self.playback.selected_jump != j {
                    self.playback.selected_edge = None;
                }
                self.playback.selected_jump = j;
            }
            Command::SelectEdge(edge) => self.select_edge(edge, &times),
            Command::BeginEdgeDrag => self.checkpoint_edit(),
            Command::MoveEdge { jump, edge, time_s } => {
                self.playback.selected_edge = Some(edge);
                self.move_edge(jump, edge, time_s);
            }
            Command::NudgeEdge(step) => self.nudge_edge(step),
            Command::Undo => self.undo(true),
            Command::Redo => self.undo(false),
            Command::ChoosePerson(person) => self.choose_person(person),
            Command::FitVideo => self.viewer.fit(),
            Command::ExportCsv(path) => self.export(ExportKind::MetricsCsv, path),
            Command::ExportJson(path) => self.export(ExportKind::Json, path),
            Command::ExportOverlay(path) => self.export(ExportKind::OverlayVideo, path),
            Command::CancelExport => {
                if let Some(job) = &self.overlay_export {
                    self.tasks.cancel(job.task);
                }
            }
            Command::CopyTable => self.copy_table(ctx),
            Command::SetModel(variant) => self.set_model(variant),
            Command::SetJumpKind(kind) => self.settings.jump_kind = kind,
            Command::SetCsvDialect(dialect) => self.settings.csv_dialect = dialect,
            Command::SetCsvHeaders(headers) => self.settings.csv_headers = headers,
            Command::SetTheme(theme) => self.settings.theme = theme,
            Command::ShowView(view) => {
                self.view = view;
                if view == super::View::Library {
                    self.library.refresh_soon();
                }
            }
            Command::ToggleHelp => self.show_help = !self.show_help,
            Command::ShowAssign => {
                let jumps = self
                    .current_analysis()
                    .map_or(0, |r| r.analysis.jumps.len());
                self.library.show_assign(jumps);
            }
            Command::Library(command) => self.run_library_command(command),
            Command::Compare(command) => self.run_compare_command(command),
            Command::PickForCompare => {
                if let Some(entry) = self.current {
                    let jump = self.playback.selected_jump;
                    let picked = super::JumpRef { entry, jump };
                    self.run_compare_command(super::CompareCommand::Pick(picked));
                }
            }
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn copy_table(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.current_analysis() {
            let jumps = result.analysis.jumps.len();
            ctx.copy_text(table::to_tsv(&result.analysis.jumps));
            self.toasts.success(format!(
                "Copied the metrics of {jumps} jump{} to the clipboard.",
                if jumps == 1 { "" } else { "s" }
            ));
        }
    }

    fn set_model(&mut self, variant: crate::pose::ModelVariant) {
        if self.settings.model != variant {
            self.settings.model = variant;
            self.load_tracker(variant);
            self.toasts.info(format!(
                "The {variant} pose model will be used for the next videos you open."
            ));
        }
    }

    fn pipeline_options(&self) -> PipelineOptions {
        PipelineOptions {
            analysis: AnalysisOptions {
                kind: self.settings.jump_kind,
                ..AnalysisOptions::default()
            },
            cache: self.cache.clone(),
            ..PipelineOptions::default()
        }
    }

    /// Queues the analysis of `path`. When it runs next, its decoded frames also feed a
    /// preview (one decode for both), handed back for the video's entry with the task.
    fn submit(&mut self, path: &Path) -> Option<Submitted> {
        let live = SharedLive::default();
        let analysis_ahead = self.entries.iter().any(|e| e.is_busy() && e.path != path);
        let mut fed_preview = None;
        let mut frames = None;
        if !analysis_ahead {
            let (ctx, interval) = (self.ctx.clone(), self.pace.background_repaint);
            let (source, feed) = PreviewSource::fed(self.preview_options, move || {
                ctx.request_repaint_after(interval);
            });
            let (tx, rx) = live::feed_channel();
            let name = format!("Preview of {}", file_name(path));
            if self
                .tasks
                .spawn(Lane::Feed, name, live::feed_preview(feed, rx, live.clone()))
                .is_ok()
            {
                fed_preview = Some(source);
                frames = Some(tx);
            }
        }
        let work = analysis_tasks::analyse(
            Arc::clone(&self.tracker),
            path.to_path_buf(),
            self.pipeline_options(),
            live.clone(),
            frames,
        );
        let name = format!("Analysing {}", file_name(path));
        match self.tasks.spawn(Lane::Analysis, name, work) {
            Ok(id) => self.tasks.get(id).cloned().map(|job| Submitted {
                job,
                live,
                fed_preview,
            }),
            Err(message) => {
                self.toasts.error(message);
                None
            }
        }
    }

    pub(super) fn open(&mut self, path: PathBuf, opened_this_frame: &mut bool) {
        self.settings.remember_file(&path);
        self.view = super::View::Analysis;
        if let Some(i) = self.entries.iter().position(|e| e.path == path) {
            // Opening it again re-analyses a failed or cancelled video, else just shows it.
            if matches!(
                self.entries[i].status,
                AnalysisStatus::Failed(_) | AnalysisStatus::Cancelled
            ) && let Some(submitted) = self.submit(&path)
            {
                let entry = &mut self.entries[i];
                entry.job = Some(submitted.job);
                entry.live = Some(submitted.live);
                entry.fed_preview = submitted.fed_preview;
                entry.status = AnalysisStatus::Queued;
                entry.queued_at = (std::time::Instant::now(), self.ctx.cumulative_frame_nr());
                if self.current == Some(i) {
                    // Shown already: the re-analysis feeds a fresh preview.
                    self.preview = None;
                }
            }
            self.select(i);
            *opened_this_frame = true;
            return;
        }
        let Some(submitted) = self.submit(&path) else {
            return;
        };
        let name = file_name(&path);
        let mut entry = VideoEntry::queued(path, submitted.job, self.ctx.cumulative_frame_nr());
        entry.live = Some(submitted.live);
        entry.fed_preview = submitted.fed_preview;
        self.entries.push(entry);
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

    pub(super) fn select(&mut self, index: usize) {
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
        // One preview at a time: a resident clip can take hundreds of megabytes. Dropping it
        // stops its decoding, so the preview lane moves on to the new one.
        self.preview = None;
        if let Some(source) = self
            .entries
            .get_mut(index)
            .and_then(|e| e.fed_preview.take())
        {
            // Its analysis decodes the frames for it.
            self.preview = Some(CurrentPreview {
                path,
                source,
                fed: true,
            });
            return;
        }
        let (ctx, interval) = (self.ctx.clone(), self.pace.background_repaint);
        let (source, decode) = PreviewSource::create(&path, self.preview_options, move || {
            ctx.request_repaint_after(interval);
        });
        let name = format!("Preview of {}", file_name(&path));
        match self
            .tasks
            .spawn(Lane::Preview, name, analysis_tasks::preview(decode))
        {
            Ok(_) => {
                self.preview = Some(CurrentPreview {
                    path,
                    source,
                    fed: false,
                });
            }
            Err(message) => self.toasts.error(format!(
                "The video preview could not start: {}",
                capitalise(&message)
            )),
        }
    }

    fn select_edge(&mut self, edge: FlightEdge, times: &[f64]) {
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
        self.playback.selected_edge = Some(edge);
        self.playback.playing = false;
        self.playback.seek(frame, times);
    }

    /// Remembers the options before a correction, so it can be undone.
    fn checkpoint_edit(&mut self) {
        let Some(entry) = self.current.and_then(|i| self.entries.get_mut(i)) else {
            return;
        };
        if let Some(result) = entry.result.as_deref() {
            entry.edits.record(result.analysis.options.clone());
        }
    }

    /// The keyboard moves the selected marker by whole frame intervals or milliseconds.
    fn nudge_edge(&mut self, step: EdgeStep) {
        let Some(edge) = self.playback.selected_edge else {
            return;
        };
        let jump = self.playback.selected_jump;
        let Some(result) = self.current_analysis() else {
            return;
        };
        let Some(flight) = result.analysis.flights.get(jump) else {
            return;
        };
        let now = match edge {
            FlightEdge::Takeoff => flight.takeoff_s,
            FlightEdge::Landing => flight.landing_s,
        };
        let delta = match step {
            EdgeStep::Frames(n) => f64::from(n) / result.analysis.facts.fps.max(1.0),
            EdgeStep::Millis(n) => f64::from(n) / 1000.0,
        };
        self.checkpoint_edit();
        self.move_edge(jump, edge, now + delta);
    }

    /// A person moved a jump's takeoff or landing: the clip is analysed again with that
    /// correction (clamped to a valid order), exactly as a fresh analysis forced to it.
    pub(super) fn move_edge(&mut self, jump: usize, edge: FlightEdge, time_s: f64) {
        let Some(result) = self.current_result_mut() else {
            return;
        };
        let Some(flight) = result.analysis.flights.get(jump) else {
            return;
        };
        let (takeoff, landing) = match edge {
            FlightEdge::Takeoff => (time_s, flight.landing_s),
            FlightEdge::Landing => (flight.takeoff_s, time_s),
        };
        let Some(options) = result.analysis.with_edges(jump, takeoff, landing) else {
            return;
        };
        self.apply_options(&options, jump, Some((edge, time_s)));
    }

    fn current_result_mut(&mut self) -> Option<&mut VideoAnalysis> {
        let index = self.current?;
        self.entries.get_mut(index)?.result.as_deref_mut()
    }

    /// Analyses the shown clip's poses again with `options`; shows `jump` at `edge`.
    fn apply_options(
        &mut self,
        options: &AnalysisOptions,
        jump: usize,
        edge: Option<(FlightEdge, f64)>,
    ) {
        let Some(result) = self.current_result_mut() else {
            return;
        };
        let VideoAnalysis {
            analysis, poses, ..
        } = result;
        *analysis = analysis.reanalyzed(poses, options);
        let frame = edge.map(|(edge, time_s)| {
            let moved = analysis
                .jumps
                .get(jump)
                .and_then(|j| j.event(edge.event()))
                .unwrap_or(time_s);
            analysis::frame_at_or_after(&analysis.signals.t, moved)
        });
        let clip_times = analysis.signals.t.clone();
        if let Some(entry) = self.current.and_then(|i| self.entries.get_mut(i)) {
            entry.refresh_bands();
        }
        self.playback.playing = false;
        self.playback.selected_jump = jump;
        if let Some(frame) = frame {
            self.playback.seek(frame, &clip_times);
        }
    }

    /// Analyses another of the shown clip's people in view.
    fn choose_person(&mut self, person: usize) {
        let Some(entry) = self.current.and_then(|i| self.entries.get_mut(i)) else {
            return;
        };
        let Some(result) = entry.result.as_deref_mut() else {
            return;
        };
        if !result.choose_person(person) {
            return;
        }
        let count = result.people.len();
        let jumps = result.analysis.jumps.len();
        entry.edits = super::edits::EditHistory::default();
        entry.refresh_bands();
        self.playback.selected_jump = 0;
        self.playback.selected_edge = None;
        self.toasts.info(format!(
            "Now analysing person {} ({}): {jumps} jump{}.",
            person + 1,
            analysis::people::position_word(person, count),
            if jumps == 1 { "" } else { "s" }
        ));
    }

    /// Undoes (or redoes) the shown clip's last correction.
    fn undo(&mut self, backwards: bool) {
        let Some(entry) = self.current.and_then(|i| self.entries.get_mut(i)) else {
            return;
        };
        let Some(current) = entry.result.as_deref().map(|r| r.analysis.options.clone()) else {
            return;
        };
        let target = if backwards {
            entry.edits.undo(current)
        } else {
            entry.edits.redo(current)
        };
        if let Some(options) = target {
            let jump = self.playback.selected_jump;
            self.apply_options(&options, jump, None);
        }
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
        };
        if kind == ExportKind::OverlayVideo {
            if self.overlay_export.is_some() {
                self.toasts
                    .error("An overlay video is being exported already; wait for it or cancel it.");
                return;
            }
            let name = file_name(&path);
            let work = analysis_tasks::export_overlay(result.clone(), path);
            match self
                .tasks
                .spawn(Lane::Export, format!("Exporting {name}"), work)
            {
                Ok(task) => self.overlay_export = Some(RunningExport { task, name }),
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
}
