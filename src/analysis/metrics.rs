//! Metrics per jump, named by the catalogue.

use super::catalogue::{EventId, Interval, MetricId};
use super::flights::G;
use super::frames::frame_at_or_after as index_at;
use super::jumps::{Candidate, contact_time};
use super::signals::Signals;
use super::{JumpKind, Metric, joint_angles};
use crate::pose::PoseFrame;

/// Computes every metric the jump's kind and data allow. `px_per_m` converts pixel
/// distances to metres; metrics needing it are left out without it.
pub fn compute(
    c: &Candidate,
    s: &Signals,
    poses: &[PoseFrame],
    px_per_m: Option<f64>,
) -> Vec<Metric> {
    let mut m: Vec<Metric> = Vec::new();
    let mut put = |id: MetricId, value: f64| {
        if value.is_finite() {
            m.push(Metric {
                id,
                value,
                interval: None,
            });
        }
    };
    let f = &c.flight;
    let flight = f.duration_s();
    let height_flight = G * flight * flight / 8.0;
    put(MetricId::JumpHeight, height_flight);
    put(MetricId::FlightTime, flight);
    // Time from takeoff to apex gives the takeoff velocity without the landing posture (only
    // when the apex comes after the takeoff, as a corrected takeoff may not leave it).
    if f.apex_s > f.takeoff_s {
        let v_takeoff = G * (f.apex_s - f.takeoff_s);
        let height_velocity = v_takeoff * v_takeoff / (2.0 * G);
        put(MetricId::TakeoffVelocity, v_takeoff);
        put(MetricId::JumpHeightVelocity, height_velocity);
        put(
            MetricId::JumpHeightDifference,
            height_flight - height_velocity,
        );
    }

    let ev = |id: EventId| c.event(id);
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
    if let Some(onset) = ev(EventId::MovementOnset).or(ev(EventId::PushStart)) {
        put(MetricId::TimeToTakeoff, f.takeoff_s - onset);
        if c.kind == JumpKind::Cmj {
            put(MetricId::RsiModified, height_flight / (f.takeoff_s - onset));
        }
    }
    if let Some(low) = ev(EventId::LowestPoint) {
        put(MetricId::ConcentricDuration, f.takeoff_s - low);
    }
    if let (Some(onset), Some(low)) = (ev(EventId::MovementOnset), ev(EventId::LowestPoint)) {
        put(MetricId::EccentricDuration, low - onset);
        if let Some(b) = ev(EventId::BrakingStart) {
            put(MetricId::UnweightingDuration, b - onset);
            put(MetricId::BrakingDuration, low - b);
        }
        if let Some(scale) = px_per_m {
            let standing: Vec<f64> = (at(onset - 0.3)..=at(onset))
                .filter_map(|k| y.get(k).copied())
                .filter(|x| x.is_finite())
                .collect();
            if !standing.is_empty() {
                let stand = standing.iter().sum::<f64>() / standing.len() as f64;
                put(MetricId::CountermovementDepth, (y[at(low)] - stand) / scale);
            }
            put(
                MetricId::PeakEccentricVelocity,
                window_max(onset, low, 1.0) / scale,
            );
            put(
                MetricId::PeakConcentricVelocity,
                window_max(low, f.takeoff_s, -1.0) / scale,
            );
        }
    } else if let (Some(push), Some(scale)) = (ev(EventId::PushStart), px_per_m) {
        put(
            MetricId::PeakConcentricVelocity,
            window_max(push, f.takeoff_s, -1.0) / scale,
        );
    }
    if let Some(push) = ev(EventId::PushStart) {
        put(MetricId::ConcentricDuration, f.takeoff_s - push);
    }
    if let Some((start, end)) = c.contact_s.or_else(|| contact_time(c)) {
        let contact = end - start;
        put(MetricId::GroundContactTime, contact);
        put(MetricId::Rsi, height_flight / contact);
    }
    m.extend(angle_metrics(c, s, poses));
    // Catalogue order; the first value wins when two routes gave the same metric.
    m.sort_by_key(|x| x.id);
    m.dedup_by_key(|x| x.id);
    add_intervals(&mut m, c, s);
    m
}

/// z of a two-sided 95 % interval.
const Z95: f64 = 1.96;
/// What an edge's fit cannot see (the toe's posture change, blur) as a share of the frame
/// interval, added to the fit's own standard error.
const EDGE_MODEL_FRAMES: f64 = 0.0;
/// Share of the two height methods' disagreement taken as one standard deviation of height.
const METHOD_DISAGREEMENT_SHARE: f64 = 0.1;
/// Share of the curvature-moved flight time counted in the flight-time σ: part of that
/// movement is already in the edges' own profile σ (calibrated on 1 000 synthetic jumps).
const FLIGHT_CURVATURE_SHARE: f64 = 0.85;
/// Share of the two curvature movements beside a contact counted in its σ (calibrated the
/// same way: the contact's edges are fitted with the same parabolas).
const CONTACT_CURVATURE_SHARE: f64 = 0.85;

/// An edge's standard error: its fit's, and what the fit cannot see.
fn edge_sigma(fit_sigma: f64, frame_s: f64) -> f64 {
    let fit = if fit_sigma.is_finite() {
        fit_sigma
    } else {
        // Unknown: the event is somewhere between two frames.
        frame_s / 12f64.sqrt()
    };
    fit.hypot(EDGE_MODEL_FRAMES * frame_s)
}

/// 95 % intervals for the metrics the catalogue gives one, from the edges' standard errors
/// (their fits' residuals and the frame interval) and the disagreement of the two heights.
fn add_intervals(m: &mut [Metric], c: &Candidate, s: &Signals) {
    let frame_s = super::median_frame_interval(&s.t);
    let f = &c.flight;
    let takeoff = edge_sigma(f.takeoff_sigma_s, frame_s);
    let landing = edge_sigma(f.landing_sigma_s, frame_s);
    let contact_start = edge_sigma(c.contact_start_sigma_s, frame_s);
    let value = |m: &[Metric], id: MetricId| m.iter().find(|x| x.id == id).map(|x| x.value);
    let flight = f.duration_s();
    // Height disagreement in flight-time terms: dh/dT = g·T/4.
    let disagreement = value(m, MetricId::JumpHeightDifference).map_or(0.0, |d| {
        METHOD_DISAGREEMENT_SHARE * d.abs() / (G * flight / 4.0).max(1e-9)
    });
    let known = |v: f64| if v.is_finite() { v } else { 0.0 };
    let curvature = FLIGHT_CURVATURE_SHARE * known(f.curvature_sigma_s);
    let flight_sigma = takeoff.hypot(landing).hypot(disagreement).hypot(curvature);
    // A curvature error moves the edges of a flight in opposite directions, the landing before
    // a contact and the takeoff after it both lengthening (or shortening) it.
    // A curvature error moves the edges of a flight in opposite directions, the landing before
    // a contact and the takeoff after it both lengthening (or shortening) it.
    let contact_curvature =
        CONTACT_CURVATURE_SHARE * curvature.hypot(known(c.contact_start_curvature_s));
    let contact = value(m, MetricId::GroundContactTime);
    let bounds = |centre: f64, half: f64| Interval {
        low: centre - half,
        high: centre + half,
    };
    for metric in m.iter_mut() {
        metric.interval = match metric.id {
            MetricId::FlightTime => Some(bounds(flight, Z95 * flight_sigma)),
            MetricId::JumpHeight => {
                let (lo, hi) = (
                    (flight - Z95 * flight_sigma).max(0.0),
                    flight + Z95 * flight_sigma,
                );
                Some(Interval {
                    low: G * lo * lo / 8.0,
                    high: G * hi * hi / 8.0,
                })
            }
            MetricId::GroundContactTime => Some(bounds(
                metric.value,
                Z95 * contact_start.hypot(takeoff).hypot(contact_curvature),
            )),
            MetricId::Rsi => contact.map(|contact| {
                // RSI = g·T²/(8·C) with T = landing − takeoff, C = takeoff − contact start.
                // A steeper parabola shortens the flight and lengthens the contact: both lower
                // RSI, so the two curvature parts add.
                let relative = ((2.0 / flight) * landing)
                    .hypot((2.0 / flight + 1.0 / contact) * takeoff)
                    .hypot(contact_start / contact)
                    .hypot(2.0 * curvature / flight + contact_curvature / contact);
                bounds(metric.value, Z95 * relative * metric.value)
            }),
            _ => None,
        }
        .filter(|ci| ci.low.is_finite() && ci.high.is_finite());
    }
}

/// Hip, knee and ankle angles at the lowest point (or the push start) and at takeoff.
fn angle_metrics(c: &Candidate, s: &Signals, poses: &[PoseFrame]) -> Vec<Metric> {
    let angles_at = |t: f64| {
        poses
            .get(index_at(&s.t, t))
            .filter(|p| p.tracked)
            .and_then(|p| joint_angles(&p.landmarks))
    };
    let lowest = c
        .event(EventId::LowestPoint)
        .or(c.event(EventId::PushStart))
        .and_then(angles_at);
    // The last contact frame shows the takeoff posture.
    let takeoff =
        s.t.get(c.flight.first_airborne.saturating_sub(1))
            .and_then(|&t| angles_at(t));
    let metric = |id, value: f64| {
        value.is_finite().then_some(Metric {
            id,
            value,
            interval: None,
        })
    };
    let mut out = Vec::new();
    if let Some(a) = lowest {
        out.extend(metric(MetricId::HipAngleLowest, a.hip));
        out.extend(metric(MetricId::KneeAngleLowest, a.knee));
        out.extend(metric(MetricId::AnkleAngleLowest, a.ankle));
    }
    if let Some(a) = takeoff {
        out.extend(metric(MetricId::HipAngleTakeoff, a.hip));
        out.extend(metric(MetricId::KneeAngleTakeoff, a.knee));
        out.extend(metric(MetricId::AnkleAngleTakeoff, a.ankle));
    }
    out
}
