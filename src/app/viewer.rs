//! The video view: the current preview frame fitted into the available space, zoom (scroll),
//! pan (drag), fit (double-click), with the pose overlay painted on top.

use std::sync::Arc;

use egui::{
    Color32, ColorImage, Context, CursorIcon, Rect, Sense, TextureHandle, TextureOptions, Ui,
    WidgetInfo, pos2, vec2,
};

use crate::video::PreviewFrame;

use super::overlay::{self, OverlayFrame};
use super::settings::OverlaySettings;

const MIN_ZOOM: f32 = 1.0;
const MAX_ZOOM: f32 = 8.0;

/// Texture and view transform of the video view (runtime only, never persisted).
#[derive(Default)]
pub struct ViewerState {
    texture: Option<TextureHandle>,
    /// The picture in the texture, to upload only when the frame changes.
    shown: Option<Arc<PreviewFrame>>,
    /// 1 = fit to the view.
    zoom: f32,
    /// Offset of the picture's centre from the view's centre, in points.
    pan: egui::Vec2,
}

impl std::fmt::Debug for ViewerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewerState")
            .field("zoom", &self.zoom)
            .field("pan", &self.pan)
            .finish_non_exhaustive()
    }
}

impl ViewerState {
    /// Back to "whole frame visible".
    pub fn fit(&mut self) {
        self.zoom = 1.0;
        self.pan = egui::Vec2::ZERO;
    }

    /// Forgets the picture (a new video was opened).
    pub fn clear(&mut self) {
        self.shown = None;
        self.fit();
    }

    /// Uploads `picture` unless it is already in the texture.
    fn upload(&mut self, ctx: &Context, picture: &Arc<PreviewFrame>) {
        if self.shown.as_ref().is_some_and(|s| Arc::ptr_eq(s, picture)) {
            return;
        }
        let image =
            ColorImage::from_rgba_unmultiplied([picture.width, picture.height], &picture.rgba);
        match &mut self.texture {
            Some(texture) => texture.set(image, TextureOptions::LINEAR),
            None => {
                self.texture = Some(ctx.load_texture("video-frame", image, TextureOptions::LINEAR));
            }
        }
        self.shown = Some(Arc::clone(picture));
    }
}

/// What the view shows this frame.
pub struct ViewerInput<'a> {
    /// The picture to show (may be a neighbour while the exact frame decodes).
    pub picture: Option<Arc<PreviewFrame>>,
    /// Displayed video size in pixels (the overlay's coordinate space).
    pub video_size: Option<(u32, u32)>,
    /// Overlay for the frame.
    pub overlay: OverlayFrame<'a>,
    /// Layers to paint.
    pub layers: OverlaySettings,
    /// Text when there is no picture (e.g. "Decoding preview…").
    pub placeholder: &'a str,
}

/// Shows the view in all the space `ui` has left; returns where a click (not a drag) landed,
/// in displayed video pixels.
pub fn show(ui: &mut Ui, state: &mut ViewerState, input: &ViewerInput<'_>) -> Option<(f32, f32)> {
    let area = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(area, Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, "Video"));
    let painter = ui.painter_at(area);
    painter.rect_filled(area, 4.0, Color32::from_gray(16));

    let Some(picture) = input.picture.as_ref() else {
        painter.text(
            area.center(),
            egui::Align2::CENTER_CENTER,
            input.placeholder,
            egui::FontId::proportional(16.0),
            Color32::from_gray(170),
        );
        return None;
    };
    state.upload(ui.ctx(), picture);
    let (video_w, video_h) = input
        .video_size
        .map_or((picture.width as f32, picture.height as f32), |(w, h)| {
            (w as f32, h as f32)
        });
    state.zoom = state.zoom.clamp(MIN_ZOOM, MAX_ZOOM);

    if response.double_clicked() {
        state.fit();
    }
    if response.dragged() {
        state.pan += response.drag_delta();
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        let pinch = ui.input(egui::InputState::zoom_delta);
        let factor = pinch * (scroll * 0.003).exp();
        if (factor - 1.0).abs() > 1e-4 {
            let old = state.zoom;
            state.zoom = (state.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
            // Keep the point under the pointer where it is.
            if let Some(pointer) = response.hover_pos() {
                let from_centre = pointer - (area.center() + state.pan);
                state.pan -= from_centre * (state.zoom / old - 1.0);
            }
        }
    }
    let fit = (area.width() / video_w).min(area.height() / video_h);
    let size = vec2(video_w, video_h) * fit * state.zoom;
    // Never pan the picture entirely out of view.
    let limit = ((size - area.size()) * 0.5).max(egui::Vec2::ZERO);
    state.pan = state.pan.clamp(-limit, limit);
    let image_rect = Rect::from_center_size(area.center() + state.pan, size);
    if let Some(texture) = &state.texture {
        painter.image(
            texture.id(),
            image_rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
    }
    overlay::paint(
        &painter,
        image_rect,
        (video_w, video_h),
        &input.overlay,
        input.layers,
    );
    let clicked = response
        .clicked()
        .then(|| response.interact_pointer_pos())
        .flatten()
        .filter(|p| image_rect.contains(*p))
        .map(|p| {
            (
                (p.x - image_rect.left()) / image_rect.width() * video_w,
                (p.y - image_rect.top()) / image_rect.height() * video_h,
            )
        });
    if state.zoom > MIN_ZOOM {
        painter.text(
            area.right_top() + vec2(-10.0, 10.0),
            egui::Align2::RIGHT_TOP,
            format!("{:.0} %", state.zoom * 100.0),
            egui::FontId::proportional(13.0),
            Color32::from_gray(220),
        );
    }
    clicked
}
