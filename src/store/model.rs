//! The plain records the store reads and writes: athletes, sessions and their identities.

use jiff::civil::Date;
use serde::Serialize;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An athlete's row id.
    AthleteId
);
id_type!(
    /// A session's row id.
    SessionId
);
id_type!(
    /// A trial's row id.
    TrialId
);

/// An athlete's sex as the athlete states it (norms differ by sex).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// The athlete is a woman or a girl.
    Female,
    /// The athlete is a man or a boy.
    Male,
    /// Neither, or not said that way.
    Other,
}

impl Sex {
    /// Every value, in the order a form lists them.
    pub const ALL: [Self; 3] = [Self::Female, Self::Male, Self::Other];

    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
        }
    }

    /// The value with this stored name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What a person says about an athlete; every text is free (any Unicode) and round-trips.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AthleteDetails {
    /// Name, as typed (not empty).
    pub name: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Sex, when the athlete gave it (norms differ by sex).
    pub sex: Option<Sex>,
    /// Standing height in metres.
    pub standing_height_m: Option<f64>,
    /// Free notes about the athlete (injuries, sport, position).
    pub notes: String,
    /// Team and group tags, sorted, without duplicates.
    pub tags: Vec<String>,
}

/// A stored athlete.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Athlete {
    /// The athlete's row id, stable for the life of the database.
    pub id: AthleteId,
    /// Name, tags and the rest of what was said about the athlete.
    #[serde(flatten)]
    pub details: AthleteDetails,
}

/// One row of the athlete list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AthleteSummary {
    /// The athlete's row id.
    pub id: AthleteId,
    /// The athlete's name as typed.
    pub name: String,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// How many sessions the athlete has.
    pub sessions: usize,
    /// How many trials the athlete has, excluded ones included.
    pub trials: usize,
    /// Date of the latest session.
    pub last_session: Option<Date>,
}

/// What a person says about a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionDetails {
    /// Day of the testing.
    pub date: Date,
    /// Where the testing took place.
    pub place: String,
    /// Free notes about the day (surface, fatigue, warm-up).
    pub notes: String,
    /// The athlete's body mass that day, in kilograms.
    pub body_mass_kg: Option<f64>,
}

impl SessionDetails {
    /// A session on `date` with nothing else said.
    pub fn on(date: Date) -> Self {
        Self {
            date,
            place: String::new(),
            notes: String::new(),
            body_mass_kg: None,
        }
    }
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// The session's row id.
    pub id: SessionId,
    /// The athlete it belongs to.
    pub athlete: AthleteId,
    /// Date, place, notes and body mass.
    #[serde(flatten)]
    pub details: SessionDetails,
}

/// What deleting an athlete removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Removed {
    /// Sessions removed with the athlete.
    pub sessions: usize,
    /// Trials removed with the athlete.
    pub trials: usize,
}
