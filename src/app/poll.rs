//! What comes in each frame before drawing: finished background tasks, dropped files, keys
//! and the play clock.

use std::path::PathBuf;
use std::time::Duration;

use super::analysis_tasks::{TaskOutput, TrackerState};
use super::commands::Command;
use super::live::SharedLive;
use super::state::{AnalysisStatus, VideoEntry};
use super::tasks::{Finished, JobFailure, TaskId};
use super::{HangtimeApp, actions, flame, is_video_path, screenshot};
use crate::pipeline::VideoAnalysis;
use crate::util::file_name;

/// Wall-clock step used for the play clock when the frame time is not known yet.
const FALLBACK_DT: f64 = 1.0 / 60.0;

impl HangtimeApp {
    /// Takes in every task that finished, and marks videos whose analysis has started.
    pub(super) fn poll_tasks(&mut self) {
        for finished in self.tasks.poll() {
            self.finish_task(finished);
        }
        for entry in &mut self.entries {
            if entry.status == AnalysisStatus::Queued
                && entry
                    .job
                    .as_ref()
                    .is_some_and(super::TaskHandle::is_running)
            {
                entry.status = AnalysisStatus::Running;
            }
        }
        self.apply_pending_open();
        self.apply_pending_compare();
        self.fall_back_to_decoded_preview();
        if self.is_busy() || self.overlay_export.is_some() {
            // Progress arrives through repaint requests; this is a backstop for a stalled
            // task so the status bar never looks frozen.
            self.ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    /// A fed preview gets no frames when the poses came from the cache, the clip is too long
    /// to hold, or the analysis failed: the video shown is then previewed by its own decode.
    fn fall_back_to_decoded_preview(&mut self) {
        let (Some(index), Some(preview)) = (self.current, &self.preview) else {
            return;
        };
        if !preview.fed || preview.source.layout().is_some() {
            return;
        }
        let Some(entry) = self.entries.get(index) else {
            return;
        };
        let refused = entry.live.as_ref().is_some_and(SharedLive::preview_refused);
        if refused || !entry.is_busy() {
            self.preview = None;
            self.select(index);
        }
    }

    fn finish_task(&mut self, finished: Finished<TaskOutput>) {
        let Finished { id, name, outcome } = finished;
        if self.overlay_export.as_ref().is_some_and(|e| e.task == id) {
            let export = self.overlay_export.take();
            self.export_finished(&export.map_or(name, |e| e.name), outcome);
            return;
        }
        if self
            .entries
            .iter()
            .any(|e| e.job.as_ref().is_some_and(|j| j.id == id))
        {
            let outcome = outcome.and_then(|output| match output {
                TaskOutput::Analysed(result) => Ok(result),
                other => Err(JobFailure::Failed(format!("Unexpected result {other:?}."))),
            });
            self.finish_analysis(id, outcome);
            return;
        }
        let loading_tracker = self.tracker_task == Some(id);
        if loading_tracker {
            self.tracker_task = None;
        }
        match outcome {
            Ok(TaskOutput::TrackerLoaded { variant, load_time }) => {
                self.tracker_state = TrackerState::Ready { variant, load_time };
            }
            Ok(TaskOutput::Previewed | TaskOutput::Exported(_) | TaskOutput::Analysed(_))
            | Err(JobFailure::Cancelled) => {}
            Err(failure) => {
                let message = failure.sentence(&name);
                if loading_tracker {
                    self.tracker_state = TrackerState::Failed(message.clone());
                }
                self.toasts.error(message);
            }
        }
    }

    fn export_finished(&mut self, name: &str, outcome: Result<TaskOutput, JobFailure>) {
        match outcome {
            Ok(TaskOutput::Exported(path)) => {
                self.settings.remember_folder(&path);
                self.toasts
                    .success(format!("Saved the overlay video to {}", path.display()));
            }
            Ok(_) => {}
            Err(JobFailure::Cancelled) => self
                .toasts
                .info("The overlay export was cancelled; nothing was written."),
            Err(failure) => self
                .toasts
                .error(failure.sentence(&format!("The export of {name}"))),
        }
    }

    fn finish_analysis(&mut self, id: TaskId, outcome: Result<Box<VideoAnalysis>, JobFailure>) {
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
                let (queued, frame) = self.entries[index].queued_at;
                tracing::info!(
                    "analysed {name} in {:.0} ms: {jumps} jumps; {} frames drawn in the {:.0} ms since it was queued",
                    result.timings.ms(crate::timing::stage::ANALYSIS),
                    self.ctx.cumulative_frame_nr().saturating_sub(frame),
                    queued.elapsed().as_secs_f64() * 1000.0
                );
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
            Err(failure) => self
                .toasts
                .error(failure.sentence(&format!("The analysis of {name}"))),
        }
        self.entries[index].finish(outcome);
        if self.current == Some(index) {
            let times = self.frame_times();
            self.playback.seek(self.playback.frame, &times);
            self.playback.selected_jump = 0;
            self.playback.selected_edge = None;
            self.flame = flame::FlameView::default();
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
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

    /// Keys become commands through the command table; a focused text field keeps its keys.
    pub(super) fn handle_keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let context = self.action_context();
        let commands = ctx.input_mut(|i| actions::pressed(i, context));
        for c in commands {
            self.commands.push(c);
        }
    }

    pub(super) fn advance_playback(&mut self, ctx: &egui::Context) {
        let dt = f64::from(ctx.input(|i| i.unstable_dt)).clamp(0.0, 0.25);
        let dt = if dt > 0.0 { dt } else { FALLBACK_DT };
        if self.view == super::View::Compare {
            self.advance_compare(dt);
            return;
        }
        if !self.playback.playing {
            return;
        }
        let times = self.frame_times();
        self.playback.advance(dt, &times);
        ctx.request_repaint();
    }

    pub(super) fn step_screenshot(&mut self, ctx: &egui::Context) {
        let Some(mut plan) = self.screenshot.take() else {
            return;
        };
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

    /// Queues an analysis of `path` that panics while it holds the tracker, as a bug would
    /// (tests of the failure path).
    #[cfg(test)]
    pub(super) fn submit_crashing_analysis(&mut self, path: PathBuf) {
        let tracker = std::sync::Arc::clone(&self.tracker);
        let id = self
            .tasks
            .spawn(super::Lane::Analysis, "Analysing (crash)", move |_ctx| {
                let _held = tracker.lock();
                panic!("a test asked the analysis to fail")
            })
            .unwrap();
        let handle = self.tasks.get(id).cloned().unwrap();
        self.entries.push(VideoEntry::queued(
            path,
            handle,
            self.ctx.cumulative_frame_nr(),
        ));
    }
}
