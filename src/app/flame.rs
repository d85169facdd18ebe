//! Timing flame bars: where the last analysis spent its time, stages nested under their
//! parent, bar widths by time. Scroll to zoom around the pointer, drag to pan, double-click
//! to reset; hover a bar for its milliseconds and share of the total.

use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

use crate::timing::{StageTiming, Timings};

use super::theme;

const ROW_HEIGHT: f32 = 20.0;
const ROW_GAP: f32 = 2.0;
const MAX_DEPTH: usize = 8;
const MAX_ZOOM: f32 = 200.0;

/// One bar: a stage placed on the time axis (milliseconds from the start of the run).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Stage name.
    pub name: String,
    /// Nesting depth (0 for the whole run).
    pub depth: usize,
    /// Left edge in milliseconds.
    pub start_ms: f64,
    /// Width in milliseconds (children of a parent that ran in parallel are scaled to fit).
    pub width_ms: f64,
    /// The stage's own recorded time.
    pub ms: f64,
    /// How many times the stage ran.
    pub runs: u64,
}

/// Places every stage: roots side by side, children side by side inside their parent in
/// first-use order. Stages timed on other threads (decode runs beside tracking) can add up to
/// more than their parent; they are then scaled to fit and keep their true ms in `ms`.
pub fn layout(timings: &Timings) -> (Vec<Bar>, f64) {
    let stages = timings.stages();
    let mut bars = Vec::new();
    let mut start = 0.0;
    for root in stages.iter().filter(|s| s.parent.is_none()) {
        place(timings, root, root.ms, 0, start, &mut bars);
        start += root.ms;
    }
    // Orphans (a parent that was never recorded) still show, as roots after the rest.
    for s in stages.iter().filter(|s| {
        s.parent
            .as_deref()
            .is_some_and(|p| stages.iter().all(|o| o.stage != p))
    }) {
        place(timings, s, s.ms, 0, start, &mut bars);
        start += s.ms;
    }
    (bars, start)
}

fn place(
    timings: &Timings,
    stage: &StageTiming,
    width_ms: f64,
    depth: usize,
    start_ms: f64,
    bars: &mut Vec<Bar>,
) {
    let name = stage.stage.as_str();
    bars.push(Bar {
        name: name.to_owned(),
        depth,
        start_ms,
        width_ms,
        ms: stage.ms,
        runs: stage.runs,
    });
    if depth >= MAX_DEPTH {
        return;
    }
    let children: Vec<_> = timings
        .stages()
        .iter()
        .filter(|s| s.parent.as_deref() == Some(name) && s.stage != name && s.ms > 0.0)
        .collect();
    let sum: f64 = children.iter().map(|c| c.ms).sum();
    let fit = if sum > width_ms && sum > 0.0 {
        width_ms / sum
    } else {
        1.0
    };
    let mut x = start_ms;
    for child in children {
        let w = child.ms * fit;
        place(timings, child, w, depth + 1, x, bars);
        x += w;
    }
}

/// Zoom and pan of the flame bars (runtime only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlameView {
    /// 1 = whole run visible.
    zoom: f32,
    /// Left edge of the view as a fraction of the whole run.
    offset: f32,
}

impl Default for FlameView {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            offset: 0.0,
        }
    }
}

impl FlameView {
    fn clamp(&mut self) {
        self.zoom = self.zoom.clamp(1.0, MAX_ZOOM);
        self.offset = self.offset.clamp(0.0, 1.0 - 1.0 / self.zoom);
    }
}

/// Draws the bars for `timings`.
pub fn show(ui: &mut Ui, timings: &Timings, view: &mut FlameView) {
    let (bars, total_ms) = layout(timings);
    let depth = bars.iter().map(|b| b.depth).max().unwrap_or(0) + 1;
    let height = depth as f32 * (ROW_HEIGHT + ROW_GAP);
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, "Timing flame bars"));
    if total_ms <= 0.0 {
        return;
    }
    if response.double_clicked() {
        *view = FlameView::default();
    }
    if response.dragged() {
        view.offset -= response.drag_delta().x / rect.width().max(1.0) / view.zoom;
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0
            && let Some(pointer) = response.hover_pos()
        {
            let at = view.offset + (pointer.x - rect.left()) / rect.width().max(1.0) / view.zoom;
            view.zoom *= (scroll * 0.004).exp();
            view.clamp();
            view.offset = at - (pointer.x - rect.left()) / rect.width().max(1.0) / view.zoom;
        }
    }
    view.clamp();
    let to_x = |ms: f64| -> f32 {
        let f = (ms / total_ms) as f32;
        rect.left() + (f - view.offset) * view.zoom * rect.width()
    };
    let painter = ui.painter_at(rect);
    let text_colour = ui.visuals().strong_text_color();
    let mut hovered: Option<&Bar> = None;
    let hover = response.hover_pos();
    for bar in &bars {
        let (x0, x1) = (to_x(bar.start_ms), to_x(bar.start_ms + bar.width_ms));
        if x1 < rect.left() || x0 > rect.right() || x1 - x0 < 0.5 {
            continue;
        }
        let y = rect.top() + bar.depth as f32 * (ROW_HEIGHT + ROW_GAP);
        let bar_rect = Rect::from_min_max(pos2(x0, y), pos2(x1.max(x0 + 1.0), y + ROW_HEIGHT));
        let fill = theme::stable_colour(&bar.name);
        let is_hovered = hover.is_some_and(|p| bar_rect.contains(p));
        if is_hovered {
            hovered = Some(bar);
        }
        painter.rect_filled(bar_rect, 2.0, fill);
        if is_hovered {
            painter.rect_stroke(
                bar_rect,
                2.0,
                Stroke::new(1.5, text_colour),
                egui::StrokeKind::Inside,
            );
        }
        let visible = bar_rect.intersect(rect);
        let label = format!("{} {}", bar.name, format_ms(bar.ms));
        let font = FontId::proportional(11.5);
        let text_colour = theme::text_on(fill);
        for candidate in [label, bar.name.clone()] {
            let galley = painter.layout_no_wrap(candidate, font.clone(), text_colour);
            if galley.size().x + 8.0 <= visible.width() {
                let pos = pos2(
                    visible.left() + 4.0,
                    visible.center().y - galley.size().y / 2.0,
                );
                painter
                    .with_clip_rect(visible)
                    .galley(pos, galley, Color32::PLACEHOLDER);
                break;
            }
        }
    }
    if let Some(bar) = hovered {
        let share = bar.ms / total_ms * 100.0;
        // Per-frame stages also say how often they ran and what one run cost.
        let runs = if bar.runs > 1 {
            format!(
                " · {} runs, {} each",
                bar.runs,
                format_ms(bar.ms / bar.runs as f64)
            )
        } else {
            String::new()
        };
        response.on_hover_text_at_pointer(format!(
            "{}: {} ({share:.1} % of the total){runs}",
            bar.name,
            format_ms(bar.ms)
        ));
    } else if view.zoom > 1.0 {
        painter.text(
            rect.right_bottom() - vec2(4.0, 2.0),
            Align2::RIGHT_BOTTOM,
            format!("{:.0}×", view.zoom),
            FontId::proportional(10.0),
            ui.visuals().weak_text_color(),
        );
    }
}

/// Milliseconds for a label: no decimals from 10 ms up.
pub fn format_ms(ms: f64) -> String {
    if ms >= 10.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn children_nest_inside_their_parent_and_parallel_ones_are_scaled() {
        let mut t = Timings::new();
        t.add("model_load", Some("analysis"), Duration::from_millis(100));
        t.add("decode", Some("analysis"), Duration::from_millis(600));
        t.add("tracking", Some("analysis"), Duration::from_millis(700));
        t.add(
            "landmark_inference",
            Some("tracking"),
            Duration::from_millis(500),
        );
        t.add("analysis", None, Duration::from_secs(1));
        let (bars, total) = layout(&t);
        assert!((total - 1000.0).abs() < 1e-6);
        let root = &bars[0];
        assert_eq!((root.name.as_str(), root.depth), ("analysis", 0));
        let children: Vec<&Bar> = bars.iter().filter(|b| b.depth == 1).collect();
        let width: f64 = children.iter().map(|b| b.width_ms).sum();
        assert!(
            (width - 1000.0).abs() < 1e-6,
            "parallel children fit the parent"
        );
        let tracking = bars.iter().find(|b| b.name == "tracking").unwrap();
        let inference = bars
            .iter()
            .find(|b| b.name == "landmark_inference")
            .unwrap();
        assert_eq!(inference.depth, 2);
        assert!((inference.start_ms - tracking.start_ms).abs() < 1e-9);
        assert!((tracking.ms - 700.0).abs() < 1e-6);
        assert_eq!(format_ms(4.26), "4.3 ms");
        assert_eq!(format_ms(1234.4), "1234 ms");
    }
}
