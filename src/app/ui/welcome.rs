//! The welcome screen shown before any video is open.

use egui::{RichText, Ui};

use crate::app::HangtimeApp;
use crate::app::commands::{Command, CommandQueue};
use crate::util::file_name;

impl HangtimeApp {
    pub(in crate::app) fn welcome(&self, ui: &mut Ui, commands: &mut CommandQueue) {
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
}
