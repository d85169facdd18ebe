//! The metrics table: one column per jump, one row per metric with its unit, plus quality,
//! edits and warnings in plain words. Also the same table as tab-separated text.

use egui::{Color32, RichText, Ui, WidgetInfo};
use egui_extras::{Column, TableBuilder};

use crate::analysis::Jump;
use crate::analysis::catalogue::METRICS;

use super::commands::{Command, CommandQueue};
use super::theme;

/// One row of the table, already formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Row label.
    pub label: String,
    /// Unit ("" when none).
    pub unit: String,
    /// One cell per jump ("–" when the jump has no value).
    pub cells: Vec<String>,
    /// Whether the row is a metric (numbers right-aligned) or a fact (kind, edited…).
    pub numeric: bool,
}

const MISSING: &str = "–";

/// The table's rows for these jumps.
pub fn rows(jumps: &[Jump]) -> Vec<TableRow> {
    let mut out = vec![
        TableRow {
            label: "Kind".into(),
            unit: String::new(),
            cells: jumps.iter().map(|j| j.kind.name().to_uppercase()).collect(),
            numeric: false,
        },
        // Right under the kind, so a corrected jump is obvious without scrolling.
        TableRow {
            label: "Edited".into(),
            unit: String::new(),
            cells: jumps
                .iter()
                .map(|j| {
                    if j.edited() {
                        "edited".to_owned()
                    } else {
                        "no".to_owned()
                    }
                })
                .collect(),
            numeric: false,
        },
        TableRow {
            label: "Takeoff frame".into(),
            unit: String::new(),
            cells: jumps.iter().map(|j| j.takeoff_frame.to_string()).collect(),
            numeric: true,
        },
        TableRow {
            label: "Landing frame".into(),
            unit: String::new(),
            cells: jumps.iter().map(|j| j.landing_frame.to_string()).collect(),
            numeric: true,
        },
    ];
    // Metrics in catalogue order, with their 95 % interval where they have one.
    for m in METRICS
        .iter()
        .filter(|m| jumps.iter().any(|j| j.metric(m.id).is_some()))
    {
        out.push(TableRow {
            label: m.label.to_owned(),
            unit: m.display.symbol.to_owned(),
            cells: jumps
                .iter()
                .map(|j| {
                    j.metric(m.id).map_or_else(
                        || MISSING.to_owned(),
                        |v| m.format_number_with_interval(v, j.interval(m.id)),
                    )
                })
                .collect(),
            numeric: true,
        });
    }
    out.push(TableRow {
        label: "Quality".into(),
        unit: "0–1".into(),
        cells: jumps
            .iter()
            .map(|j| format!("{:.2}", j.quality.score))
            .collect(),
        numeric: true,
    });
    out.push(TableRow {
        label: "Warnings".into(),
        unit: String::new(),
        cells: jumps
            .iter()
            .map(|j| j.quality.warnings.len().to_string())
            .collect(),
        numeric: true,
    });
    out
}

/// The table as tab-separated text with a header row, for spreadsheets.
pub fn to_tsv(jumps: &[Jump]) -> String {
    let mut text = String::from("Metric\tUnit");
    for j in jumps {
        text.push_str("\tJump ");
        text.push_str(&j.index.to_string());
    }
    text.push('\n');
    for row in rows(jumps) {
        text.push_str(&row.label);
        text.push('\t');
        text.push_str(&row.unit);
        for cell in &row.cells {
            text.push('\t');
            text.push_str(cell);
        }
        text.push('\n');
    }
    text
}

/// Draws the table and the warnings under it.
pub fn show(ui: &mut Ui, jumps: &[Jump], selected: usize, commands: &mut CommandQueue) {
    let rows = rows(jumps);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // A jump's column is as wide as its widest value ("49.1 ± 2.3" needs more than "0.55").
    let mono = egui::TextStyle::Monospace.resolve(ui.style());
    let painter = ui.painter().clone();
    let widest = rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|cell| {
            painter
                .layout_no_wrap(cell.clone(), mono.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
        .fold(0.0f32, f32::max);
    let jump_width = (widest + 8.0).max(56.0);
    let height = row_height * (rows.len() as f32 + 1.0) + 8.0;
    // Two tables side by side with the same rows: the metric names stay put while the
    // jumps scroll sideways when there are more of them than fit.
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        // Tables lay their rows out top-down: each one gets a vertical child.
        let names = egui::vec2(LABEL_WIDTH + UNIT_WIDTH + 12.0, height);
        ui.allocate_ui_with_layout(names, egui::Layout::top_down(egui::Align::Min), |ui| {
            TableBuilder::new(ui)
                .id_salt("metrics-table-names")
                .striped(true)
                .vscroll(false)
                .min_scrolled_height(height)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(LABEL_WIDTH).clip(true))
                .column(Column::exact(UNIT_WIDTH))
                .header(row_height + 2.0, |mut header| {
                    header.col(|ui| {
                        ui.strong("Metric");
                    });
                    header.col(|ui| {
                        ui.strong("Unit");
                    });
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut table_row| {
                        let Some(row) = rows.get(table_row.index()) else {
                            return;
                        };
                        table_row.col(|ui| {
                            ui.label(&row.label);
                        });
                        table_row.col(|ui| {
                            ui.label(RichText::new(&row.unit).weak());
                        });
                    });
                });
        });
        egui::ScrollArea::horizontal()
            .id_salt("metrics-table-scroll")
            .show(ui, |ui| {
                ui.vertical(|ui| {
                    TableBuilder::new(ui)
                        .id_salt(("metrics-table", jump_width.round() as u32))
                        .striped(true)
                        .vscroll(false)
                        .min_scrolled_height(height)
                        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                        .columns(Column::exact(jump_width), jumps.len())
                        .header(row_height + 2.0, |mut header| {
                            for (j, jump) in jumps.iter().enumerate() {
                                header.col(|ui| jump_header(ui, j, jump, selected, commands));
                            }
                        })
                        .body(|body| {
                            body.rows(row_height, rows.len(), |mut table_row| {
                                let Some(row) = rows.get(table_row.index()) else {
                                    return;
                                };
                                for (j, cell) in row.cells.iter().enumerate() {
                                    table_row.col(|ui| {
                                        cell_ui(
                                            ui,
                                            row,
                                            j,
                                            cell,
                                            jumps.get(j).is_some_and(Jump::edited),
                                        );
                                    });
                                }
                            });
                        });
                });
            });
    });
    warnings_ui(ui, jumps);
}

/// Width of the frozen metric-name column.
const LABEL_WIDTH: f32 = 172.0;
/// Width of the unit column.
const UNIT_WIDTH: f32 = 34.0;

/// A jump's column header: click to select the jump.
fn jump_header(ui: &mut Ui, j: usize, jump: &Jump, selected: usize, commands: &mut CommandQueue) {
    let mut text = RichText::new(format!("Jump {}", jump.index)).strong();
    if jump.edited() {
        text = text.color(theme::EDITED);
    }
    let response = ui
        .selectable_label(j == selected, text)
        .on_hover_text(if jump.edited() {
            "Takeoff or landing was corrected by hand. Click to select this jump."
        } else {
            "Click to select this jump."
        });
    if response.clicked() {
        commands.push(Command::SelectJump(j));
    }
}

fn cell_ui(ui: &mut Ui, row: &TableRow, jump: usize, cell: &str, edited: bool) {
    let mut text = RichText::new(cell);
    if row.numeric {
        text = text.monospace();
    }
    if row.label == "Edited" && edited {
        text = text.color(theme::EDITED).strong();
    }
    let layout = if row.numeric {
        egui::Layout::right_to_left(egui::Align::Center)
    } else {
        egui::Layout::left_to_right(egui::Align::Center)
    };
    ui.with_layout(layout, |ui| {
        let response = ui.label(text);
        // Screen readers (and UI tests) read "Jump height, jump 1" = "34.2 cm".
        let name = format!("{}, jump {}", row.label, jump + 1);
        let value = if row.unit.is_empty() || cell == MISSING {
            cell.to_owned()
        } else {
            format!("{cell} {}", row.unit)
        };
        response.widget_info(|| WidgetInfo {
            current_text_value: Some(value.clone()),
            ..WidgetInfo::labeled(egui::Role::Cell, true, &name)
        });
    });
}

fn warnings_ui(ui: &mut Ui, jumps: &[Jump]) {
    let count: usize = jumps.iter().map(|j| j.quality.warnings.len()).sum();
    if count == 0 {
        return;
    }
    ui.add_space(4.0);
    egui::CollapsingHeader::new(format!("Warnings ({count})"))
        .id_salt("jump-warnings")
        .default_open(false)
        .show(ui, |ui| {
            for j in jumps {
                for w in &j.quality.warnings {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(format!("Jump {}:", j.index))
                                .strong()
                                .color(Color32::from_rgb(230, 170, 60)),
                        );
                        ui.label(w);
                    });
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Interval, JumpKind, Metric, MetricId, Quality};

    fn jump(index: usize, height: Option<f64>, edited: bool) -> Jump {
        Jump {
            index,
            kind: JumpKind::Cmj,
            takeoff_frame: 10 * index,
            landing_frame: 10 * index + 8,
            events: Vec::new(),
            metrics: height
                .map(|h| Metric {
                    id: MetricId::JumpHeight,
                    value: h,
                    interval: (index > 1).then_some(Interval {
                        low: h - 0.012,
                        high: h + 0.01,
                    }),
                })
                .into_iter()
                .collect(),
            quality: Quality {
                score: 0.8,
                warnings: vec!["Filmed at 30 fps".into()],
            },
            detected_edges: edited.then_some((1.0, 1.5)),
        }
    }

    #[test]
    fn rows_format_units_and_missing_values() {
        let r = rows(&[
            jump(1, Some(0.3456), false),
            jump(2, None, true),
            jump(3, Some(0.40), false),
        ]);
        let height = r.iter().find(|r| r.label == "Jump height").unwrap();
        assert_eq!(height.unit, "cm");
        assert_eq!(height.cells, ["34.6", MISSING, "40.0 ± 1.2"]);
        let edited = r.iter().find(|r| r.label == "Edited").unwrap();
        assert_eq!(edited.cells, ["no", "edited", "no"]);
        assert!(
            r.iter().all(|r| r.label != "Flight time"),
            "absent metrics get no row"
        );
    }

    #[test]
    fn tsv_has_a_header_and_one_line_per_row() {
        let jumps = [jump(1, Some(0.3), false)];
        let tsv = to_tsv(&jumps);
        let lines: Vec<&str> = tsv.lines().collect();
        assert_eq!(lines[0], "Metric\tUnit\tJump 1");
        assert!(lines.contains(&"Jump height\tcm\t30.0"));
        assert_eq!(lines.len(), rows(&jumps).len() + 1);
    }
}
