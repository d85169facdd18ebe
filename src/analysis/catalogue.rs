//! The catalogue: every metric and event Hangtime reports, defined once.
//!
//! A metric's key is a stable contract shared by the JSON report, the CSV, the metrics table,
//! the overlay video, the quality checks and (later) the database. Nothing outside this file
//! spells a metric or event key: code names a metric by its [`MetricId`] and asks the
//! catalogue for its key, label, unit, headers, precision, plausible range and definition.
//!
//! Renaming a key keeps the old one in `former_keys` (so older reports still read) and gets a
//! CHANGELOG line.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::JumpKind;

/// Version of the JSON report's shape; bumped whenever a field is added, renamed or changes
/// meaning (see CHANGELOG.md).
pub const SCHEMA_VERSION: u32 = 2;

/// The SI unit a metric's value is stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Metres.
    Metre,
    /// Seconds.
    Second,
    /// Metres per second.
    MetrePerSecond,
    /// Degrees of angle.
    Degree,
    /// A ratio without unit.
    Ratio,
    /// Watts.
    Watt,
    /// Watts per kilogram of body mass.
    WattPerKilogram,
}

impl Unit {
    /// The unit's symbol as stored ("" for a ratio).
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Metre => "m",
            Self::Second => "s",
            Self::MetrePerSecond => "m/s",
            Self::Degree => "°",
            Self::Ratio => "",
            Self::Watt => "W",
            Self::WattPerKilogram => "W/kg",
        }
    }
}

/// How a value is shown to a person: in which unit and to how many decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Display {
    /// Unit symbol shown ("cm", "ms", "" for a ratio).
    pub symbol: &'static str,
    /// Shown value = stored value × `scale`.
    pub scale: f64,
    /// Decimals shown.
    pub decimals: usize,
}

/// What a metric needs beyond the tracked poses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A pixel-to-metre scale (from the flight parabola).
    Scale,
    /// A side (sagittal) view of the athlete.
    SideView,
    /// A movement onset before the jump (a standing start).
    StandingStart,
    /// A ground contact before the flight (a drop or a rebound).
    PriorContact,
    /// The athlete's body mass.
    BodyMass,
}

impl Need {
    /// Plain words for docs.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Scale => "a pixel-to-metre scale from the flight",
            Self::SideView => "a side view",
            Self::StandingStart => "a standing start",
            Self::PriorContact => "a ground contact before the flight",
            Self::BodyMass => "the body mass",
        }
    }
}

/// A plausible range for some jump kinds (from `science-anchors.md` §5 and physics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plausible {
    /// Kinds the range applies to.
    pub kinds: &'static [JumpKind],
    /// Lowest plausible value (stored unit).
    pub low: f64,
    /// Highest plausible value (stored unit).
    pub high: f64,
}

/// Everything known about one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricSpec {
    /// Which metric.
    pub id: MetricId,
    /// JSON key, CSV header and database key; the stored unit is part of it.
    pub key: &'static str,
    /// Keys this metric had before a rename; still accepted when reading.
    pub former_keys: &'static [&'static str],
    /// Name a coach reads.
    pub label: &'static str,
    /// One word for one-line summaries ("height").
    pub short: &'static str,
    /// Unit of the stored value.
    pub unit: Unit,
    /// How it is shown.
    pub display: Display,
    /// Force-plate style header, `Metric (Method) [unit]` in the display unit.
    pub field_header: &'static str,
    /// Jump kinds it is computed for.
    pub kinds: &'static [JumpKind],
    /// Plausible ranges per kind; a value outside is flagged.
    pub plausible: &'static [Plausible],
    /// Whether it is reported with a 95 % interval.
    pub uncertainty: bool,
    /// What it needs beyond the poses.
    pub needs: &'static [Need],
    /// One-line definition.
    pub definition: &'static str,
}

impl MetricSpec {
    /// Header of its column in the standard CSV (the key: stable, unit in the name).
    pub fn csv_header(&self) -> &'static str {
        self.key
    }

    /// A stored value in the display unit.
    pub fn to_display(&self, value: f64) -> f64 {
        value * self.display.scale
    }

    /// A stored value formatted for display without its unit ("50.9").
    pub fn format_number(&self, value: f64) -> String {
        format!("{:.*}", self.display.decimals, self.to_display(value))
    }

    /// A stored value formatted with its unit ("50.9 cm", "0.58").
    pub fn format(&self, value: f64) -> String {
        let number = self.format_number(value);
        match self.display.symbol {
            "" => number,
            "°" => format!("{number}°"),
            unit => format!("{number} {unit}"),
        }
    }

    /// A value with its 95 % interval without the unit, for a column that names it: "45.0 ± 1.2"
    /// (the value alone when it has no interval).
    pub fn format_number_with_interval(&self, value: f64, interval: Option<Interval>) -> String {
        match interval {
            Some(ci) => format!(
                "{} ± {:.*}",
                self.format_number(value),
                self.display.decimals,
                self.to_display(ci.half_width(value))
            ),
            None => self.format_number(value),
        }
    }

    /// A value with its 95 % interval as a person reads it: "45.0 ± 1.2 cm" (the larger
    /// half-width when the interval is not symmetric).
    pub fn format_with_interval(&self, value: f64, interval: Option<Interval>) -> String {
        let Some(ci) = interval else {
            return self.format(value);
        };
        let half = ci.half_width(value) * self.display.scale;
        let number = self.format_number(value);
        let half = format!("{half:.*}", self.display.decimals);
        match self.display.symbol {
            "" => format!("{number} ± {half}"),
            "°" => format!("{number} ± {half}°"),
            unit => format!("{number} ± {half} {unit}"),
        }
    }

    /// Whether it is computed for jumps of `kind`.
    pub fn applies_to(&self, kind: JumpKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The plausible range for `kind`, if one is set.
    pub fn plausible_range(&self, kind: JumpKind) -> Option<(f64, f64)> {
        self.plausible
            .iter()
            .find(|p| p.kinds.contains(&kind))
            .map(|p| (p.low, p.high))
    }

    /// Whether it needs `need`.
    pub fn needs(&self, need: Need) -> bool {
        self.needs.contains(&need)
    }

    /// Headers of the columns holding its 95 % interval's bounds: `<key>_ci95_low` / `_high`
    /// in the standard CSV, `<Metric (Method)> 95% CI Low [unit]` / `High` in the field style.
    pub fn interval_headers(&self, field_style: bool) -> [String; 2] {
        if !field_style {
            return [
                format!("{}_ci95_low", self.key),
                format!("{}_ci95_high", self.key),
            ];
        }
        let (name, unit) = match self.field_header.rsplit_once(" [") {
            Some((name, unit)) => (name, format!(" [{unit}")),
            None => (self.field_header, String::new()),
        };
        [
            format!("{name} 95% CI Low{unit}"),
            format!("{name} 95% CI High{unit}"),
        ]
    }
}

/// A 95 % interval around a value, in the value's stored unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// The larger distance from `value` to a bound.
    pub fn half_width(&self, value: f64) -> f64 {
        (value - self.low).max(self.high - value)
    }

    /// Whether `x` lies inside.
    pub fn contains(&self, x: f64) -> bool {
        (self.low..=self.high).contains(&x)
    }
}

macro_rules! ids {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),*
        }

        impl $name {
            /// Every value, in catalogue order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];
        }
    };
}

ids! {
    /// A metric, by identity; its key and everything else come from [`MetricId::spec`].
    MetricId {
        /// Jump height from flight time.
        JumpHeight,
        /// Flight time.
        FlightTime,
        /// Takeoff velocity from the time to apex.
        TakeoffVelocity,
        /// Jump height from the takeoff velocity.
        JumpHeightVelocity,
        /// Difference of the two heights.
        JumpHeightDifference,
        /// Ground contact before the flight.
        GroundContactTime,
        /// Reactive strength index.
        Rsi,
        /// Modified reactive strength index.
        RsiModified,
        /// Movement onset to takeoff.
        TimeToTakeoff,
        /// Onset to lowest point.
        EccentricDuration,
        /// Lowest point (or push start) to takeoff.
        ConcentricDuration,
        /// Onset to peak downward velocity.
        UnweightingDuration,
        /// Peak downward velocity to lowest point.
        BrakingDuration,
        /// Standing to lowest centre of mass.
        CountermovementDepth,
        /// Peak downward centre-of-mass velocity.
        PeakEccentricVelocity,
        /// Peak upward centre-of-mass velocity.
        PeakConcentricVelocity,
        /// Hip angle at the lowest point.
        HipAngleLowest,
        /// Knee angle at the lowest point.
        KneeAngleLowest,
        /// Ankle angle at the lowest point.
        AnkleAngleLowest,
        /// Hip angle at takeoff.
        HipAngleTakeoff,
        /// Knee angle at takeoff.
        KneeAngleTakeoff,
        /// Ankle angle at takeoff.
        AnkleAngleTakeoff,
        /// Peak power estimated from jump height and body mass (Sayers et al. 1999).
        PeakPowerSayers,
        /// The Sayers peak power per kilogram of body mass.
        PeakPowerPerKgSayers,
    }
}

ids! {
    /// A timed event of a jump; its key and meaning come from [`EventId::spec`].
    EventId {
        /// Leaving the box (drop jump).
        BoxLeave,
        /// First ground contact after the drop (drop jump).
        GroundContact,
        /// Start of the ground contact before a rebound flight.
        ContactStart,
        /// Start of the countermovement.
        MovementOnset,
        /// Start of the push from a held squat.
        PushStart,
        /// Peak downward velocity: braking starts.
        BrakingStart,
        /// Lowest centre of mass.
        LowestPoint,
        /// Both feet leave the ground.
        Takeoff,
        /// Highest point of the flight.
        Apex,
        /// First ground contact after the flight.
        Landing,
    }
}

const ALL_KINDS: &[JumpKind] = &[JumpKind::Cmj, JumpKind::Dj, JumpKind::Sj, JumpKind::Hops];
const CMJ: &[JumpKind] = &[JumpKind::Cmj];
const CMJ_SJ: &[JumpKind] = &[JumpKind::Cmj, JumpKind::Sj];
const CMJ_SJ_DJ: &[JumpKind] = &[JumpKind::Cmj, JumpKind::Sj, JumpKind::Dj];
const REBOUNDS: &[JumpKind] = &[JumpKind::Cmj, JumpKind::Dj, JumpKind::Hops];
const DJ: &[JumpKind] = &[JumpKind::Dj];
const HOPS: &[JumpKind] = &[JumpKind::Hops];

const CM: Display = Display {
    symbol: "cm",
    scale: 100.0,
    decimals: 1,
};
const MS: Display = Display {
    symbol: "ms",
    scale: 1000.0,
    decimals: 0,
};
const M_S: Display = Display {
    symbol: "m/s",
    scale: 1.0,
    decimals: 2,
};
const WATT: Display = Display {
    symbol: "W",
    scale: 1.0,
    decimals: 0,
};
const WATT_PER_KG: Display = Display {
    symbol: "W/kg",
    scale: 1.0,
    decimals: 1,
};
const DEG: Display = Display {
    symbol: "°",
    scale: 1.0,
    decimals: 0,
};

const fn range(kinds: &'static [JumpKind], low: f64, high: f64) -> Plausible {
    Plausible { kinds, low, high }
}

/// A joint-angle metric: they differ only in joint, moment and label.
const fn angle(
    id: MetricId,
    key: &'static str,
    label: &'static str,
    field_header: &'static str,
    kinds: &'static [JumpKind],
    definition: &'static str,
) -> MetricSpec {
    MetricSpec {
        id,
        key,
        former_keys: &[],
        label,
        short: "angle",
        unit: Unit::Degree,
        display: DEG,
        field_header,
        kinds,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::SideView],
        definition,
    }
}

/// Every metric in the order a coach reads them (the table's and the CSV's order).
pub const METRICS: [MetricSpec; 24] = [
    MetricSpec {
        id: MetricId::JumpHeight,
        key: "jump_height_m",
        former_keys: &[],
        label: "Jump height",
        short: "height",
        unit: Unit::Metre,
        display: CM,
        field_header: "Jump Height (Flight Time) [cm]",
        kinds: ALL_KINDS,
        plausible: &[
            range(CMJ_SJ, 0.03, 0.90),
            range(DJ, 0.05, 0.80),
            range(HOPS, 0.01, 0.60),
        ],
        uncertainty: true,
        needs: &[],
        definition: "Rise of the centre of mass from takeoff to apex from the flight time T: g·T²/8.",
    },
    MetricSpec {
        id: MetricId::FlightTime,
        key: "flight_time_s",
        former_keys: &[],
        label: "Flight time",
        short: "flight",
        unit: Unit::Second,
        display: MS,
        field_header: "Flight Time [ms]",
        kinds: ALL_KINDS,
        plausible: &[
            range(CMJ_SJ, 0.15, 0.86),
            range(DJ, 0.15, 0.81),
            range(HOPS, 0.08, 0.70),
        ],
        uncertainty: true,
        needs: &[],
        definition: "Time from takeoff (both feet leave the ground) to landing (first contact), timed between frames.",
    },
    MetricSpec {
        id: MetricId::TakeoffVelocity,
        key: "takeoff_velocity_m_s",
        former_keys: &[],
        label: "Takeoff velocity",
        short: "velocity",
        unit: Unit::MetrePerSecond,
        display: M_S,
        field_header: "Takeoff Velocity (Time to Apex) [m/s]",
        kinds: ALL_KINDS,
        plausible: &[range(CMJ_SJ_DJ, 0.5, 4.5), range(HOPS, 0.3, 3.5)],
        uncertainty: false,
        needs: &[],
        definition: "Vertical velocity at takeoff, g × the time from takeoff to the apex of the flight parabola.",
    },
    MetricSpec {
        id: MetricId::JumpHeightVelocity,
        key: "jump_height_velocity_m",
        former_keys: &[],
        label: "Height from takeoff velocity",
        short: "height (velocity)",
        unit: Unit::Metre,
        display: CM,
        field_header: "Jump Height (Takeoff Velocity) [cm]",
        kinds: ALL_KINDS,
        plausible: &[],
        uncertainty: false,
        needs: &[],
        definition: "v²/2g of the takeoff velocity: the rise to the apex without the landing posture's effect.",
    },
    MetricSpec {
        id: MetricId::JumpHeightDifference,
        key: "jump_height_difference_m",
        former_keys: &[],
        label: "Height difference of methods",
        short: "height difference",
        unit: Unit::Metre,
        display: CM,
        field_header: "Jump Height Difference (Flight Time - Takeoff Velocity) [cm]",
        kinds: ALL_KINDS,
        plausible: &[],
        uncertainty: false,
        needs: &[],
        definition: "Jump height from flight time minus jump height from takeoff velocity; large values mean a flexed landing or a doubtful edge.",
    },
    MetricSpec {
        id: MetricId::GroundContactTime,
        key: "ground_contact_time_s",
        former_keys: &[],
        label: "Ground contact time",
        short: "contact",
        unit: Unit::Second,
        display: MS,
        field_header: "Contact Time [ms]",
        kinds: REBOUNDS,
        plausible: &[
            range(DJ, 0.08, 0.60),
            range(HOPS, 0.08, 0.80),
            range(CMJ, 0.10, 1.50),
        ],
        uncertainty: true,
        needs: &[Need::PriorContact],
        definition: "Time on the ground before the flight: from the landing of the drop or previous jump to takeoff.",
    },
    MetricSpec {
        id: MetricId::Rsi,
        key: "rsi",
        former_keys: &[],
        label: "Reactive strength index",
        short: "RSI",
        unit: Unit::MetrePerSecond,
        display: M_S,
        field_header: "RSI (JH (Flight Time)/Contact Time) [m/s]",
        kinds: REBOUNDS,
        plausible: &[range(REBOUNDS, 0.05, 3.5)],
        uncertainty: true,
        needs: &[Need::PriorContact],
        definition: "Jump height (flight time) divided by the ground contact time before it.",
    },
    MetricSpec {
        id: MetricId::RsiModified,
        key: "rsi_modified",
        former_keys: &[],
        label: "RSI modified",
        short: "RSImod",
        unit: Unit::MetrePerSecond,
        display: M_S,
        field_header: "RSI-modified (Flight Time) [m/s]",
        kinds: CMJ,
        plausible: &[range(CMJ, 0.05, 1.0)],
        uncertainty: false,
        needs: &[Need::StandingStart],
        definition: "Jump height (flight time) divided by the time to takeoff.",
    },
    MetricSpec {
        id: MetricId::TimeToTakeoff,
        key: "time_to_takeoff_s",
        former_keys: &[],
        label: "Time to takeoff",
        short: "time to takeoff",
        unit: Unit::Second,
        display: MS,
        field_header: "Contraction Time [ms]",
        kinds: CMJ_SJ,
        plausible: &[range(CMJ, 0.35, 1.60)],
        uncertainty: false,
        needs: &[Need::StandingStart],
        definition: "From movement onset (or the start of the push of a squat jump) to takeoff.",
    },
    MetricSpec {
        id: MetricId::EccentricDuration,
        key: "eccentric_duration_s",
        former_keys: &[],
        label: "Eccentric duration",
        short: "eccentric",
        unit: Unit::Second,
        display: MS,
        field_header: "Eccentric Duration [ms]",
        kinds: CMJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::StandingStart],
        definition: "From movement onset to the lowest point of the centre of mass.",
    },
    MetricSpec {
        id: MetricId::ConcentricDuration,
        key: "concentric_duration_s",
        former_keys: &[],
        label: "Concentric duration",
        short: "concentric",
        unit: Unit::Second,
        display: MS,
        field_header: "Concentric Duration [ms]",
        kinds: CMJ_SJ_DJ,
        plausible: &[],
        uncertainty: false,
        needs: &[],
        definition: "From the lowest point of the centre of mass (or the start of a squat jump's push) to takeoff.",
    },
    MetricSpec {
        id: MetricId::UnweightingDuration,
        key: "unweighting_duration_s",
        former_keys: &[],
        label: "Unweighting duration",
        short: "unweighting",
        unit: Unit::Second,
        display: MS,
        field_header: "Unweighting Phase Duration [ms]",
        kinds: CMJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::StandingStart],
        definition: "From movement onset to the peak downward velocity of the centre of mass.",
    },
    MetricSpec {
        id: MetricId::BrakingDuration,
        key: "braking_duration_s",
        former_keys: &[],
        label: "Braking duration",
        short: "braking",
        unit: Unit::Second,
        display: MS,
        field_header: "Braking Phase Duration [ms]",
        kinds: CMJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::StandingStart],
        definition: "From the peak downward velocity to the lowest point of the centre of mass.",
    },
    MetricSpec {
        id: MetricId::CountermovementDepth,
        key: "countermovement_depth_m",
        former_keys: &[],
        label: "Countermovement depth",
        short: "depth",
        unit: Unit::Metre,
        display: CM,
        field_header: "Countermovement Depth [cm]",
        kinds: CMJ,
        plausible: &[range(CMJ, 0.05, 0.70)],
        uncertainty: false,
        needs: &[Need::Scale, Need::StandingStart, Need::SideView],
        definition: "Drop of the centre of mass from standing to the lowest point.",
    },
    MetricSpec {
        id: MetricId::PeakEccentricVelocity,
        key: "peak_eccentric_velocity_m_s",
        former_keys: &[],
        label: "Peak eccentric velocity",
        short: "eccentric velocity",
        unit: Unit::MetrePerSecond,
        display: M_S,
        field_header: "Eccentric Peak Velocity [m/s]",
        kinds: CMJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::Scale, Need::StandingStart],
        definition: "Highest downward velocity of the centre of mass during the countermovement.",
    },
    MetricSpec {
        id: MetricId::PeakConcentricVelocity,
        key: "peak_concentric_velocity_m_s",
        former_keys: &[],
        label: "Peak concentric velocity",
        short: "concentric velocity",
        unit: Unit::MetrePerSecond,
        display: M_S,
        field_header: "Concentric Peak Velocity [m/s]",
        kinds: CMJ_SJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::Scale],
        definition: "Highest upward velocity of the centre of mass before takeoff.",
    },
    angle(
        MetricId::HipAngleLowest,
        "hip_angle_lowest_deg",
        "Hip angle, lowest point",
        "Hip Angle at Lowest Point (Video) [deg]",
        CMJ_SJ_DJ,
        "Trunk–thigh angle at the lowest point (180° = straight), on the better-seen side.",
    ),
    angle(
        MetricId::KneeAngleLowest,
        "knee_angle_lowest_deg",
        "Knee angle, lowest point",
        "Knee Angle at Lowest Point (Video) [deg]",
        CMJ_SJ_DJ,
        "Thigh–shank angle at the lowest point (180° = straight), on the better-seen side.",
    ),
    angle(
        MetricId::AnkleAngleLowest,
        "ankle_angle_lowest_deg",
        "Ankle angle, lowest point",
        "Ankle Angle at Lowest Point (Video) [deg]",
        CMJ_SJ_DJ,
        "Shank–foot angle at the lowest point, on the better-seen side.",
    ),
    angle(
        MetricId::HipAngleTakeoff,
        "hip_angle_takeoff_deg",
        "Hip angle, takeoff",
        "Hip Angle at Takeoff (Video) [deg]",
        ALL_KINDS,
        "Trunk–thigh angle in the last frame on the ground before takeoff.",
    ),
    angle(
        MetricId::KneeAngleTakeoff,
        "knee_angle_takeoff_deg",
        "Knee angle, takeoff",
        "Knee Angle at Takeoff (Video) [deg]",
        ALL_KINDS,
        "Thigh–shank angle in the last frame on the ground before takeoff.",
    ),
    angle(
        MetricId::AnkleAngleTakeoff,
        "ankle_angle_takeoff_deg",
        "Ankle angle, takeoff",
        "Ankle Angle at Takeoff (Video) [deg]",
        ALL_KINDS,
        "Shank–foot angle in the last frame on the ground before takeoff.",
    ),
    MetricSpec {
        id: MetricId::PeakPowerSayers,
        key: "peak_power_sayers_w",
        former_keys: &[],
        label: "Peak power (Sayers estimate)",
        short: "power",
        unit: Unit::Watt,
        display: WATT,
        field_header: "Peak Power (Sayers) [W]",
        kinds: CMJ_SJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::BodyMass],
        definition: "An estimate, not a measurement: the Sayers et al. (1999, Med Sci Sports Exerc 31:572) regression of force-plate peak power, 60.7·h[cm] + 45.3·m[kg] − 2055, with h the flight-time jump height and m the session's body mass; not reported when it is ≤ 0.",
    },
    MetricSpec {
        id: MetricId::PeakPowerPerKgSayers,
        key: "peak_power_per_kg_sayers_w_kg",
        former_keys: &[],
        label: "Peak power per body mass (Sayers estimate)",
        short: "power/BM",
        unit: Unit::WattPerKilogram,
        display: WATT_PER_KG,
        field_header: "Peak Power / BM (Sayers) [W/kg]",
        kinds: CMJ_SJ,
        plausible: &[],
        uncertainty: false,
        needs: &[Need::BodyMass],
        definition: "The Sayers et al. (1999) peak power estimate divided by the session's body mass; an estimate, not a measurement.",
    },
];

/// Everything known about one event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventSpec {
    /// Which event.
    pub id: EventId,
    /// JSON key.
    pub key: &'static str,
    /// Name a person reads.
    pub label: &'static str,
    /// CSV header of its time in seconds.
    pub csv_header: &'static str,
    /// Jump kinds it occurs in.
    pub kinds: &'static [JumpKind],
    /// One-line definition.
    pub definition: &'static str,
}

impl EventSpec {
    /// Force-plate style header of its time column, e.g. `Takeoff Time [s]`.
    pub fn field_header(&self) -> String {
        format!("{} Time [s]", self.label)
    }
}

/// The metrics a one-line summary shows, in order (CLI lines, the overlay video's caption).
pub const HEADLINE: [MetricId; 5] = [
    MetricId::JumpHeight,
    MetricId::FlightTime,
    MetricId::GroundContactTime,
    MetricId::Rsi,
    MetricId::RsiModified,
];

/// Metrics whose best trial is the lowest (a shorter contact or push is the better one); every
/// other metric's best trial is its highest.
pub const LOWER_IS_BETTER: [MetricId; 2] = [MetricId::GroundContactTime, MetricId::TimeToTakeoff];

/// Every event, in the order they can occur.
pub const EVENTS: [EventSpec; 10] = [
    EventSpec {
        id: EventId::BoxLeave,
        key: "box_leave",
        label: "Box leave",
        csv_header: "box_leave_s",
        kinds: DJ,
        definition: "The feet leave the box at the start of a drop.",
    },
    EventSpec {
        id: EventId::GroundContact,
        key: "ground_contact",
        label: "Ground contact",
        csv_header: "ground_contact_s",
        kinds: DJ,
        definition: "First contact with the floor after the drop.",
    },
    EventSpec {
        id: EventId::ContactStart,
        key: "contact_start",
        label: "Contact start",
        csv_header: "contact_start_s",
        kinds: REBOUNDS,
        definition: "Landing of the previous flight, which starts the contact before a rebound.",
    },
    EventSpec {
        id: EventId::MovementOnset,
        key: "movement_onset",
        label: "Movement onset",
        csv_header: "movement_onset_s",
        kinds: CMJ,
        definition: "The centre of mass starts moving down (10 % of the peak downward velocity).",
    },
    EventSpec {
        id: EventId::PushStart,
        key: "push_start",
        label: "Push start",
        csv_header: "push_start_s",
        kinds: &[JumpKind::Sj],
        definition: "The centre of mass starts moving up from the held squat (10 % of the peak upward velocity).",
    },
    EventSpec {
        id: EventId::BrakingStart,
        key: "braking_start",
        label: "Braking start",
        csv_header: "braking_start_s",
        kinds: CMJ,
        definition: "Peak downward velocity of the centre of mass: the descent starts to slow.",
    },
    EventSpec {
        id: EventId::LowestPoint,
        key: "lowest_point",
        label: "Lowest point",
        csv_header: "lowest_point_s",
        kinds: CMJ_SJ_DJ,
        definition: "Lowest centre of mass before takeoff (velocity crosses zero).",
    },
    EventSpec {
        id: EventId::Takeoff,
        key: "takeoff",
        label: "Takeoff",
        csv_header: "takeoff_s",
        kinds: ALL_KINDS,
        definition: "Both feet leave the ground, timed between frames.",
    },
    EventSpec {
        id: EventId::Apex,
        key: "apex",
        label: "Apex",
        csv_header: "apex_s",
        kinds: ALL_KINDS,
        definition: "Highest point of the centre-of-mass flight parabola.",
    },
    EventSpec {
        id: EventId::Landing,
        key: "landing",
        label: "Landing",
        csv_header: "landing_s",
        kinds: ALL_KINDS,
        definition: "First ground contact after the flight, timed between frames.",
    },
];

impl MetricId {
    /// Its catalogue entry.
    pub fn spec(self) -> &'static MetricSpec {
        &METRICS[self as usize]
    }

    /// Its JSON key.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The metric with this key (or a former key).
    pub fn from_key(key: &str) -> Option<Self> {
        METRICS
            .iter()
            .find(|m| m.key == key || m.former_keys.contains(&key))
            .map(|m| m.id)
    }

    /// Whether its best trial is its lowest value (see [`LOWER_IS_BETTER`]).
    pub fn lower_is_better(self) -> bool {
        LOWER_IS_BETTER.contains(&self)
    }
}

impl EventId {
    /// Its catalogue entry.
    pub fn spec(self) -> &'static EventSpec {
        &EVENTS[self as usize]
    }

    /// Its JSON key.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The event with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        EVENTS.iter().find(|e| e.key == key).map(|e| e.id)
    }
}

macro_rules! serde_by_key {
    ($name:ident, $what:literal) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let key = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Self::from_key(&key).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("unknown ", $what, " {:?}"), key))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

serde_by_key!(MetricId, "metric");
serde_by_key!(EventId, "event");

/// The metric list as a Markdown table (the README's list is generated from this).
pub fn metrics_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "| key | metric | shown in | kinds | ± | needs | definition |\n|---|---|---|---|---|---|---|\n",
    );
    for m in &METRICS {
        let kinds: Vec<&str> = m.kinds.iter().map(|k| k.name()).collect();
        let needs: Vec<&str> = m.needs.iter().map(|n| n.describe()).collect();
        let shown = if m.display.symbol.is_empty() {
            "ratio"
        } else {
            m.display.symbol
        };
        writeln!(
            out,
            "| `{}` | {} (`{}`) | {} | {} | {} | {} | {} |",
            m.key,
            m.label,
            m.field_header,
            shown,
            kinds.join(", "),
            if m.uncertainty { "yes" } else { "" },
            needs.join(", "),
            m.definition
        )
        .ok();
    }
    out
}

/// The event list as a Markdown table.
pub fn events_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from("| key | event | kinds | definition |\n|---|---|---|---|\n");
    for e in &EVENTS {
        let kinds: Vec<&str> = e.kinds.iter().map(|k| k.name()).collect();
        writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            e.key,
            e.label,
            kinds.join(", "),
            e.definition
        )
        .ok();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_finds_its_own_entry() {
        for (i, id) in MetricId::ALL.iter().enumerate() {
            assert_eq!(METRICS[i].id, *id);
            assert_eq!(MetricId::from_key(id.key()), Some(*id));
        }
        for (i, id) in EventId::ALL.iter().enumerate() {
            assert_eq!(EVENTS[i].id, *id);
            assert_eq!(EventId::from_key(id.key()), Some(*id));
        }
        assert_eq!(MetricId::ALL.len(), METRICS.len());
        assert_eq!(EventId::ALL.len(), EVENTS.len());
    }

    #[test]
    fn keys_and_headers_are_unique_and_well_formed() {
        let mut keys: Vec<&str> = METRICS
            .iter()
            .flat_map(|m| std::iter::once(m.key).chain(m.former_keys.iter().copied()))
            .collect();
        keys.extend(EVENTS.iter().map(|e| e.key));
        keys.extend(EVENTS.iter().map(|e| e.csv_header));
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is used twice");
        for m in &METRICS {
            assert!(
                m.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                m.key
            );
            // Field-style headers name the display unit in brackets, unless a ratio.
            if !m.display.symbol.is_empty() {
                let unit = if m.display.symbol == "°" {
                    "deg"
                } else {
                    m.display.symbol
                };
                assert!(
                    m.field_header.ends_with(&format!("[{unit}]")),
                    "{}",
                    m.field_header
                );
            }
            for p in m.plausible {
                assert!(p.low < p.high, "{}", m.key);
                assert!(p.kinds.iter().all(|k| m.applies_to(*k)), "{}", m.key);
            }
        }
    }

    #[test]
    fn values_format_in_display_units() {
        let h = MetricId::JumpHeight.spec();
        assert_eq!(h.format(0.4567), "45.7 cm");
        let ci = Interval {
            low: 0.445,
            high: 0.469,
        };
        assert_eq!(h.format_with_interval(0.4567, Some(ci)), "45.7 ± 1.2 cm");
        assert_eq!(MetricId::FlightTime.spec().format(0.6444), "644 ms");
        assert_eq!(MetricId::KneeAngleLowest.spec().format(92.4), "92°");
        assert_eq!(
            MetricId::JumpHeight.spec().plausible_range(JumpKind::Hops),
            Some((0.01, 0.60))
        );
        assert!(
            MetricId::CountermovementDepth
                .spec()
                .plausible_range(JumpKind::Hops)
                .is_none()
        );
    }

    #[test]
    fn interval_columns_are_named_after_their_metric() {
        let h = MetricId::JumpHeight.spec();
        assert_eq!(
            h.interval_headers(false),
            ["jump_height_m_ci95_low", "jump_height_m_ci95_high"]
        );
        assert_eq!(
            h.interval_headers(true),
            [
                "Jump Height (Flight Time) 95% CI Low [cm]",
                "Jump Height (Flight Time) 95% CI High [cm]"
            ]
        );
        assert_eq!(EventId::Takeoff.spec().field_header(), "Takeoff Time [s]");
    }

    #[test]
    fn ids_serialise_as_their_keys() {
        let json = serde_json::to_string(&MetricId::RsiModified).unwrap();
        assert_eq!(json, "\"rsi_modified\"");
        let back: EventId = serde_json::from_str("\"lowest_point\"").unwrap();
        assert_eq!(back, EventId::LowestPoint);
        assert!(serde_json::from_str::<MetricId>("\"no_such_metric\"").is_err());
    }
}
