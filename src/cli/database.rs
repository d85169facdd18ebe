//! What the commands that use the athlete database share: opening it in the user's data
//! folder, finding an athlete by name, session dates, metric keys and save summaries.

use anyhow::{Context, Result, bail};
use hangtime::analysis::MetricId;
use hangtime::store::{Athlete, AthleteDetails, AthleteRef, SaveReport, Store};
pub use hangtime::store::{content_hash, describe_save, recording_date, today};
use jiff::civil::Date;

/// Opens the database in the user's data folder (`HANGTIME_DATA_DIR` overrides), saying so
/// when a damaged file had to be set aside.
///
/// # Errors
/// No data folder, or a database that cannot be used (the message says why).
pub fn open_store() -> Result<Store> {
    let path = Store::user_path()
        .context("there is no data folder on this system (set HANGTIME_DATA_DIR)")?;
    let store = Store::open(&path)?;
    if let Some(aside) = store.set_aside() {
        eprintln!(
            "warning: the database {} was damaged; it was moved to {} and a new one started",
            path.display(),
            aside.display()
        );
    }
    Ok(store)
}

/// An athlete named on the command line: by exact name, or `#ID` (as `hangtime athletes`
/// lists them) when no athlete has that name.
///
/// # Errors
/// No such athlete, or several of that name.
pub fn find_athlete(store: &Store, name: &str) -> Result<Athlete> {
    match athlete_or_new(store, name)? {
        AthleteRef::Existing(id) => store
            .athlete(id)?
            .with_context(|| format!("athlete #{id} was not found")),
        AthleteRef::New(_) => bail!(
            "no athlete is named {name:?} (`hangtime athletes` lists them; `#ID` names one by id)"
        ),
    }
}

/// The athlete named on the command line, or a new one of that name when there is none.
///
/// # Errors
/// Several athletes of that name, or a database failure.
pub fn athlete_or_new(store: &Store, name: &str) -> Result<AthleteRef> {
    let named = store.athletes_named(name)?;
    match named.as_slice() {
        [one] => return Ok(AthleteRef::Existing(one.id)),
        [] => {}
        several => {
            let ids: Vec<String> = several.iter().map(|a| format!("#{}", a.id)).collect();
            bail!(
                "{} athletes are named {name:?} ({}); name one by its id instead",
                several.len(),
                ids.join(", ")
            );
        }
    }
    if let Some(id) = name
        .strip_prefix('#')
        .and_then(|d| d.parse::<i64>().ok())
        .map(hangtime::store::AthleteId)
        && store.athlete(id)?.is_some()
    {
        return Ok(AthleteRef::Existing(id));
    }
    Ok(AthleteRef::New(AthleteDetails {
        name: name.to_owned(),
        ..AthleteDetails::default()
    }))
}

/// A `YYYY-MM-DD` date argument.
///
/// # Errors
/// A message for clap when it is not a calendar date.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|_| format!("{text:?} is not a date of the form YYYY-MM-DD"))
}

/// A metric key argument (as in the JSON report and the CSV).
///
/// # Errors
/// A message for clap naming the keys.
pub fn parse_metric(text: &str) -> Result<MetricId, String> {
    MetricId::from_key(text).ok_or_else(|| {
        let keys: Vec<&str> = MetricId::ALL.iter().map(|m| m.key()).collect();
        format!("unknown metric {text:?}; the keys are: {}", keys.join(", "))
    })
}

/// A body mass argument in kilograms.
///
/// # Errors
/// A message for clap when it is not a plausible mass.
pub fn parse_body_mass(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(kg) if kg.is_finite() && (5.0..=500.0).contains(&kg) => Ok(kg),
        _ => Err(format!("{text:?} is not a body mass in kg (5 to 500)")),
    }
}

/// Adds up several saves.
pub fn total(reports: &[SaveReport]) -> SaveReport {
    reports.iter().fold(SaveReport::default(), |mut t, r| {
        t.new_trials += r.new_trials;
        t.new_revisions += r.new_revisions;
        t.unchanged += r.unchanged;
        t.reassigned += r.reassigned;
        t
    })
}
