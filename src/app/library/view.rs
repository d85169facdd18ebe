//! The Library view: the athlete list on the left (searchable, virtualised), the athlete page
//! on the right: session summaries with the verdict on each change, a trend plot with the
//! athlete's own noise band, and the history of every trial.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{HoverPosition, Line, Plot, PlotPoints, Points, Polygon};

use super::{LibraryCommand, SavedJump};
use crate::analysis::MetricId;
use crate::analysis::catalogue::METRICS;
use crate::app::commands::{Command, CommandQueue};
use crate::app::{HangtimeApp, theme};
use crate::reliability::Assessment;
use crate::store::{AthletePage, HistoryRow};

/// How a change is judged, in the words of the athlete page and the help window.
pub const CHANGE_RULES: &str = "Typical error (TE): the pooled within-session SD of the athlete's \
    included trials (CV % from their logarithms). Smallest worthwhile change (SWC): 0.2 × the SD \
    between the means of the athletes sharing a team tag (at least five), else the value set on \
    the athlete page, else none. A session's mean is a real change against the previous session \
    when |Δ mean| > max(1.96 × TE × √(1/n₁ + 1/n₂), SWC). A single trial would have to move \
    1.96 × √2 × TE.";

/// Height of one row of the athlete list and the tables.
const ROW_HEIGHT: f32 = 22.0;
/// Days are counted from here on the trend plot's x axis.
const EPOCH: jiff::civil::Date = jiff::civil::date(2000, 1, 1);

fn days(date: jiff::civil::Date) -> f64 {
    date.duration_since(EPOCH).as_secs_f64() / 86_400.0
}

fn date_of(days: f64) -> Option<jiff::civil::Date> {
    EPOCH
        .checked_add(jiff::Span::new().days(days.round() as i64))
        .ok()
}

fn library_command(commands: &mut CommandQueue, command: LibraryCommand) {
    commands.push(Command::Library(command));
}

impl HangtimeApp {
    pub(in crate::app) fn library_view(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        if let Some(reason) = self.library.unavailable_reason() {
            ui.add_space(20.0);
            ui.colored_label(theme::ERROR, reason);
            return;
        }
        egui::Panel::left("athlete-list")
            .resizable(true)
            .default_size(260.0)
            .size_range(180.0..=420.0)
            .show(ui, |ui| self.athlete_list(ui, commands));
        egui::CentralPanel::no_frame().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("athlete-page")
                .show(ui, |ui| {
                    if let Some(page) = self.library.page.as_ref() {
                        athlete_page(ui, page, &mut self.library.swc_text, commands);
                    } else {
                        ui.add_space(20.0);
                        ui.label(
                            RichText::new(if self.library.athletes().is_empty() {
                                "No athletes yet. Open a clip, then File › Assign to athlete… saves its jumps."
                            } else {
                                "Choose an athlete on the left."
                            })
                            .weak(),
                        );
                    }
                });
        });
        self.library_dialogs(ui.ctx(), commands);
    }

    fn athlete_list(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        ui.add_space(4.0);
        ui.heading("Athletes");
        ui.horizontal(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut self.library.search)
                    .hint_text("name")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        ui.add_space(4.0);
        let selected = self.library.page().map(|p| p.athlete.id);
        let rows = self.library.filtered();
        let count = rows.len();
        // Only the rows in view are laid out: a thousand athletes cost what twenty do.
        egui::ScrollArea::vertical()
            .id_salt("athlete-rows")
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, count, |ui, range| {
                for athlete in rows.iter().skip(range.start).take(range.len()) {
                    let last = athlete
                        .last_session
                        .map_or_else(String::new, |d| format!(" · {d}"));
                    let text = format!("{}  ({} trials{last})", athlete.name, athlete.trials);
                    if ui
                        .selectable_label(selected == Some(athlete.id), text)
                        .clicked()
                    {
                        library_command(commands, LibraryCommand::SelectAthlete(athlete.id));
                    }
                }
            });
    }

    fn library_dialogs(&mut self, ctx: &egui::Context, commands: &mut CommandQueue) {
        if let Some((trial, reason)) = self.library.excluding.as_mut() {
            let trial = *trial;
            let mut open = true;
            egui::Window::new("Exclude trial")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
                .show(ctx, |ui| {
                    ui.label("The trial stays in the history but leaves the statistics.");
                    ui.horizontal(|ui| {
                        let label = ui.label("Reason");
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(reason)
                                    .hint_text("e.g. stumbled on landing"),
                            )
                            .labelled_by(label.id);
                        // The question just opened: the reason can be typed straight away.
                        if ui.memory(|m| m.focused().is_none()) {
                            field.request_focus();
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.button("Exclude").clicked() {
                            library_command(
                                commands,
                                LibraryCommand::SetExcluded {
                                    trial,
                                    reason: Some(reason.trim().to_owned()),
                                },
                            );
                        }
                        if ui.button("Cancel").clicked() {
                            library_command(commands, LibraryCommand::AskExclude(None));
                        }
                    });
                });
            if !open {
                library_command(commands, LibraryCommand::AskExclude(None));
            }
        }
        if let Some(id) = self.library.deleting {
            let name = self
                .library
                .athletes()
                .iter()
                .find(|a| a.id == id)
                .map(|a| (a.name.clone(), a.sessions, a.trials));
            let mut open = true;
            egui::Window::new("Delete athlete")
                .open(&mut open)
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
                .show(ctx, |ui| {
                    if let Some((name, sessions, trials)) = &name {
                        ui.label(format!(
                            "Delete {name} with {sessions} session{} and {trials} trial{}? This cannot be undone.",
                            if *sessions == 1 { "" } else { "s" },
                            if *trials == 1 { "" } else { "s" },
                        ));
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .button(RichText::new("Delete").color(theme::ERROR))
                            .clicked()
                        {
                            library_command(commands, LibraryCommand::DeleteAthlete(id));
                        }
                        if ui.button("Cancel").clicked() {
                            library_command(commands, LibraryCommand::AskDelete(None));
                        }
                    });
                });
            if !open {
                library_command(commands, LibraryCommand::AskDelete(None));
            }
        }
    }
}

/// The metrics the athlete has values of, in catalogue order.
fn metrics_present(page: &AthletePage) -> Vec<MetricId> {
    METRICS
        .iter()
        .map(|spec| spec.id)
        .filter(|id| page.trials.iter().any(|t| t.metric(*id).is_some()))
        .collect()
}

fn athlete_page(
    ui: &mut Ui,
    page: &AthletePage,
    swc_text: &mut String,
    commands: &mut CommandQueue,
) {
    let athlete = &page.athlete;
    let spec = page.metric.spec();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.heading(&athlete.details.name);
        if !athlete.details.tags.is_empty() {
            ui.label(RichText::new(athlete.details.tags.join(", ")).weak());
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Delete athlete…")
                .on_hover_text("Delete this athlete with every session and trial")
                .clicked()
            {
                library_command(commands, LibraryCommand::AskDelete(Some(athlete.id)));
            }
        });
    });
    ui.horizontal(|ui| {
        let label = ui.label("Metric");
        egui::ComboBox::from_id_salt("page-metric")
            .selected_text(spec.label)
            .show_ui(ui, |ui| {
                for id in metrics_present(page) {
                    if ui
                        .selectable_label(id == page.metric, id.spec().label)
                        .clicked()
                    {
                        library_command(commands, LibraryCommand::SetMetric(id));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(kind) = page.kind {
            ui.label(RichText::new(kind.name().to_uppercase()).weak());
        }
        ui.separator();
        let label = ui.label("Smallest worthwhile change");
        let field = ui
            .add(
                egui::TextEdit::singleline(swc_text)
                    .hint_text(spec.display.symbol)
                    .desired_width(60.0),
            )
            .labelled_by(label.id);
        if field.lost_focus() {
            let parsed = swc_text
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v / spec.display.scale);
            library_command(commands, LibraryCommand::SetUserSwc(parsed));
        }
        field.on_hover_text("Used when no team tag has five athletes with trials");
    });
    ui.add_space(6.0);
    ui.label(page.verdict_text("as set on this page"));
    egui::CollapsingHeader::new("How is a change judged?")
        .id_salt("change-help")
        .show(ui, |ui| {
            ui.label(CHANGE_RULES);
        });
    ui.add_space(6.0);
    ui.strong("Sessions");
    sessions_table(ui, page);
    ui.add_space(6.0);
    trend_plot(ui, page);
    ui.add_space(6.0);
    ui.strong("Trials");
    history_table(ui, page, commands);
}

fn sessions_table(ui: &mut Ui, page: &AthletePage) {
    let spec = page.metric.spec();
    let shown = |v: f64| spec.format_number(v);
    ui.push_id("sessions-table", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .vscroll(false)
            .column(Column::exact(90.0))
            .column(Column::exact(30.0))
            .columns(Column::exact(64.0), 4)
            .column(Column::remainder())
            .header(ROW_HEIGHT, |mut h| {
                for title in ["Date", "n", "Best", "Mean", "SD", "CV %", "Change"] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, page.sessions.len(), |mut row| {
                    let Some(s) = page.sessions.get(row.index()) else {
                        return;
                    };
                    row.col(|ui| {
                        ui.label(s.session.details.date.to_string());
                    });
                    let summary = s.summary;
                    let cells = [
                        summary.map(|x| x.n.to_string()),
                        summary.map(|x| shown(x.best)),
                        summary.map(|x| shown(x.mean)),
                        summary.and_then(|x| x.sd).map(shown),
                        summary
                            .and_then(|x| x.cv_percent)
                            .map(|v| format!("{v:.1}")),
                    ];
                    for cell in cells {
                        row.col(|ui| {
                            ui.label(
                                RichText::new(cell.unwrap_or_else(|| "–".to_owned())).monospace(),
                            );
                        });
                    }
                    row.col(|ui| {
                        let text = page.change_text(s);
                        let real = s.change.is_some_and(|c| c.real);
                        let colour = if real {
                            theme::SUCCESS
                        } else {
                            ui.visuals().weak_text_color()
                        };
                        ui.label(RichText::new(text).color(colour));
                    });
                });
            });
    });
}

fn trend_plot(ui: &mut Ui, page: &AthletePage) {
    let spec = page.metric.spec();
    let included: Vec<[f64; 2]> = page
        .trials
        .iter()
        .filter(|t| !t.excluded && Some(t.kind) == page.kind)
        .filter_map(|t| Some([days(t.date), spec.to_display(t.metric(page.metric)?)]))
        .collect();
    let excluded: Vec<[f64; 2]> = page
        .trials
        .iter()
        .filter(|t| t.excluded && Some(t.kind) == page.kind)
        .filter_map(|t| Some([days(t.date), spec.to_display(t.metric(page.metric)?)]))
        .collect();
    let means: Vec<[f64; 2]> = page
        .sessions
        .iter()
        .filter_map(|s| {
            Some([
                days(s.session.details.date),
                spec.to_display(s.summary?.mean),
            ])
        })
        .collect();
    let typical = match &page.assessment {
        Assessment::Assessed { typical_error, .. } => Some(spec.to_display(typical_error.value)),
        Assessment::NotEnoughTrials { .. } => None,
    };
    let strong = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    let title = if spec.display.symbol.is_empty() {
        spec.label.to_owned()
    } else {
        format!("{} [{}]", spec.label, spec.display.symbol)
    };
    Plot::new("trend-plot")
        .height(200.0)
        .y_axis_label(title)
        .x_axis_formatter(|mark, _| date_of(mark.value).map_or_else(String::new, |d| d.to_string()))
        .label_formatter(|pos| {
            let p = match pos {
                HoverPosition::NearDataPoint { position, .. }
                | HoverPosition::Elsewhere { position } => position,
            };
            let date = date_of(p.x).map_or_else(String::new, |d| d.to_string());
            Some(format!("{date}\n{:.2}", p.y))
        })
        .allow_scroll(false)
        .show(ui, |plot| {
            if let Some(te) = typical
                && means.len() > 1
            {
                // The athlete's own noise: session means ± one typical error.
                let mut band: Vec<[f64; 2]> = means.iter().map(|[x, y]| [*x, y + te]).collect();
                band.extend(means.iter().rev().map(|[x, y]| [*x, y - te]));
                plot.polygon(
                    Polygon::new("noise band (± typical error)", PlotPoints::from(band))
                        .fill_color(theme::TAKEOFF.gamma_multiply(0.15))
                        .stroke(egui::Stroke::NONE),
                );
            }
            plot.line(
                Line::new("session mean", PlotPoints::from(means.clone()))
                    .color(theme::TAKEOFF)
                    .width(2.0),
            );
            plot.points(
                Points::new("trials", PlotPoints::from(included))
                    .radius(3.0)
                    .color(strong),
            );
            if !excluded.is_empty() {
                plot.points(
                    Points::new("excluded", PlotPoints::from(excluded))
                        .radius(3.0)
                        .color(weak),
                );
            }
        });
}

fn history_table(ui: &mut Ui, page: &AthletePage, commands: &mut CommandQueue) {
    let spec = page.metric.spec();
    // The chosen metric first, with its interval; then every other metric the athlete has.
    let others: Vec<MetricId> = metrics_present(page)
        .into_iter()
        .filter(|id| *id != page.metric)
        .collect();
    let headers: Vec<String> = others
        .iter()
        .map(|id| {
            let s = id.spec();
            if s.display.symbol.is_empty() {
                s.label.to_owned()
            } else {
                format!("{} [{}]", s.label, s.display.symbol)
            }
        })
        .collect();
    egui::ScrollArea::horizontal()
        .id_salt("history-scroll")
        .show(ui, |ui| {
            ui.push_id("history-table", |ui| {
                TableBuilder::new(ui)
                    .striped(true)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .vscroll(false)
                    .column(Column::exact(90.0))
                    .column(Column::exact(44.0))
                    .column(Column::exact(120.0).clip(true))
                    .column(Column::exact(150.0))
                    .column(Column::exact(210.0))
                    .column(Column::initial(160.0).clip(true))
                    .columns(Column::auto().at_least(70.0), others.len())
                    .header(ROW_HEIGHT, |mut h| {
                        for title in ["Date", "Kind", "Video", spec.label, "", "Notes"] {
                            h.col(|ui| {
                                ui.strong(title);
                            });
                        }
                        for title in &headers {
                            h.col(|ui| {
                                ui.strong(title);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(ROW_HEIGHT, page.trials.len(), |mut row| {
                            let Some(t) = page.trials.get(row.index()) else {
                                return;
                            };
                            trial_row(&mut row, page, t, &others, commands);
                        });
                    });
            });
        });
}

fn trial_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    page: &AthletePage,
    t: &HistoryRow,
    others: &[MetricId],
    commands: &mut CommandQueue,
) {
    let spec = page.metric.spec();
    let weak = t.excluded;
    let text = |s: String, ui: &Ui| {
        if weak {
            RichText::new(s).color(ui.visuals().weak_text_color())
        } else {
            RichText::new(s)
        }
    };
    row.col(|ui| {
        ui.label(text(t.date.to_string(), ui));
    });
    row.col(|ui| {
        ui.label(text(t.kind.name().to_uppercase(), ui));
    });
    row.col(|ui| {
        ui.label(text(
            format!(
                "{} #{}",
                crate::util::file_name(&t.video_path),
                t.jump_index
            ),
            ui,
        ))
        .on_hover_text(t.video_path.display().to_string());
    });
    row.col(|ui| {
        let value = t.metric(page.metric).map_or_else(
            || "–".to_owned(),
            |v| spec.format_with_interval(v, t.interval(page.metric)),
        );
        let mut label = text(value, ui).monospace();
        if t.best_of_session {
            label = label.strong().color(theme::SUCCESS);
        }
        let response = ui.label(label);
        if t.best_of_session {
            response.on_hover_text("Best of its session");
        }
    });
    row.col(|ui| trial_actions(ui, t, commands));
    row.col(|ui| {
        ui.label(text(t.notes(), ui));
    });
    for id in others {
        row.col(|ui| {
            let value = t
                .metric(*id)
                .map_or_else(|| "–".to_owned(), |v| id.spec().format_number(v));
            ui.label(text(value, ui).monospace());
        });
    }
}

/// A trial's buttons: open its video, compare it, exclude or include it.
fn trial_actions(ui: &mut Ui, t: &HistoryRow, commands: &mut CommandQueue) {
    if ui
        .small_button("Open")
        .on_hover_text("Open the video at this jump")
        .clicked()
    {
        library_command(
            commands,
            LibraryCommand::OpenTrial {
                path: t.video_path.clone(),
                takeoff_s: t.takeoff_s,
            },
        );
    }
    if ui
        .small_button("Compare")
        .on_hover_text(
            "Compare this jump with another trial's, side by side (press Compare on both)",
        )
        .clicked()
    {
        library_command(
            commands,
            LibraryCommand::CompareTrial(SavedJump {
                path: t.video_path.clone(),
                takeoff_s: t.takeoff_s,
                label: format!(
                    "the {} trial {} #{}",
                    t.date,
                    crate::util::file_name(&t.video_path),
                    t.jump_index
                ),
                edited: t.edited,
            }),
        );
    }
    if t.excluded {
        if ui
            .small_button("Include")
            .on_hover_text("Take this trial back into the statistics")
            .clicked()
        {
            library_command(
                commands,
                LibraryCommand::SetExcluded {
                    trial: t.trial,
                    reason: None,
                },
            );
        }
    } else if ui
        .small_button("Exclude…")
        .on_hover_text("Leave this trial out of the statistics, with a reason")
        .clicked()
    {
        library_command(commands, LibraryCommand::AskExclude(Some(t.trial)));
    }
}
