//! The phase timeline under the video: coloured phase bands per jump, event ticks, takeoff
//! and landing markers that can be dragged to correct them, and the playhead. Click or drag
//! anywhere else to seek.

use egui::{
    Align2, Color32, CursorIcon, FontId, Id, Pos2, Rect, Sense, Stroke, Ui, WidgetInfo, pos2, vec2,
};

use crate::analysis::{EventId, Jump, PhaseBand, band_at, clip_end, frame_at_or_after};

use super::commands::{Command, CommandQueue, FlightEdge};
use super::theme;

/// Height of the whole widget.
const HEIGHT: f32 = 62.0;
/// Height of the time ruler at the top.
const RULER: f32 = 16.0;
/// Half width of a marker's grab area.
const GRAB_HALF_WIDTH: f32 = 6.0;

/// What the timeline shows.
pub struct TimelineInput<'a> {
    /// Presentation time of every displayed frame.
    pub times: &'a [f64],
    /// Phase bands.
    pub bands: &'a [PhaseBand],
    /// Jumps (for takeoff/landing markers and events).
    pub jumps: &'a [Jump],
    /// Current frame.
    pub frame: usize,
    /// Selected jump.
    pub selected_jump: usize,
    /// The selected jump's marker the keyboard moves.
    pub selected_edge: Option<FlightEdge>,
}

/// Maps between clip time and screen x.
#[derive(Debug, Clone, Copy)]
struct Axis {
    rect: Rect,
    end_s: f64,
}

impl Axis {
    fn x(self, t: f64) -> f32 {
        let f = if self.end_s > 0.0 {
            (t / self.end_s).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.rect.left() + f as f32 * self.rect.width()
    }

    fn t(self, x: f32) -> f64 {
        let f = ((x - self.rect.left()) / self.rect.width().max(1.0)).clamp(0.0, 1.0);
        f64::from(f) * self.end_s
    }
}

/// Draws the timeline and pushes seek and marker commands.
pub fn show(ui: &mut Ui, input: &TimelineInput<'_>, commands: &mut CommandQueue) {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, HEIGHT), Sense::click_and_drag());
    let axis = Axis {
        rect,
        end_s: clip_end(input.times),
    };
    let frame_time = input.times.get(input.frame).copied().unwrap_or(0.0);
    response.widget_info(|| WidgetInfo::slider(true, input.frame as f64, "Timeline"));
    let visuals = ui.visuals().clone();
    let painter = ui.painter_at(rect.expand(2.0));
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let lane = Rect::from_min_max(pos2(rect.left(), rect.top() + RULER), rect.right_bottom());

    paint_ruler(&painter, axis, rect, visuals.weak_text_color());
    for band in input.bands {
        let band_rect =
            Rect::from_x_y_ranges(axis.x(band.start_s)..=axis.x(band.end_s), lane.y_range());
        let fill = theme::phase_colour(band.phase);
        let strength = if band.jump == input.selected_jump {
            0.95
        } else {
            0.55
        };
        painter.rect_filled(
            band_rect.shrink2(vec2(0.0, 3.0)),
            2.0,
            fill.gamma_multiply(strength),
        );
        let font = FontId::proportional(11.0);
        let galley =
            painter.layout_no_wrap(band.phase.label().to_owned(), font, theme::text_on(fill));
        if galley.size().x + 6.0 < band_rect.width() {
            painter.galley(
                band_rect.center() - galley.size() / 2.0,
                galley,
                Color32::PLACEHOLDER,
            );
        }
    }
    for jump in input.jumps {
        for event in &jump.events {
            if matches!(event.id, EventId::Takeoff | EventId::Landing) {
                continue;
            }
            let x = axis.x(event.time_s);
            painter.line_segment(
                [pos2(x, lane.bottom() - 7.0), pos2(x, lane.bottom() - 2.0)],
                Stroke::new(1.5, visuals.strong_text_color()),
            );
        }
    }

    // Markers are interacted with after the background, so they win the pointer.
    let mut marker_active = false;
    for (j, jump) in input.jumps.iter().enumerate() {
        for edge in [FlightEdge::Takeoff, FlightEdge::Landing] {
            let Some(t) = jump.event(edge.event()) else {
                continue;
            };
            let selected = j == input.selected_jump && input.selected_edge == Some(edge);
            let marker_jump = MarkerJump {
                index: j,
                jump,
                selected,
            };
            marker_active |= marker(ui, axis, lane, &marker_jump, edge, t, commands);
        }
    }

    if !marker_active
        && let Some(pointer) = response.interact_pointer_pos()
        && (response.is_pointer_button_down_on() || response.clicked())
    {
        commands.push(Command::SeekTime(axis.t(pointer.x)));
    }
    if let Some(hover) = response.hover_pos() {
        let t = axis.t(hover.x);
        let frame = frame_at_or_after(input.times, t);
        let phase = band_at(input.bands, t)
            .map(|b| format!(" · {} (jump {})", b.phase.label(), b.jump + 1))
            .unwrap_or_default();
        painter.line_segment(
            [pos2(hover.x, rect.top()), pos2(hover.x, rect.bottom())],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        response.on_hover_text_at_pointer(format!("frame {frame} · {t:.3} s{phase}"));
    }

    let x = axis.x(frame_time);
    painter.line_segment(
        [pos2(x, rect.top()), pos2(x, rect.bottom())],
        Stroke::new(2.0, theme::PLAYHEAD),
    );
    painter.add(egui::Shape::convex_polygon(
        vec![
            pos2(x - 5.0, rect.top()),
            pos2(x + 5.0, rect.top()),
            pos2(x, rect.top() + 7.0),
        ],
        theme::PLAYHEAD,
        Stroke::NONE,
    ));
}

/// The jump a marker belongs to.
struct MarkerJump<'a> {
    index: usize,
    jump: &'a Jump,
    /// The keyboard moves this marker.
    selected: bool,
}

/// A draggable takeoff or landing marker; returns whether it is being dragged or hovered
/// (so the background does not also seek).
fn marker(
    ui: &Ui,
    axis: Axis,
    lane: Rect,
    owner: &MarkerJump<'_>,
    edge: FlightEdge,
    t: f64,
    commands: &mut CommandQueue,
) -> bool {
    let MarkerJump {
        index: jump_index,
        jump,
        selected,
    } = *owner;
    let x = axis.x(t);
    let grab = Rect::from_x_y_ranges(
        (x - GRAB_HALF_WIDTH)..=(x + GRAB_HALF_WIDTH),
        lane.y_range(),
    );
    let id = Id::unique(("timeline-marker", jump_index, edge.event()));
    let response = ui
        .interact(grab, id, Sense::click_and_drag())
        .on_hover_cursor(CursorIcon::ResizeHorizontal);
    let label = format!(
        "{} marker, jump {}",
        edge.event().spec().label,
        jump_index + 1
    );
    response.widget_info(|| WidgetInfo::slider(true, t, &label));
    let colour = if edge == FlightEdge::Takeoff {
        theme::TAKEOFF
    } else {
        theme::LANDING
    };
    let active = response.dragged() || response.hovered();
    let painter = ui.painter_at(lane.expand(2.0));
    let width = if selected {
        4.0
    } else if active {
        3.0
    } else {
        2.0
    };
    painter.line_segment(
        [pos2(x, lane.top()), pos2(x, lane.bottom())],
        Stroke::new(width, colour),
    );
    let head: Vec<Pos2> = if edge == FlightEdge::Takeoff {
        vec![
            pos2(x, lane.top()),
            pos2(x + 7.0, lane.top()),
            pos2(x, lane.top() + 8.0),
        ]
    } else {
        vec![
            pos2(x, lane.top()),
            pos2(x - 7.0, lane.top()),
            pos2(x, lane.top() + 8.0),
        ]
    };
    painter.add(egui::Shape::convex_polygon(head, colour, Stroke::NONE));
    if jump.edited() {
        painter.circle_filled(pos2(x, lane.bottom() - 4.0), 2.5, theme::EDITED);
    }
    if response.drag_started() || response.clicked() {
        commands.push(Command::SelectJump(jump_index));
        commands.push(Command::SelectEdge(edge));
    }
    if response.drag_started() {
        commands.push(Command::BeginEdgeDrag);
    }
    if response.dragged()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        commands.push(Command::MoveEdge {
            jump: jump_index,
            edge,
            time_s: axis.t(pointer.x),
        });
    }
    if response.hovered() && !response.dragged() {
        response.on_hover_text(format!("{label}: {t:.3} s. Drag to correct it."));
    }
    active
}

fn paint_ruler(painter: &egui::Painter, axis: Axis, rect: Rect, colour: Color32) {
    if axis.end_s <= 0.0 {
        return;
    }
    // A tick spacing that leaves at least ~70 points between labels.
    let seconds_per_point = axis.end_s / f64::from(rect.width().max(1.0));
    let step = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0]
        .into_iter()
        .find(|s| s / seconds_per_point >= 70.0)
        .unwrap_or(120.0);
    let mut t = 0.0;
    while t <= axis.end_s {
        let x = axis.x(t);
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.top() + 5.0)],
            Stroke::new(1.0, colour),
        );
        painter.text(
            pos2(x + 3.0, rect.top() + 1.0),
            Align2::LEFT_TOP,
            if step < 1.0 {
                format!("{t:.1} s")
            } else {
                format!("{t:.0} s")
            },
            FontId::proportional(10.0),
            colour,
        );
        t += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_round_trips_and_clamps() {
        let axis = Axis {
            rect: Rect::from_min_size(pos2(10.0, 0.0), vec2(100.0, 10.0)),
            end_s: 2.0,
        };
        assert!((axis.x(1.0) - 60.0).abs() < 1e-4);
        assert!((axis.t(60.0) - 1.0).abs() < 1e-6);
        assert!((axis.t(-50.0)).abs() < 1e-9);
    }
}
