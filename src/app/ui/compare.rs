//! The compare view: two jumps' videos with their skeletons side by side on one clock, their
//! centre-of-mass heights on one plot, and their metrics in two columns with the difference.

use egui::{RichText, Ui, WidgetInfo};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use crate::analysis::Jump;
use crate::analysis::catalogue::METRICS;
use crate::app::commands::{Command, CommandQueue};
use crate::app::compare::{
    AlignAt, CompareCommand, JumpRef, Side, anchor_s, frame_at, offset_range, step_s,
};
use crate::app::state::VideoEntry;
use crate::app::{HangtimeApp, overlay, plots, theme, viewer};
use crate::pipeline::VideoAnalysis;

fn compare_command(commands: &mut CommandQueue, command: CompareCommand) {
    commands.push(Command::Compare(command));
}

impl HangtimeApp {
    /// A jump of an opened, analysed video.
    pub(in crate::app) fn jump_of(&self, r: JumpRef) -> Option<(&VideoAnalysis, &Jump)> {
        jump_in(&self.entries, r)
    }

    /// "clip.mp4 · jump 2".
    fn jump_name(&self, r: JumpRef) -> String {
        self.entries.get(r.entry).map_or_else(String::new, |e| {
            format!("{} · jump {}", e.name(), r.jump + 1)
        })
    }

    pub(in crate::app) fn compare_view(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        let Some(state) = self.compare.as_ref() else {
            ui.add_space(20.0);
            ui.label(
                RichText::new(
                    "Select a jump, press C (or Compare in the metrics panel), then select another jump, of this clip or another, and press C again.",
                )
                .weak(),
            );
            return;
        };
        let (a, b, align, offset) = (state.a.jump, state.b.jump, state.align, state.offset_s);
        let entries = &self.entries;
        let (Some((va, ja)), Some((vb, jb))) = (jump_in(entries, a), jump_in(entries, b)) else {
            ui.label("One of the compared videos is no longer analysed.");
            return;
        };
        let anchors = (
            anchor_s(ja, align).unwrap_or(0.0),
            anchor_s(jb, align).unwrap_or(0.0),
        );
        let (low, high) = offset_range([
            (&va.analysis.signals.t, anchors.0),
            (&vb.analysis.signals.t, anchors.1),
        ]);
        self.compare_controls(ui, (low, high), commands);
        let frames = (
            frame_at(&va.analysis.signals.t, anchors.0, offset),
            frame_at(&vb.analysis.signals.t, anchors.1, offset),
        );
        let plot_height = (ui.available_height() * 0.22).clamp(120.0, 200.0);
        let table_height = (ui.available_height() * 0.3).clamp(140.0, 260.0);
        let video_height = (ui.available_height() - plot_height - table_height - 24.0).max(140.0);
        let layers = self.settings.overlay;
        let compare = &mut self.compare;
        ui.columns(2, |columns| {
            let [left, right] = columns else {
                return;
            };
            for (ui, side, video, frame) in [
                (left, Side::A, va, frames.0),
                (right, Side::B, vb, frames.1),
            ] {
                let Some(state) = compare.as_mut() else {
                    return;
                };
                let side_state = state.side_mut(side);
                let picture = side_state
                    .preview
                    .as_ref()
                    .and_then(|p| p.frame(frame).or_else(|| p.nearest(frame)));
                let pose = video.poses.get(frame);
                let s = &video.analysis.signals;
                let com = s
                    .com_x
                    .get(frame)
                    .copied()
                    .zip(s.com.value.get(frame).copied());
                let input = viewer::ViewerInput {
                    picture,
                    video_size: Some((video.info.width, video.info.height)),
                    overlay: overlay::OverlayFrame {
                        landmarks: pose.map_or(&[], |p| p.landmarks.as_slice()),
                        centre_of_mass: com,
                        phase: None,
                        others: Vec::new(),
                    },
                    layers,
                    placeholder: "Decoding the preview…",
                };
                ui.allocate_ui(egui::vec2(ui.available_width(), video_height), |ui| {
                    // A click here picks nothing: people are chosen in the analysis view.
                    let _ = viewer::show(ui, &mut side_state.viewer, &input);
                });
            }
        });
        com_plot(
            ui,
            [(va, anchors.0), (vb, anchors.1)],
            offset,
            align,
            plot_height,
        );
        metrics_table(ui, ja, jb);
    }

    fn compare_controls(&self, ui: &mut Ui, (low, high): (f64, f64), commands: &mut CommandQueue) {
        let Some(state) = self.compare.as_ref() else {
            return;
        };
        let analysed: Vec<JumpRef> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(entry, e)| Some((entry, e.result.as_deref()?)))
            .flat_map(|(entry, r)| {
                (0..r.analysis.jumps.len()).map(move |jump| JumpRef { entry, jump })
            })
            .collect();
        ui.horizontal(|ui| {
            for (side, label, colour) in [
                (Side::A, "A", theme::CENTRE_OF_MASS),
                (Side::B, "B", theme::RIGHT),
            ] {
                let chosen = state.side(side).jump;
                let name = ui.label(RichText::new(label).strong().color(colour));
                egui::ComboBox::from_id_salt(("compare-side", label))
                    .selected_text(self.jump_name(chosen))
                    .width(240.0)
                    .show_ui(ui, |ui| {
                        for r in &analysed {
                            if ui
                                .selectable_label(*r == chosen, self.jump_name(*r))
                                .clicked()
                            {
                                compare_command(commands, CompareCommand::SetSide(side, *r));
                            }
                        }
                    })
                    .response
                    .labelled_by(name.id);
            }
            ui.separator();
            ui.label("Line up at");
            for align in [AlignAt::Takeoff, AlignAt::LowestPoint] {
                if ui
                    .selectable_label(state.align == align, align.label())
                    .clicked()
                {
                    compare_command(commands, CompareCommand::SetAlign(align));
                }
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button("‹")
                .on_hover_text("Both one frame back")
                .clicked()
            {
                compare_command(commands, CompareCommand::Step(-1));
            }
            let play = if state.playing { "Pause" } else { "Play" };
            if ui
                .add(egui::Button::new(play).min_size(egui::vec2(72.0, 0.0)))
                .on_hover_text("Play or pause both")
                .clicked()
            {
                compare_command(commands, CompareCommand::TogglePlay);
            }
            if ui
                .button("›")
                .on_hover_text("Both one frame forward")
                .clicked()
            {
                compare_command(commands, CompareCommand::Step(1));
            }
            let mut offset = state.offset_s;
            ui.spacing_mut().slider_width = (ui.available_width() - 220.0).max(120.0);
            let slider = ui
                .add(egui::Slider::new(&mut offset, low..=high.max(low + 1e-3)).show_value(false))
                .on_hover_text("Time from the lined-up event, the same for both");
            if slider.changed() {
                compare_command(commands, CompareCommand::Seek(offset));
            }
            ui.label(
                RichText::new(format!(
                    "{:+.3} s from {}",
                    state.offset_s,
                    state.align.label().to_lowercase()
                ))
                .monospace(),
            );
        });
    }

    /// One step of the shared clock (the faster clip's frame interval).
    pub(in crate::app) fn compare_step_s(&self) -> Option<f64> {
        let state = self.compare.as_ref()?;
        let (va, _) = self.jump_of(state.a.jump)?;
        let (vb, _) = self.jump_of(state.b.jump)?;
        Some(step_s([va.analysis.facts.fps, vb.analysis.facts.fps]))
    }
}

/// A jump of an opened, analysed video.
fn jump_in(entries: &[VideoEntry], r: JumpRef) -> Option<(&VideoAnalysis, &Jump)> {
    let video = entries.get(r.entry)?.result.as_deref()?;
    Some((video, video.analysis.jumps.get(r.jump)?))
}

/// Both centre-of-mass heights against time from the lined-up event.
fn com_plot(
    ui: &mut Ui,
    sides: [(&VideoAnalysis, f64); 2],
    offset: f64,
    align: AlignAt,
    height: f32,
) {
    Plot::new("compare-com")
        .height(height)
        .legend(Legend::default())
        .x_axis_label(format!("time from {} (s)", align.label().to_lowercase()))
        .y_axis_label("height")
        .allow_scroll(false)
        .show(ui, |plot| {
            for ((video, anchor), (name, colour)) in sides
                .into_iter()
                .zip([("A", theme::CENTRE_OF_MASS), ("B", theme::RIGHT)])
            {
                let (height, _, unit, _) =
                    plots::series(&video.analysis.signals, video.analysis.px_per_m);
                let points: Vec<[f64; 2]> = height.iter().map(|[t, y]| [t - anchor, *y]).collect();
                plot.line(
                    Line::new(format!("{name} ({unit})"), PlotPoints::from(points))
                        .color(colour)
                        .width(2.0),
                );
            }
            plot.add(VLine::new("now", offset).color(theme::PLAYHEAD).width(1.5));
        });
}

/// Metric, unit, A, B and B − A for every metric either jump has.
fn metrics_table(ui: &mut Ui, a: &Jump, b: &Jump) {
    let rows: Vec<_> = METRICS
        .iter()
        .filter(|m| a.metric(m.id).is_some() || b.metric(m.id).is_some())
        .collect();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("compare-metrics")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("compare-table")
                .striped(true)
                .vscroll(false)
                .column(Column::exact(220.0).clip(true))
                .column(Column::exact(40.0))
                .columns(Column::exact(110.0), 3)
                .header(row_height, |mut h| {
                    for title in ["Metric", "Unit", "A", "B", "B − A"] {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, rows.len(), |mut row| {
                        let Some(spec) = rows.get(row.index()) else {
                            return;
                        };
                        row.col(|ui| {
                            ui.label(spec.label);
                        });
                        row.col(|ui| {
                            ui.label(RichText::new(spec.display.symbol).weak());
                        });
                        let (va, vb) = (a.metric(spec.id), b.metric(spec.id));
                        let cells = [
                            (
                                "A",
                                va.map(|v| {
                                    spec.format_number_with_interval(v, a.interval(spec.id))
                                }),
                            ),
                            (
                                "B",
                                vb.map(|v| {
                                    spec.format_number_with_interval(v, b.interval(spec.id))
                                }),
                            ),
                            (
                                "difference",
                                va.zip(vb).map(|(x, y)| {
                                    let d = spec.format_number(y - x);
                                    if y >= x { format!("+{d}") } else { d }
                                }),
                            ),
                        ];
                        for (column, text) in cells {
                            row.col(|ui| {
                                let text = text.unwrap_or_else(|| "–".to_owned());
                                let response = ui.label(RichText::new(&text).monospace());
                                // Screen readers (and tests) read "Jump height, difference" = "+1.2".
                                let name = format!("{}, {column}", spec.label);
                                response.widget_info(|| WidgetInfo {
                                    current_text_value: Some(text.clone()),
                                    ..WidgetInfo::labeled(egui::Role::Cell, true, &name)
                                });
                            });
                        }
                    });
                });
        });
}
