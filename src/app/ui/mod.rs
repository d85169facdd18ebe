//! The panels of the window, each in its own file: the menu bar, the status bar, the side
//! panel (videos, metrics, timing), the central view (toolbar, video, timeline, plots) and
//! the welcome screen, plus the keyboard help window and the drop overlay.

mod central;
mod compare;
mod help;
mod menu;
mod side_panel;
mod status_bar;
mod welcome;

use egui::{Color32, RichText, Ui};

use super::actions::Action;
use super::commands::{CommandQueue, View};
use super::{HangtimeApp, is_video_path, theme};
use crate::util::file_name;

/// Room kept free above a toast's anchor: the toolbar and scrubber rows of the central view.
const TOAST_TOP_OFFSET: f32 = 72.0;

impl HangtimeApp {
    /// Draws every panel; returns where toasts go (the top-right corner of the video, clear
    /// of the side panel's table and timing bars).
    pub(super) fn draw(&mut self, ui: &mut Ui, commands: &mut CommandQueue) -> egui::Pos2 {
        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar(ui, commands));
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar(ui, commands));
        let central = if self.view == View::Library {
            egui::CentralPanel::default()
                .show(ui, |ui| self.library_view(ui, commands))
                .response
                .rect
        } else if self.view == View::Compare {
            egui::CentralPanel::default()
                .show(ui, |ui| self.compare_view(ui, commands))
                .response
                .rect
        } else {
            egui::Panel::right("side-panel")
                .resizable(true)
                .default_size(560.0)
                .size_range(320.0..=900.0)
                .show(ui, |ui| self.side_panel(ui, commands));
            egui::CentralPanel::default()
                .show(ui, |ui| self.central(ui, commands))
                .response
                .rect
        };
        self.help_window(ui.ctx(), commands);
        self.assign_window(ui.ctx(), commands);
        egui::pos2(central.right() - 12.0, central.top() + TOAST_TOP_OFFSET)
    }
}

/// A button for an action of the command table: its label, shortcut, tooltip and enabled
/// rule all come from the table.
pub(super) fn action_button(
    ui: &mut Ui,
    app: &HangtimeApp,
    action: Action,
    commands: &mut CommandQueue,
) -> egui::Response {
    let is_mac = ui.ctx().os().is_mac();
    let mut button = egui::Button::new(action.spec().label);
    if let Some(keys) = action.shortcut_text(is_mac) {
        button = button.shortcut_text(keys);
    }
    let response = ui
        .add_enabled(action.enabled(&app.action_context()), button)
        .on_hover_text(action.spec().help);
    if response.clicked() {
        commands.push(action.command());
    }
    response
}

/// A toolbar button for an action: its own look, the table's tooltip and enabled rule.
pub(super) fn tool_button(
    ui: &mut Ui,
    app: &HangtimeApp,
    action: Action,
    button: egui::Button<'_>,
    commands: &mut CommandQueue,
) -> egui::Response {
    let tooltip = action.tooltip(ui.ctx().os().is_mac());
    let response = ui
        .add_enabled(action.enabled(&app.action_context()), button)
        .on_hover_text(tooltip);
    if response.clicked() {
        commands.push(action.command());
    }
    response
}

/// Dims the window while files are dragged over it and says what a drop would do.
pub(super) fn drop_overlay(ctx: &egui::Context) {
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

pub(super) fn error_banner(ui: &mut Ui, message: &str) {
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
