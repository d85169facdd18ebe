//! The assign dialog: whose jumps are these? Type to search, click a name (two clicks from
//! the open clip, or Ctrl+S and a click), or create a new athlete; a name that exists already
//! asks before a second athlete of that name is made.

use egui::RichText;

use super::{AssignTarget, LibraryCommand};
use crate::app::HangtimeApp;
use crate::app::commands::{Command, CommandQueue};
use crate::store::AthleteId;

/// Rows of matching athletes shown at once; the search narrows the rest.
const MAX_MATCHES: usize = 12;

/// The dialog's state: the text typed, which jumps go, the body mass, and a pending question.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignDialog {
    /// Search text, and the name of a new athlete.
    pub query: String,
    /// One flag per jump of the clip: assigned or not.
    pub jumps: Vec<bool>,
    /// Body mass that day, as typed (kg).
    pub body_mass: String,
    duplicate: Option<(String, Vec<AthleteId>)>,
    focused: bool,
}

impl AssignDialog {
    /// A dialog for a clip of `jumps` jumps, all of them selected.
    pub fn new(jumps: usize) -> Self {
        Self {
            query: String::new(),
            jumps: vec![true; jumps],
            body_mass: String::new(),
            duplicate: None,
            focused: false,
        }
    }

    /// A new athlete was asked for under a name that exists: ask before making a second one.
    pub fn ask_duplicate(&mut self, name: &str, existing: Vec<AthleteId>) {
        self.duplicate = Some((name.to_owned(), existing));
    }

    fn chosen(&self) -> Vec<usize> {
        self.jumps
            .iter()
            .enumerate()
            .filter_map(|(i, on)| on.then_some(i))
            .collect()
    }

    /// The body mass typed, when it is a plausible one.
    fn body_mass_kg(&self) -> Option<f64> {
        let text = self.body_mass.trim().replace(',', ".");
        text.parse::<f64>()
            .ok()
            .filter(|kg| kg.is_finite() && (5.0..=500.0).contains(kg))
    }
}

impl HangtimeApp {
    pub(in crate::app) fn assign_window(
        &mut self,
        ctx: &egui::Context,
        commands: &mut CommandQueue,
    ) {
        let Some(mut dialog) = self.library.assign.take() else {
            return;
        };
        let matches: Vec<(AthleteId, String, usize)> = {
            let needle = dialog.query.trim().to_lowercase();
            self.library
                .athletes
                .iter()
                .filter(|a| needle.is_empty() || a.name.to_lowercase().contains(&needle))
                .take(MAX_MATCHES)
                .map(|a| (a.id, a.name.clone(), a.trials))
                .collect()
        };
        let exact = self
            .library
            .athletes
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(dialog.query.trim()));
        let mut open = true;
        let assign = push_assign;
        egui::Window::new("Assign to athlete")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(360.0)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
            .show(ctx, |ui| {
                if duplicate_question(ui, &mut dialog, commands) {
                    return;
                }
                let label = ui.label("Athlete");
                let search = ui
                    .add(
                        egui::TextEdit::singleline(&mut dialog.query)
                            .hint_text("Search or type a new name")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if !dialog.focused {
                    search.request_focus();
                    dialog.focused = true;
                }
                let entered = search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(4.0);
                for (id, name, trials) in &matches {
                    let text = format!(
                        "{name}  ·  {trials} trial{}",
                        if *trials == 1 { "" } else { "s" }
                    );
                    if ui
                        .add(egui::Button::new(text).frame(false))
                        .on_hover_text(format!("Save the jumps for {name}"))
                        .clicked()
                    {
                        assign(AssignTarget::Existing(*id), &dialog, commands);
                    }
                }
                if matches.is_empty() && !dialog.query.trim().is_empty() {
                    ui.label(RichText::new("No athlete of that name yet.").weak());
                }
                let name = dialog.query.trim().to_owned();
                ui.add_space(4.0);
                let new_athlete = ui.add_enabled(
                    !name.is_empty(),
                    egui::Button::new(if name.is_empty() {
                        "New athlete…".to_owned()
                    } else {
                        format!("New athlete “{name}”")
                    }),
                );
                let enter_new = entered && !name.is_empty() && (!exact || matches.len() != 1);
                if new_athlete.clicked() || enter_new {
                    assign(
                        AssignTarget::New {
                            name: name.clone(),
                            confirmed: false,
                        },
                        &dialog,
                        commands,
                    );
                } else if entered && exact && matches.len() == 1 {
                    assign(AssignTarget::Existing(matches[0].0), &dialog, commands);
                }
                ui.separator();
                jumps_and_body_mass(ui, &mut dialog);
            });
        if open {
            self.library.assign = Some(dialog);
        } else {
            commands.push(Command::Library(LibraryCommand::CloseAssign));
        }
    }
}

fn push_assign(target: AssignTarget, dialog: &AssignDialog, commands: &mut CommandQueue) {
    commands.push(Command::Library(LibraryCommand::Assign {
        target,
        jumps: dialog.chosen(),
        body_mass_kg: dialog.body_mass_kg(),
    }));
}

/// Asks, when a new athlete was asked for under a name that exists, whether to add to that
/// athlete or make a second one; returns whether the question is shown.
fn duplicate_question(
    ui: &mut egui::Ui,
    dialog: &mut AssignDialog,
    commands: &mut CommandQueue,
) -> bool {
    let Some((name, existing)) = dialog.duplicate.clone() else {
        return false;
    };
    ui.label(format!(
        "An athlete named {name} already exists. Add these jumps to them, or create a second athlete of that name?"
    ));
    ui.horizontal(|ui| {
        if let Some(id) = existing.first()
            && ui.button(format!("Add to {name}")).clicked()
        {
            push_assign(AssignTarget::Existing(*id), dialog, commands);
        }
        if ui.button("Create a second athlete").clicked() {
            push_assign(
                AssignTarget::New {
                    name: name.clone(),
                    confirmed: true,
                },
                dialog,
                commands,
            );
        }
        if ui.button("Back").clicked() {
            dialog.duplicate = None;
        }
    });
    true
}

/// Which of the clip's jumps go, and the body mass that day.
fn jumps_and_body_mass(ui: &mut egui::Ui, dialog: &mut AssignDialog) {
    if dialog.jumps.len() > 1 {
        ui.label(RichText::new("Jumps to assign").weak());
        ui.horizontal_wrapped(|ui| {
            for (i, on) in dialog.jumps.iter_mut().enumerate() {
                ui.checkbox(on, format!("Jump {}", i + 1));
            }
        });
    }
    ui.horizontal(|ui| {
        let label = ui.label("Body mass that day");
        ui.add(
            egui::TextEdit::singleline(&mut dialog.body_mass)
                .hint_text("kg, optional")
                .desired_width(80.0),
        )
        .labelled_by(label.id)
        .on_hover_text("Gives peak power (Sayers) for CMJ and SJ");
    });
}
