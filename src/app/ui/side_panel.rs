//! The side panel: opened videos, the metrics table with the clip's notes, and the timing
//! flame bars, which stay in view at the bottom.

use egui::{Align, Layout, RichText, Ui};

use super::tool_button;
use crate::analysis::people::position_word;
use crate::app::actions::Action;
use crate::app::commands::{Command, CommandQueue};
use crate::app::state::AnalysisStatus;
use crate::app::{HangtimeApp, flame, table, theme};
use crate::pipeline::VideoAnalysis;

impl HangtimeApp {
    pub(in crate::app) fn side_panel(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
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
                tool_button(
                    ui,
                    self,
                    Action::CopyTable,
                    egui::Button::new("Copy table"),
                    commands,
                );
                tool_button(
                    ui,
                    self,
                    Action::CompareJumps,
                    egui::Button::new("Compare"),
                    commands,
                );
                tool_button(
                    ui,
                    self,
                    Action::AssignJumps,
                    egui::Button::new("Assign to athlete…"),
                    commands,
                );
            });
        });
        let Some(entry) = self.current_entry() else {
            ui.label(RichText::new("Open a video to see its jumps here.").weak());
            return;
        };
        if let Some(result) = entry.result.as_deref() {
            people_in_view(ui, result, commands);
        }
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
            (_, None) if entry.provisional().is_some_and(|p| !p.jumps.is_empty()) => {
                if let Some(p) = entry.provisional() {
                    ui.label(
                        RichText::new(
                            "Provisional: found in the frames tracked so far; the values may still change, and saving and export wait for the end.",
                        )
                        .color(theme::EDITED),
                    );
                    table::show(ui, &p.jumps, self.playback.selected_jump, commands);
                }
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
}

/// With several people in view: who is analysed, and a button for each of the others (the
/// same as clicking them in the video).
fn people_in_view(ui: &mut Ui, result: &VideoAnalysis, commands: &mut CommandQueue) {
    let count = result.people.len();
    if count < 2 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{count} people in view. Analysing:"));
        for i in 0..count {
            let place = position_word(i, count);
            let chosen = i == result.person;
            if ui
                .selectable_label(chosen, format!("{} ({place})", i + 1))
                .on_hover_text(format!(
                    "Analyse person {} ({place}); clicking them in the video does the same",
                    i + 1
                ))
                .clicked()
                && !chosen
            {
                commands.push(Command::ChoosePerson(i));
            }
        }
    });
    ui.add_space(4.0);
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
