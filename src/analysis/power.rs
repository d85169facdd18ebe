//! Power estimates that need the athlete's body mass, which the video cannot see: they are
//! computed where a body mass is known (a session in the database), never by the analysis of
//! a clip alone.

use super::catalogue::MetricId;
use super::{JumpKind, Metric};

/// Peak power in watts by the Sayers et al. (1999) equation, P = 60.7·h[cm] + 45.3·m[kg] − 2055,
/// from the flight-time jump height in metres and the body mass in kilograms; `None` when the
/// inputs are not positive finite numbers or the estimate is not positive (light, low jumps
/// fall outside the sample the equation was fitted on).
pub fn sayers_peak_power_w(jump_height_m: f64, body_mass_kg: f64) -> Option<f64> {
    if !(jump_height_m.is_finite() && body_mass_kg.is_finite())
        || jump_height_m <= 0.0
        || body_mass_kg <= 0.0
    {
        return None;
    }
    let power = 60.7 * (jump_height_m * 100.0) + 45.3 * body_mass_kg - 2055.0;
    (power > 0.0).then_some(power)
}

/// The metrics a jump gains from a known body mass: the Sayers peak power and the same per
/// kilogram, for the jump kinds the catalogue gives them; empty when the jump has no
/// flight-time height or the estimate is not positive.
pub fn body_mass_metrics(kind: JumpKind, metrics: &[Metric], body_mass_kg: f64) -> Vec<Metric> {
    if !MetricId::PeakPowerSayers.spec().applies_to(kind) {
        return Vec::new();
    }
    let Some(height) = metrics
        .iter()
        .find(|m| m.id == MetricId::JumpHeight)
        .map(|m| m.value)
    else {
        return Vec::new();
    };
    let Some(power) = sayers_peak_power_w(height, body_mass_kg) else {
        return Vec::new();
    };
    vec![
        Metric {
            id: MetricId::PeakPowerSayers,
            value: power,
            interval: None,
        },
        Metric {
            id: MetricId::PeakPowerPerKgSayers,
            value: power / body_mass_kg,
            interval: None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_centimetres_at_seventy_five_kilograms() {
        let power = sayers_peak_power_w(0.40, 75.0).unwrap();
        assert!((power - 3770.5).abs() < 1e-9, "{power}");
        let metrics = [Metric {
            id: MetricId::JumpHeight,
            value: 0.40,
            interval: None,
        }];
        let derived = body_mass_metrics(JumpKind::Cmj, &metrics, 75.0);
        assert_eq!(derived.len(), 2);
        assert_eq!(derived[0].id, MetricId::PeakPowerSayers);
        assert!((derived[0].value - 3770.5).abs() < 1e-9);
        assert_eq!(derived[1].id, MetricId::PeakPowerPerKgSayers);
        assert_eq!(
            MetricId::PeakPowerPerKgSayers
                .spec()
                .format(derived[1].value),
            "50.3 W/kg"
        );
    }

    #[test]
    fn nothing_when_the_estimate_is_not_positive_or_the_kind_has_none() {
        // 10 cm at 20 kg: 607 + 906 − 2055 < 0.
        assert_eq!(sayers_peak_power_w(0.10, 20.0), None);
        assert_eq!(sayers_peak_power_w(0.40, 0.0), None);
        assert_eq!(sayers_peak_power_w(f64::NAN, 75.0), None);
        let metrics = [Metric {
            id: MetricId::JumpHeight,
            value: 0.10,
            interval: None,
        }];
        assert!(body_mass_metrics(JumpKind::Sj, &metrics, 20.0).is_empty());
        let high = [Metric {
            id: MetricId::JumpHeight,
            value: 0.40,
            interval: None,
        }];
        assert_eq!(body_mass_metrics(JumpKind::Sj, &high, 75.0).len(), 2);
        assert!(body_mass_metrics(JumpKind::Dj, &high, 75.0).is_empty());
        assert!(body_mass_metrics(JumpKind::Cmj, &[], 75.0).is_empty());
    }
}
