//! The overlay video: the clip with skeleton, centre of mass, phase, events and the jump's key
//! numbers drawn in, at most 720 px on the long edge, with the source's timestamps.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use ab_glyph::{FontRef, PxScale};
use image::{Rgba, RgbaImage};
use imageproc::drawing::{
    draw_filled_circle_mut, draw_filled_rect_mut, draw_line_segment_mut, draw_text_mut,
};
use imageproc::rect::Rect;

use crate::analysis::{EventId, Jump, PhaseBand, band_at, bands, clip_end};
use crate::pipeline::VideoAnalysis;
use crate::pose::{BodySide, PoseFrame, SKELETON_BONES, SKELETON_JOINTS, bone_side};
use crate::video::{Affine, DecodeOptions, VideoDecoder, VideoEncoder, VideoError, export_size};

/// Longest side of the exported video.
pub const MAX_LONG_EDGE: u32 = 720;

const LEFT: Rgba<u8> = Rgba([255, 160, 40, 255]);
const RIGHT: Rgba<u8> = Rgba([60, 200, 255, 255]);
const CENTRE: Rgba<u8> = Rgba([240, 240, 240, 255]);
const COM: Rgba<u8> = Rgba([255, 60, 90, 255]);
const PANEL: Rgba<u8> = Rgba([0, 0, 0, 255]);
const TEXT: Rgba<u8> = Rgba([255, 255, 255, 255]);
const HIGHLIGHT: Rgba<u8> = Rgba([255, 220, 60, 255]);

/// A bone takes its side's colour; bones across the body are drawn in the midline colour.
fn side_colour(a: usize, b: usize) -> Rgba<u8> {
    match bone_side(a, b) {
        BodySide::Left => LEFT,
        BodySide::Right => RIGHT,
        BodySide::Midline => CENTRE,
    }
}

/// Draws one frame's overlay onto `img` (already scaled by `scale` from displayed pixels).
fn draw_overlay(
    img: &mut RgbaImage,
    font: &FontRef<'_>,
    pose: &PoseFrame,
    jumps: &[Jump],
    phases: &[PhaseBand],
    com: Option<(f64, f64)>,
    scale: f32,
) {
    let text_px = (img.height().max(img.width()) as f32 / 40.0).max(12.0);
    if pose.tracked {
        draw_skeleton(img, pose, com, scale);
    }
    let current = band_at(phases, pose.time_s);
    draw_top_bar(img, font, pose, jumps, phases, text_px);
    // Bottom bar: the key numbers of the current or latest finished jump.
    let shown = current.and_then(|b| jumps.get(b.jump)).or_else(|| {
        jumps
            .iter()
            .rev()
            .find(|j| j.event(EventId::Landing).is_some_and(|t| t <= pose.time_s))
    });
    if let Some(j) = shown {
        draw_bottom_bar(img, font, j, text_px);
    }
}

/// Bones, joints and the centre of mass.
fn draw_skeleton(img: &mut RgbaImage, pose: &PoseFrame, com: Option<(f64, f64)>, scale: f32) {
    let at = |i: usize| {
        pose.landmarks
            .get(i)
            .map(|l| (l.x * scale, l.y * scale, l.visibility))
            .filter(|p| p.2 > 0.3)
    };
    for &(a, b) in &SKELETON_BONES {
        if let (Some(p), Some(q)) = (at(a), at(b)) {
            let c = side_colour(a, b);
            // Three parallel lines in each direction: a 3-px bone without anti-aliasing.
            for d in [-1.0f32, 0.0, 1.0] {
                draw_line_segment_mut(img, (p.0 + d, p.1), (q.0 + d, q.1), c);
                draw_line_segment_mut(img, (p.0, p.1 + d), (q.0, q.1 + d), c);
            }
        }
    }
    for i in SKELETON_JOINTS {
        if let Some((x, y, _)) = at(i) {
            let colour = side_colour(i, i);
            draw_filled_circle_mut(img, (x as i32, y as i32), 3, colour);
        }
    }
    if let Some((x, y)) = com {
        let (x, y) = ((x as f32 * scale) as i32, (y as f32 * scale) as i32);
        draw_filled_circle_mut(img, (x, y), 7, TEXT);
        draw_filled_circle_mut(img, (x, y), 5, COM);
    }
}

/// The top caption of a frame: its number and time, and the jump and phase it is in, from
/// the same phase model as the app's timeline.
fn top_caption(pose: &PoseFrame, jumps: &[Jump], phases: &[PhaseBand]) -> String {
    let mut top = format!("frame {}  {:.3} s", pose.index, pose.time_s);
    let current = band_at(phases, pose.time_s);
    if let Some((j, band)) = current.and_then(|b| jumps.get(b.jump).map(|j| (j, b))) {
        write!(
            top,
            "   jump {} · {} · {}",
            j.index,
            j.kind.name().to_uppercase(),
            band.phase.label()
        )
        .ok();
    }
    top
}

/// Frame, time and the current jump's phase on top; the event name on its frame.
fn draw_top_bar(
    img: &mut RgbaImage,
    font: &FontRef<'_>,
    pose: &PoseFrame,
    jumps: &[Jump],
    phases: &[PhaseBand],
    text_px: f32,
) {
    let (w, h) = (img.width(), img.height());
    let bar = (text_px * 1.6) as u32;
    draw_filled_rect_mut(img, Rect::at(0, 0).of_size(w, bar), PANEL);
    let top = top_caption(pose, jumps, phases);
    let y = (text_px * 0.3) as i32;
    draw_text_mut(img, TEXT, 6, y, PxScale::from(text_px), font, &top);
    // Event flash on the frame at or right after takeoff/landing.
    for j in jumps {
        for (event, frame) in [
            (EventId::Takeoff, j.takeoff_frame),
            (EventId::Landing, j.landing_frame),
        ] {
            if pose.index == frame || pose.index == frame + 1 {
                let y = (h as f32 * 0.45) as i32;
                let scale = PxScale::from(text_px * 1.6);
                let name = event.spec().label.to_uppercase();
                draw_text_mut(img, HIGHLIGHT, 10, y, scale, font, &name);
            }
        }
    }
}

/// A jump's kind and key numbers along the bottom.
fn draw_bottom_bar(img: &mut RgbaImage, font: &FontRef<'_>, j: &Jump, text_px: f32) {
    let (w, h) = (img.width(), img.height());
    let bar = (text_px * 1.6) as u32;
    let line = super::summary(j);
    let top = h.saturating_sub(bar) as i32;
    draw_filled_rect_mut(img, Rect::at(0, top).of_size(w, bar), PANEL);
    let y = top + (text_px * 0.3) as i32;
    draw_text_mut(img, TEXT, 6, y, PxScale::from(text_px), font, &line);
}

/// Writes the overlay video of an analysed clip to `out` (atomically: a temporary file in the
/// same folder is renamed at the end, so a failure leaves any previous file intact).
///
/// # Errors
/// [`VideoError`] when decoding or encoding fails; cancellation returns `Ok(false)`.
pub fn export_overlay(
    v: &VideoAnalysis,
    out: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<bool, VideoError> {
    let fail = |e: &dyn std::fmt::Display| VideoError::Encode {
        path: out.to_path_buf(),
        reason: e.to_string(),
    };
    let font = FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR).map_err(|e| fail(&e))?;
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".hangtime-")
        .suffix(".mp4")
        .tempfile_in(dir)
        .map_err(|e| fail(&e))?;
    let (w, h) = export_size(v.info.width, v.info.height, MAX_LONG_EDGE);
    let scale = w as f32 / v.info.width as f32;
    let mut encoder = VideoEncoder::create(tmp.path(), w, h, v.info.measured_fps)?;
    let mut decoder = VideoDecoder::open(&v.info.path, DecodeOptions::default())?;
    let map = Affine::scale_translate(1.0 / scale, 0.0, 0.0);
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    let total = v.poses.len();
    let signals = &v.analysis.signals;
    let phases = bands(&v.analysis.jumps, clip_end(&signals.t));
    while let Some(frame) = decoder.next_frame()? {
        if cancel.load(Ordering::Relaxed) {
            return Ok(false);
        }
        frame
            .image()
            .sample_rgba(&map, w as usize, h as usize, &mut rgba);
        let mut img = RgbaImage::from_raw(w, h, std::mem::take(&mut rgba))
            .ok_or_else(|| fail(&"frame buffer size"))?;
        if let Some(pose) = v.poses.get(frame.index) {
            let com = signals
                .com_x
                .get(frame.index)
                .zip(signals.com_y.get(frame.index))
                .map(|(x, y)| (*x, *y))
                .filter(|(x, y)| x.is_finite() && y.is_finite());
            draw_overlay(
                &mut img,
                &font,
                pose,
                &v.analysis.jumps,
                &phases,
                com,
                scale,
            );
        }
        encoder.push(img.as_raw(), frame.time_s)?;
        rgba = img.into_raw();
        progress(frame.index + 1, total);
    }
    encoder.finish()?;
    tmp.persist(out).map_err(|e| fail(&e.error))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Event, JumpKind, Phase, Quality};

    fn jump(index: usize, events: &[(EventId, f64)]) -> Jump {
        Jump {
            index,
            kind: JumpKind::Cmj,
            takeoff_frame: 0,
            landing_frame: 0,
            events: events
                .iter()
                .map(|&(id, time_s)| Event {
                    id,
                    time_s,
                    frame: 0,
                })
                .collect(),
            metrics: Vec::new(),
            quality: Quality::default(),
            detected_edges: None,
        }
    }

    #[test]
    fn the_video_names_the_phases_the_app_shows() {
        let jumps = [
            jump(
                1,
                &[
                    (EventId::MovementOnset, 1.0),
                    (EventId::BrakingStart, 1.2),
                    (EventId::LowestPoint, 1.4),
                    (EventId::Takeoff, 1.7),
                    (EventId::Landing, 2.3),
                ],
            ),
            jump(
                2,
                &[
                    (EventId::ContactStart, 2.3),
                    (EventId::LowestPoint, 2.6),
                    (EventId::Takeoff, 2.9),
                    (EventId::Landing, 3.5),
                ],
            ),
        ];
        let phases = bands(&jumps, 5.0);
        let mut seen = Vec::new();
        for k in 0..500 {
            let pose = PoseFrame::untracked(k, f64::from(k as u32) * 0.01, false);
            let caption = top_caption(&pose, &jumps, &phases);
            match band_at(&phases, pose.time_s) {
                Some(b) => {
                    let expected = format!("jump {} · CMJ · {}", b.jump + 1, b.phase.label());
                    assert!(caption.ends_with(&expected), "{caption} at {}", pose.time_s);
                    seen.push(b.phase);
                }
                None => assert!(!caption.contains("jump"), "{caption}"),
            }
        }
        for phase in [
            Phase::Standing,
            Phase::Unweighting,
            Phase::Contact,
            Phase::Flight,
        ] {
            assert!(seen.contains(&phase), "{phase:?} never shown");
        }
    }
}
