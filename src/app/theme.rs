//! Design tokens: every colour the app paints with, the themes, and the window icon.
//! Colours live here so the video overlay, timeline, plots and table agree.

use egui::{Color32, Context, ThemePreference, Visuals};

use super::settings::ThemeChoice;
use crate::analysis::Phase;

/// Left-side body parts (the athlete's left).
pub const LEFT: Color32 = Color32::from_rgb(255, 159, 67);
/// Right-side body parts.
pub const RIGHT: Color32 = Color32::from_rgb(72, 180, 255);
/// Parts on the midline (nose, the shoulder and hip bars).
pub const MIDLINE: Color32 = Color32::from_rgb(235, 235, 235);
/// Other people in view (not the one analysed): light grey, a little see-through.
pub const OTHER_PERSON: Color32 = Color32::from_rgba_premultiplied(200, 200, 200, 220);
/// Centre of mass marker and curve.
pub const CENTRE_OF_MASS: Color32 = Color32::from_rgb(255, 214, 10);
/// Vertical velocity curve.
pub const VELOCITY: Color32 = Color32::from_rgb(120, 200, 140);
/// Playhead in the timeline and plots.
pub const PLAYHEAD: Color32 = Color32::from_rgb(240, 70, 90);
/// Takeoff marker.
pub const TAKEOFF: Color32 = Color32::from_rgb(60, 200, 120);
/// Landing marker.
pub const LANDING: Color32 = Color32::from_rgb(230, 90, 80);
/// A value a person has edited.
pub const EDITED: Color32 = Color32::from_rgb(240, 170, 40);
/// Error toasts and banners.
pub const ERROR: Color32 = Color32::from_rgb(220, 70, 70);
/// Success toasts.
pub const SUCCESS: Color32 = Color32::from_rgb(70, 170, 100);

/// Fill colour of a phase band (opaque; callers fade it as needed).
pub fn phase_colour(phase: Phase) -> Color32 {
    match phase {
        Phase::Standing => Color32::from_rgb(120, 128, 140),
        Phase::SquatHold => Color32::from_rgb(110, 120, 160),
        Phase::Unweighting => Color32::from_rgb(90, 160, 230),
        Phase::Braking => Color32::from_rgb(235, 160, 50),
        Phase::Propulsion => Color32::from_rgb(80, 190, 110),
        Phase::Flight => Color32::from_rgb(170, 120, 230),
        Phase::Landing => Color32::from_rgb(225, 95, 95),
        Phase::Drop => Color32::from_rgb(60, 180, 180),
        Phase::Contact => Color32::from_rgb(230, 130, 60),
    }
}

/// A colour that stays the same for a name across runs (FNV-1a hash to a hue), for flame bars.
pub fn stable_colour(name: &str) -> Color32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let hue = (hash % 360) as f32 / 360.0;
    let rgb = egui::ecolor::Hsva::new(hue, 0.45, 0.80, 1.0);
    Color32::from(rgb)
}

/// Text colour readable on `background`.
pub fn text_on(background: Color32) -> Color32 {
    let luma = 0.299 * f32::from(background.r())
        + 0.587 * f32::from(background.g())
        + 0.114 * f32::from(background.b());
    if luma > 140.0 {
        Color32::from_rgb(20, 20, 24)
    } else {
        Color32::from_rgb(245, 245, 245)
    }
}

/// Applies the theme choice and the app's small style adjustments.
pub fn apply(ctx: &Context, choice: ThemeChoice) {
    ctx.set_theme(match choice {
        ThemeChoice::System => ThemePreference::System,
        ThemeChoice::Dark => ThemePreference::Dark,
        ThemeChoice::Light => ThemePreference::Light,
    });
    ctx.set_visuals_of(egui::Theme::Dark, Visuals::dark());
    ctx.set_visuals_of(egui::Theme::Light, Visuals::light());
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.interaction.tooltip_delay = 0.3;
    });
}

/// Side of the square window icon in pixels.
const ICON_SIDE: u32 = 64;

/// The window icon, drawn here: a jump arc over a ground line with the athlete at the apex.
pub fn icon() -> egui::IconData {
    let side = ICON_SIDE as f32;
    let mut rgba = Vec::with_capacity((ICON_SIDE * ICON_SIDE * 4) as usize);
    let background = [29.0, 36.0, 51.0];
    let arc = [255.0, 255.0, 255.0];
    let apex = [255.0, 159.0, 67.0];
    let ground = [72.0, 180.0, 255.0];
    for y in 0..ICON_SIDE {
        for x in 0..ICON_SIDE {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            // Rounded square, anti-aliased over one pixel.
            let r = 12.0;
            let dx = (px - side / 2.0).abs() - (side / 2.0 - r);
            let dy = (py - side / 2.0).abs() - (side / 2.0 - r);
            let outside = dx.max(0.0).hypot(dy.max(0.0)) + dx.max(dy).min(0.0) - r;
            let alpha = (0.5 - outside).clamp(0.0, 1.0);
            let mut colour = background;
            // Flight parabola from (12, 48) up to (32, 14) and down to (52, 48).
            let u = (px - 32.0) / 20.0;
            let curve_y = 14.0 + 34.0 * u * u;
            let on_arc = u.abs() <= 1.0;
            let arc_cover = if on_arc {
                (1.6 - (py - curve_y).abs() / (1.0 + 3.4 * u.abs())).clamp(0.0, 1.0)
            } else {
                0.0
            };
            blend(&mut colour, arc, arc_cover);
            let ground_cover = if (12.0..=52.0).contains(&px) {
                (1.6 - (py - 51.0).abs()).clamp(0.0, 1.0)
            } else {
                0.0
            };
            blend(&mut colour, ground, ground_cover);
            let dot = (5.5 - (px - 32.0).hypot(py - 14.0)).clamp(0.0, 1.0);
            blend(&mut colour, apex, dot);
            rgba.extend([
                colour[0] as u8,
                colour[1] as u8,
                colour[2] as u8,
                (alpha * 255.0) as u8,
            ]);
        }
    }
    egui::IconData {
        rgba,
        width: ICON_SIDE,
        height: ICON_SIDE,
    }
}

fn blend(colour: &mut [f32; 3], over: [f32; 3], amount: f32) {
    for (c, o) in colour.iter_mut().zip(over) {
        *c += (o - *c) * amount;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_colours_are_stable_and_distinct() {
        assert_eq!(stable_colour("decode"), stable_colour("decode"));
        assert_ne!(stable_colour("decode"), stable_colour("tracking"));
    }

    #[test]
    fn icon_has_opaque_centre_and_transparent_corner() {
        let icon = icon();
        assert_eq!(icon.rgba.len(), (ICON_SIDE * ICON_SIDE * 4) as usize);
        assert_eq!(icon.rgba[3], 0);
        let centre = ((ICON_SIDE / 2 * ICON_SIDE + ICON_SIDE / 2) * 4 + 3) as usize;
        assert_eq!(icon.rgba[centre], 255);
    }
}
