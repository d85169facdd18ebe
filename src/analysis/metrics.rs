//! Metrics per jump, with units in their names.

use super::flights::G;
use super::jumps::{Candidate, contact_time};
use super::signals::Signals;
use super::{JumpKind, Metric, joint_angles};
use crate::pose::PoseFrame;

fn index_at(t: &[f64], time: f64) -> usize {
    t.partition_point(|&x| x < time)
        .min(t.len().saturating_sub(1))
}

/// Computes every metric the jump's kind and data allow. `px_per_m` converts pixel
/// distances to metres; metrics needing it are left out without it.
pub fn compute(
    c: &Candidate,
    s: &Signals,
    poses: &[PoseFrame],
    px_per_m: Option<f64>,
) -> Vec<Metric> {
    let mut m: Vec<Metric> = Vec::new();
    let mut put = |name: &str, value: f64| {
        if value.is_finite() {
            m.push(Metric {
                name: name.to_owned(),
                value,
            });
        }
    };
    let f = &c.flight;
    let flight = f.duration_s();
    let height_flight = G * flight * flight / 8.0;
    put("jump_height_m", height_flight);
    put("flight_time_s", flight);
    // Time from takeoff to apex gives the takeoff velocity without the landing posture.
    let v_takeoff = G * (f.apex_s - f.takeoff_s);
    let height_velocity = v_takeoff * v_takeoff / (2.0 * G);
    put("takeoff_velocity_m_s", v_takeoff);
    put("jump_height_velocity_m", height_velocity);
    put("jump_height_difference_m", height_flight - height_velocity);

    let ev = |name: &str| c.event(name);
    let y = &s.com.value;
    let v = &s.com.d1;
    let at = |t: f64| index_at(&s.t, t);
    let window_max = |a: f64, b: f64, sign: f64| -> f64 {
        (at(a)..=at(b))
            .filter_map(|k| v.get(k).copied())
            .filter(|x| x.is_finite())
            .map(|x| x * sign)
            .fold(f64::NAN, f64::max)
    };
    if let Some(onset) = ev("movement_onset").or(ev("push_start")) {
        put("time_to_takeoff_s", f.takeoff_s - onset);
        if c.kind == JumpKind::Cmj {
            put("rsi_modified", height_flight / (f.takeoff_s - onset));
        }
    }
    if let Some(low) = ev("lowest_point") {
        put("concentric_duration_s", f.takeoff_s - low);
    }
    if let (Some(onset), Some(low)) = (ev("movement_onset"), ev("lowest_point")) {
        put("eccentric_duration_s", low - onset);
        if let Some(b) = ev("braking_start") {
            put("unweighting_duration_s", b - onset);
            put("braking_duration_s", low - b);
        }
        if let Some(scale) = px_per_m {
            let standing: Vec<f64> = (at(onset - 0.3)..=at(onset))
                .filter_map(|k| y.get(k).copied())
                .filter(|x| x.is_finite())
                .collect();
            if !standing.is_empty() {
                let stand = standing.iter().sum::<f64>() / standing.len() as f64;
                put("countermovement_depth_m", (y[at(low)] - stand) / scale);
            }
            put(
                "peak_eccentric_velocity_m_s",
                window_max(onset, low, 1.0) / scale,
            );
            put(
                "peak_concentric_velocity_m_s",
                window_max(low, f.takeoff_s, -1.0) / scale,
            );
        }
    } else if let (Some(push), Some(scale)) = (ev("push_start"), px_per_m) {
        put(
            "peak_concentric_velocity_m_s",
            window_max(push, f.takeoff_s, -1.0) / scale,
        );
    }
    if let Some(push) = ev("push_start") {
        put("concentric_duration_s", f.takeoff_s - push);
    }
    if let Some((start, end)) = c.contact_s.or_else(|| contact_time(c)) {
        let contact = end - start;
        put("ground_contact_time_s", contact);
        put("rsi", height_flight / contact);
    }
    let angles_at = |t: f64| {
        let k = at(t);
        poses
            .get(k)
            .filter(|p| p.tracked)
            .and_then(|p| joint_angles(&p.landmarks))
    };
    if let Some(a) = ev("lowest_point").or(ev("push_start")).and_then(angles_at) {
        put("hip_angle_lowest_deg", a.hip);
        put("knee_angle_lowest_deg", a.knee);
        put("ankle_angle_lowest_deg", a.ankle);
    }
    // The last contact frame shows the takeoff posture.
    if let Some(a) = angles_at(s.t[f.first_airborne.saturating_sub(1)]) {
        put("hip_angle_takeoff_deg", a.hip);
        put("knee_angle_takeoff_deg", a.knee);
        put("ankle_angle_takeoff_deg", a.ankle);
    }
    m
}
