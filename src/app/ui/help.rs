//! The keyboard help window, read from the command table.

use egui::RichText;

use crate::app::HangtimeApp;
use crate::app::actions::{Action, Group};
use crate::app::commands::{Command, CommandQueue};

impl HangtimeApp {
    pub(in crate::app) fn help_window(&self, ctx: &egui::Context, commands: &mut CommandQueue) {
        if !self.show_help {
            return;
        }
        let mut open = true;
        let is_mac = ctx.os().is_mac();
        egui::Window::new("Help")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                let room = (ctx.content_rect().height() - 120.0).max(200.0);
                egui::ScrollArea::vertical()
                    .max_height(room)
                    .show(ui, |ui| {
                        for group in [Group::File, Group::Playback, Group::Correction, Group::View]
                        {
                            ui.label(RichText::new(group.label()).strong());
                            egui::Grid::new(("keys", group.label()))
                                .num_columns(2)
                                .spacing([16.0, 2.0])
                                .show(ui, |ui| {
                                    for action in
                                        Action::ALL.iter().filter(|a| a.spec().group == group)
                                    {
                                        if let Some(keys) = action.shortcut_text(is_mac) {
                                            ui.label(RichText::new(keys).monospace());
                                            ui.label(action.spec().help);
                                            ui.end_row();
                                        }
                                    }
                                });
                            ui.add_space(6.0);
                        }
                        ui.separator();
                        ui.label(RichText::new("Is this change real?").strong());
                        ui.label(crate::app::library::CHANGE_RULES);
                        ui.separator();
                        ui.label(format!("Hangtime {}", env!("CARGO_PKG_VERSION")));
                    });
            });
        if !open {
            commands.push(Command::ToggleHelp);
        }
    }
}
