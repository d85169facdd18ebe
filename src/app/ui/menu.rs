//! The menu bar. Every entry that is a command of the table is drawn from it.

use egui::{RichText, Ui};

use super::action_button;
use crate::analysis::JumpKind;
use crate::app::HangtimeApp;
use crate::app::actions::Action;
use crate::app::commands::{Command, CommandQueue, View};
use crate::app::settings::ThemeChoice;
use crate::pose::ModelVariant;
use crate::report::{CsvDialect, CsvHeaders};
use crate::util::file_name;

impl HangtimeApp {
    pub(in crate::app) fn menu_bar(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu(ui, commands));
            ui.menu_button("Edit", |ui| self.edit_menu(ui, commands));
            ui.menu_button("View", |ui| self.view_menu(ui, commands));
            ui.menu_button("Analysis", |ui| self.analysis_menu(ui, commands));
            ui.menu_button("Help", |ui| {
                action_button(ui, self, Action::ShowHelp, commands);
                ui.separator();
                ui.label(format!("Hangtime {}", env!("CARGO_PKG_VERSION")));
            });
            ui.separator();
            // The two views, always one click away.
            for (action, view) in [
                (Action::ShowAnalysis, View::Analysis),
                (Action::ShowCompare, View::Compare),
                (Action::ShowLibrary, View::Library),
            ] {
                let tab = ui.add_enabled(
                    action.enabled(&self.action_context()),
                    egui::Button::selectable(self.view == view, action.spec().label),
                );
                if tab
                    .on_hover_text(action.tooltip(ui.ctx().os().is_mac()))
                    .clicked()
                {
                    commands.push(action.command());
                }
            }
        });
    }

    fn file_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        action_button(ui, self, Action::OpenVideo, commands);
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
        for action in [
            Action::ExportCsv,
            Action::ExportJson,
            Action::ExportOverlay,
            Action::CopyTable,
        ] {
            action_button(ui, self, action, commands);
        }
        ui.separator();
        action_button(ui, self, Action::CompareJumps, commands);
        action_button(ui, self, Action::AssignJumps, commands);
        ui.separator();
        action_button(ui, self, Action::Quit, commands);
    }

    fn edit_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        for action in [Action::Undo, Action::Redo] {
            action_button(ui, self, action, commands);
        }
        ui.separator();
        for action in [
            Action::SelectTakeoff,
            Action::SelectLanding,
            Action::NudgeEarlier,
            Action::NudgeLater,
            Action::NudgeEarlierMs,
            Action::NudgeLaterMs,
        ] {
            action_button(ui, self, action, commands);
        }
    }

    fn view_menu(&self, ui: &mut Ui, commands: &mut CommandQueue) {
        for action in [
            Action::ShowAnalysis,
            Action::ShowCompare,
            Action::ShowLibrary,
        ] {
            action_button(ui, self, action, commands);
        }
        ui.separator();
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
        action_button(ui, self, Action::FitVideo, commands);
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
}
