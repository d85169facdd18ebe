//! Quality score and plain-language warnings, per jump and per clip.

use super::catalogue::EventId;
use super::flights::{Flight, UNTRUSTED_FIT_SHARE};
use super::frames::frame_at_or_after;
use super::jumps::{Candidate, scale_is_plausible};
use super::signals::Signals;
use super::{ClipFacts, JumpKind, Metric};

fn mean_over(values: &[f64], a: usize, b: usize) -> f64 {
    let v: Vec<f64> = values
        .get(a..=b.min(values.len().saturating_sub(1)))
        .unwrap_or_default()
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Scores one jump and explains what limits it.
pub fn assess(
    c: &Candidate,
    s: &Signals,
    facts: &ClipFacts,
    metrics: &[Metric],
    px_per_m: Option<f64>,
) -> super::Quality {
    let mut warnings: Vec<String> = c.doubt.iter().cloned().collect();
    let f = &c.flight;
    let start_t = c.events.first().map_or(f.takeoff_s - 1.0, |e| e.1);
    let a = frame_at_or_after(&s.t, start_t - 0.2);
    let b = (f.last_airborne + 3).min(s.t.len().saturating_sub(1));
    let visibility = mean_over(&s.leg_visibility, a, b);
    let tracked = s.tracked.get(a..=b).map_or(0.0, |v| {
        v.iter().filter(|x| **x).count() as f64 / v.len().max(1) as f64
    });
    if visibility < 0.6 {
        warnings.push(format!(
            "The legs and feet are poorly visible (mean visibility {:.0} %): events may be off by a frame or more.",
            visibility * 100.0
        ));
    }
    if tracked < 0.95 {
        warnings.push(format!(
            "The athlete was lost in {:.0} % of the frames around this jump.",
            (1.0 - tracked) * 100.0
        ));
    }
    if c.kind == super::JumpKind::Cmj && c.event(EventId::ContactStart).is_some() {
        warnings.push(
            "This jump went straight on from the previous landing without standing still: \
             its contact time and RSI are given instead of movement onset and phase durations."
                .to_owned(),
        );
    }
    let frame_ms = 1000.0 / facts.fps.max(1.0);
    let fps_score = if facts.fps >= 100.0 {
        1.0
    } else if facts.fps >= 50.0 {
        0.9
    } else if facts.fps >= 29.0 {
        0.75
    } else {
        0.5
    };
    if facts.fps < 50.0 {
        warnings.push(format!(
            "Filmed at {:.0} fps ({frame_ms:.0} ms per frame): takeoff and landing are interpolated between frames; 60 fps or more is better.",
            facts.fps
        ));
    }
    let fit_score = match (f.parabola, s.leg_length_px.is_finite()) {
        (Some(_), true) if f.fit_rms_px.is_finite() => {
            (1.0 - f.fit_rms_px / (UNTRUSTED_FIT_SHARE * s.leg_length_px)).clamp(0.0, 1.0)
        }
        _ => 0.3,
    };
    let off_gravity = f.px_per_m.is_some()
        && !scale_is_plausible(f, s)
        && f.last_airborne - f.first_airborne >= 5;
    if off_gravity {
        warnings.push(
            "The flight does not fall at the rate of gravity: the clip may be slow motion, have a wrong time base, or the camera moved."
                .to_owned(),
        );
    }
    warnings.extend(timing_and_scale_warnings(f, px_per_m));
    let (before, after) = f.ground_y;
    if c.kind != JumpKind::Dj && (after - before).abs() > 0.08 * s.leg_length_px {
        warnings.push(
            "The ground line moved between takeoff and landing: the camera may be moving."
                .to_owned(),
        );
    }
    let mut implausible = false;
    for m in metrics {
        let spec = m.id.spec();
        if let Some((lo, hi)) = spec.plausible_range(c.kind)
            && !(lo..=hi).contains(&m.value)
        {
            implausible = true;
            warnings.push(format!(
                "{} of {} is outside the usual range {}–{} for a {}.",
                spec.label,
                spec.format(m.value),
                spec.format_number(lo),
                spec.format(hi),
                c.kind.label().to_lowercase()
            ));
        }
    }
    let score =
        (0.35 * visibility.clamp(0.0, 1.0) + 0.2 * tracked + 0.2 * fps_score + 0.25 * fit_score)
            * if implausible || off_gravity || c.doubt.is_some() {
                0.6
            } else {
                1.0
            };
    super::Quality {
        score: (score * 100.0).round() / 100.0,
        warnings,
    }
}

/// Warnings that concern the whole clip.
pub fn clip_warnings(s: &Signals, facts: &ClipFacts, notes: &[String]) -> Vec<String> {
    let mut w: Vec<String> = notes.to_vec();
    if facts.vfr {
        w.push("Variable frame rate: real frame timestamps are used, but the timing between frames is uneven.".to_owned());
    }
    let tracked = s.tracked.iter().filter(|x| **x).count();
    if tracked == 0 {
        w.push("No person was found in the video.".to_owned());
    } else if tracked * 10 < s.tracked.len() * 9 {
        w.push(format!(
            "The athlete was tracked in only {tracked} of {} frames.",
            s.tracked.len()
        ));
    }
    if s.feet_cut_off * 10 > tracked.max(1) {
        w.push(format!(
            "The feet are outside the picture in {} of {tracked} frames: film the whole body, feet included, or flights cannot be seen.",
            s.feet_cut_off
        ));
    }
    if s.camera_motion_px > 0.0 || s.camera_zoom > 0.0 {
        let zoom = if s.camera_zoom > 0.005 {
            format!(" and zoomed by up to {:.0} %", 100.0 * s.camera_zoom)
        } else {
            String::new()
        };
        w.push(format!(
            "The camera moved: the background shifted by up to {:.0} px up or down{zoom}, and positions are measured against it.",
            s.camera_motion_px
        ));
    }
    if s.upside_down {
        w.push("The athlete appears upside down: check the video's orientation.".to_owned());
    }
    if s.outliers > s.t.len() / 20 {
        w.push(format!(
            "{} implausible landmark positions were discarded.",
            s.outliers
        ));
    }
    w
}

/// What a flight's timing and scale could not rely on.
fn timing_and_scale_warnings(f: &Flight, px_per_m: Option<f64>) -> Vec<String> {
    let mut warnings = Vec::new();
    if f.toes_only {
        warnings.push(
            "The centre of mass could not be followed through the flight (part of the body was out of the picture or hidden): takeoff and landing are timed from the toes alone, to about half a frame."
                .to_owned(),
        );
    }
    if px_per_m.is_none() {
        warnings
            .push("No reliable scale: depths and velocities in metres are left out.".to_owned());
    }
    warnings
}
