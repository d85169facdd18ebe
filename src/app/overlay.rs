//! The pose overlay painted over the video: bones, joints, centre of mass and phase label.
//! Painted with the painter every frame (never baked into the texture), so it stays sharp
//! at any zoom and each layer can be switched off.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, pos2, vec2};

use crate::pose::{
    BodySide as Side, Landmark, SKELETON_BONES, SKELETON_JOINTS, body_side as side_of, bone_side,
};

use super::settings::OverlaySettings;
use super::theme;

fn colour(side: Side) -> Color32 {
    match side {
        Side::Left => theme::LEFT,
        Side::Right => theme::RIGHT,
        Side::Midline => theme::MIDLINE,
    }
}

/// Opacity for a visibility probability: occluded points stay faintly visible.
fn alpha(visibility: f32) -> f32 {
    (0.2 + 0.8 * visibility).clamp(0.2, 1.0)
}

/// What to paint for one frame.
#[derive(Debug, Clone)]
pub struct OverlayFrame<'a> {
    /// Landmarks in displayed video pixels (empty when untracked).
    pub landmarks: &'a [Landmark],
    /// Centre of mass in displayed video pixels.
    pub centre_of_mass: Option<(f64, f64)>,
    /// Label of the current phase, with its colour.
    pub phase: Option<(&'a str, Color32)>,
    /// Other people in view, drawn in grey with their number so one can be clicked.
    pub others: Vec<(usize, &'a [Landmark])>,
}

/// Paints the overlay over the video drawn in `image_rect`; `video_size` is the displayed
/// size in video pixels.
pub fn paint(
    painter: &Painter,
    image_rect: Rect,
    video_size: (f32, f32),
    frame: &OverlayFrame<'_>,
    layers: OverlaySettings,
) {
    let to_screen = |x: f32, y: f32| -> Pos2 {
        pos2(
            image_rect.left() + x / video_size.0.max(1.0) * image_rect.width(),
            image_rect.top() + y / video_size.1.max(1.0) * image_rect.height(),
        )
    };
    // Thicker lines when the video is shown large, never thinner than a readable hairline.
    let scale = (image_rect.height() / 500.0).clamp(0.6, 2.5);
    if layers.bones {
        paint_others(painter, &frame.others, scale, &to_screen);
    }
    if layers.bones {
        for (a, b) in SKELETON_BONES {
            let (Some(p), Some(q)) = (frame.landmarks.get(a), frame.landmarks.get(b)) else {
                continue;
            };
            let side = bone_side(a, b);
            let opacity = alpha(p.visibility.min(q.visibility));
            let stroke = Stroke::new(3.0 * scale, colour(side).gamma_multiply(opacity));
            painter.line_segment([to_screen(p.x, p.y), to_screen(q.x, q.y)], stroke);
        }
    }
    if layers.joints {
        for index in SKELETON_JOINTS {
            let Some(p) = frame.landmarks.get(index) else {
                continue;
            };
            let opacity = alpha(p.visibility);
            let centre = to_screen(p.x, p.y);
            painter.circle(
                centre,
                3.5 * scale,
                colour(side_of(index)).gamma_multiply(opacity),
                Stroke::new(1.0, Color32::from_black_alpha((160.0 * opacity) as u8)),
            );
        }
    }
    if layers.centre_of_mass
        && let Some((x, y)) = frame
            .centre_of_mass
            .filter(|(x, y)| x.is_finite() && y.is_finite())
    {
        {
            let centre = to_screen(x as f32, y as f32);
            let r = 7.0 * scale;
            let stroke = Stroke::new(2.0 * scale, theme::CENTRE_OF_MASS);
            painter.circle(centre, r, Color32::from_black_alpha(90), stroke);
            painter.line_segment(
                [centre - vec2(r * 1.6, 0.0), centre + vec2(r * 1.6, 0.0)],
                stroke,
            );
            painter.line_segment(
                [centre - vec2(0.0, r * 1.6), centre + vec2(0.0, r * 1.6)],
                stroke,
            );
        }
    }
    if layers.phase_label
        && let Some((label, fill)) = frame.phase
    {
        {
            let font = FontId::proportional(15.0);
            let galley = painter.layout_no_wrap(label.to_owned(), font, theme::text_on(fill));
            let anchor = image_rect.left_top() + vec2(10.0, 10.0);
            let pill = Align2::LEFT_TOP.anchor_size(anchor, galley.size() + vec2(16.0, 8.0));
            painter.rect_filled(pill, 6.0, fill.gamma_multiply(0.92));
            painter.galley(pill.min + vec2(8.0, 4.0), galley, Color32::PLACEHOLDER);
        }
    }
}

/// Other people in view: thin grey bones and their number above the head, so a user sees
/// who else was tracked and can click them.
fn paint_others(
    painter: &Painter,
    others: &[(usize, &[Landmark])],
    scale: f32,
    to_screen: &dyn Fn(f32, f32) -> Pos2,
) {
    let halo = Stroke::new(4.5 * scale, Color32::from_black_alpha(110));
    let stroke = Stroke::new(2.5 * scale, theme::OTHER_PERSON);
    for (number, landmarks) in others {
        for (a, b) in SKELETON_BONES {
            if let (Some(p), Some(q)) = (landmarks.get(a), landmarks.get(b)) {
                let segment = [to_screen(p.x, p.y), to_screen(q.x, q.y)];
                painter.line_segment(segment, halo);
                painter.line_segment(segment, stroke);
            }
        }
        let top = landmarks
            .iter()
            .map(|l| to_screen(l.x, l.y))
            .min_by(|a, b| a.y.total_cmp(&b.y));
        if let Some(top) = top {
            let font = FontId::proportional(13.0 * scale.max(1.0));
            let galley =
                painter.layout_no_wrap(format!("Person {number}"), font, Color32::from_gray(235));
            let anchor = top - vec2(0.0, 10.0 * scale);
            let pill = Align2::CENTER_BOTTOM.anchor_size(anchor, galley.size() + vec2(12.0, 6.0));
            painter.rect_filled(pill, 5.0, Color32::from_black_alpha(170));
            painter.galley(pill.min + vec2(6.0, 3.0), galley, Color32::PLACEHOLDER);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::landmark as lm;

    #[test]
    fn sides_follow_mediapipe_numbering() {
        assert_eq!(side_of(lm::LEFT_KNEE), Side::Left);
        assert_eq!(side_of(lm::RIGHT_ANKLE), Side::Right);
        assert_eq!(side_of(lm::NOSE), Side::Midline);
        assert!(alpha(0.0) > 0.0 && (alpha(1.0) - 1.0).abs() < 1e-6);
    }
}
