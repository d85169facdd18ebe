//! The status bar: every background task with its progress and a cancel button, and the pose
//! model's state.

use egui::{Align, Layout, RichText, Ui};

use crate::app::commands::{Command, CommandQueue};
use crate::app::tasks::{Lane, TaskHandle};
use crate::app::{HangtimeApp, TrackerState, format_duration, theme};
use crate::video::PreviewStatus;

impl HangtimeApp {
    pub(in crate::app) fn status_bar(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.horizontal(|ui| {
            ui.set_min_height(24.0);
            let tasks = self.tasks.tasks();
            let analyses: Vec<&TaskHandle> = tasks
                .iter()
                .filter(|t| t.lane == Lane::Analysis && Some(t.id) != self.tracker_task)
                .collect();
            let running = analyses.iter().find(|t| t.is_running());
            let queued = analyses.iter().filter(|t| !t.is_running()).count();
            if let Some(job) = running {
                self.task_progress(ui, job, commands);
            } else if queued == 0 {
                ui.label(RichText::new("Ready").weak());
            }
            if queued > 0 {
                ui.label(RichText::new(format!("{queued} queued")).weak());
            }
            for job in tasks.iter().filter(|t| t.lane == Lane::Export) {
                ui.separator();
                self.task_progress(ui, job, commands);
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                match &self.tracker_state {
                    TrackerState::Loading(v) => {
                        ui.label(RichText::new(format!("Loading the {v} pose model…")).weak());
                        ui.add(egui::Spinner::new());
                    }
                    TrackerState::Ready { variant, load_time } => {
                        ui.label(
                            RichText::new(format!(
                                "Pose model: {variant} (loaded in {})",
                                format_duration(*load_time)
                            ))
                            .weak(),
                        );
                    }
                    TrackerState::Failed(_) => {
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

    /// One task's name, progress bar and cancel button.
    fn task_progress(&self, ui: &mut Ui, job: &TaskHandle, commands: &mut CommandQueue) {
        ui.label(&job.name);
        let (done, total) = job.progress();
        let text = if total == 0 {
            "starting…".to_owned()
        } else {
            let eta = job.eta().map_or_else(String::new, |d| {
                format!(" · about {} left", format_duration(d))
            });
            format!("{done} / {total} frames{eta}")
        };
        let width = if job.lane == Lane::Export {
            200.0
        } else {
            320.0
        };
        ui.add(
            egui::ProgressBar::new(job.fraction())
                .desired_width(width)
                .text(text),
        );
        let (label, hover, command) = if job.lane == Lane::Export {
            (
                "Cancel export",
                "Stop writing the overlay video",
                Command::CancelExport,
            )
        } else {
            let index = self
                .entries
                .iter()
                .position(|e| e.job.as_ref().is_some_and(|j| j.id == job.id))
                .unwrap_or(usize::MAX);
            (
                "Cancel",
                "Stop this analysis",
                Command::CancelAnalysis(index),
            )
        };
        if ui
            .add_enabled(!job.is_cancelled(), egui::Button::new(label))
            .on_hover_text(hover)
            .clicked()
        {
            commands.push(command);
        }
    }
}
