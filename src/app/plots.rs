//! Centre-of-mass height and vertical velocity over time, with phase bands, a cursor at the
//! current frame, linked time axes, and click-to-seek.

use egui::{Id, Ui};
use egui_plot::{AxisHints, HoverPosition, Line, Plot, PlotPoints, Span, VLine, log_grid_spacer};

use crate::analysis::{Signals, smooth};

use super::commands::{Command, CommandQueue};
use super::theme;
use crate::analysis::PhaseBand;

/// What the plots show.
pub struct PlotInput<'a> {
    /// The analysis's signals.
    pub signals: &'a Signals,
    /// Pixels per metre when the clip has a scale.
    pub px_per_m: Option<f64>,
    /// Phase bands.
    pub bands: &'a [PhaseBand],
    /// Time of the current frame.
    pub time_s: f64,
    /// End of the time axis.
    pub end_s: f64,
}

/// Height (up positive, zero at the median standing height) and vertical velocity (up
/// positive), in metres or pixels, with the unit names.
pub fn series(
    signals: &Signals,
    px_per_m: Option<f64>,
) -> (Vec<[f64; 2]>, Vec<[f64; 2]>, &'static str, &'static str) {
    let (scale, height_unit, velocity_unit) = match px_per_m {
        Some(s) if s > 0.0 => (s, "m", "m/s"),
        _ => (1.0, "px", "px/s"),
    };
    let mut finite: Vec<f64> = signals
        .com
        .value
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let standing = smooth::median(&mut finite);
    let standing = if standing.is_finite() { standing } else { 0.0 };
    let height = signals
        .t
        .iter()
        .zip(&signals.com.value)
        .filter(|(_, y)| y.is_finite())
        .map(|(t, y)| [*t, (standing - y) / scale])
        .collect();
    let velocity = signals
        .t
        .iter()
        .zip(&signals.com.d1)
        .filter(|(_, v)| v.is_finite())
        .map(|(t, v)| [*t, -v / scale])
        .collect();
    (height, velocity, height_unit, velocity_unit)
}

/// Draws the two plots stacked in the space left.
pub fn show(ui: &mut Ui, input: &PlotInput<'_>, commands: &mut CommandQueue) {
    let (height, velocity, height_unit, velocity_unit) = series(input.signals, input.px_per_m);
    let each = ((ui.available_height() - ui.spacing().item_spacing.y) / 2.0).max(80.0);
    let link = Id::unique("signal-plots");
    let plots: [(&str, String, Vec<[f64; 2]>, egui::Color32); 2] = [
        (
            "com-height",
            format!("Height ({height_unit})"),
            height,
            theme::CENTRE_OF_MASS,
        ),
        (
            "com-velocity",
            format!("Velocity ({velocity_unit})"),
            velocity,
            theme::VELOCITY,
        ),
    ];
    for (id, title, points, colour) in plots {
        let last = id == "com-velocity";
        let response = Plot::new(id)
            .height(each)
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .default_x_bounds(0.0, input.end_s.max(0.1))
            .allow_drag([true, false])
            .allow_zoom([true, false])
            .allow_scroll([true, false])
            // Short plots: grid steps in powers of five and closer labels, so a ±0.5 m curve
            // still shows its scale instead of a lone 0.
            .custom_y_axes(vec![
                AxisHints::new_y()
                    .label(title.clone())
                    .min_thickness(42.0)
                    .label_spacing(14.0..=22.0),
            ])
            .y_grid_spacer(log_grid_spacer(5))
            .show_axes([last, true])
            .x_axis_label(if last { "time (s)" } else { "" })
            .label_formatter(|pos| {
                let p = match pos {
                    HoverPosition::NearDataPoint { position, .. }
                    | HoverPosition::Elsewhere { position } => position,
                };
                Some(format!("{:.3} s\n{:.3}", p.x, p.y))
            })
            .show(ui, |plot_ui| {
                for band in input.bands {
                    plot_ui.add(
                        Span::new("", band.start_s..=band.end_s)
                            .fill(theme::phase_colour(band.phase).gamma_multiply(0.18)),
                    );
                }
                plot_ui.line(
                    Line::new(title.clone(), PlotPoints::from(points))
                        .color(colour)
                        .width(2.0),
                );
                plot_ui.add(
                    VLine::new("current frame", input.time_s)
                        .color(theme::PLAYHEAD)
                        .width(1.5),
                );
                plot_ui
                    .response()
                    .clicked()
                    .then(|| plot_ui.pointer_coordinate())
                    .flatten()
            });
        if let Some(point) = response.inner {
            commands.push(Command::SeekTime(point.x));
        }
    }
}
