//! Athletes and sessions: create, read, change, delete.

use std::collections::HashMap;

use jiff::civil::Date;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::model::{
    Athlete, AthleteDetails, AthleteId, AthleteSummary, Removed, Session, SessionDetails,
    SessionId, Sex, TrialId,
};
use super::{Store, StoreError, now};

/// Reads a stored `YYYY-MM-DD` column.
pub(super) fn date_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Date> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e: jiff::Error| {
        rusqlite::Error::FromSqlConversionFailure(index, Type::Text, e.into())
    })
}

/// Reads a non-negative integer column as a count or index.
pub(super) fn count_at(row: &Row<'_>, index: usize) -> rusqlite::Result<usize> {
    let n: i64 = row.get(index)?;
    usize::try_from(n)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Integer, e.into()))
}

fn sex_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<Sex>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| {
        Sex::from_name(&t).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                Type::Text,
                format!("unknown sex {t:?}").into(),
            )
        })
    })
    .transpose()
}

/// The tags as stored: trimmed, without empty ones or duplicates, sorted.
fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tags
        .iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn check_athlete(details: &AthleteDetails) -> Result<(), StoreError> {
    if details.name.trim().is_empty() {
        return Err(StoreError::Invalid("an athlete needs a name".to_owned()));
    }
    if let Some(year) = details.birth_year
        && !(1900..=2100).contains(&year)
    {
        return Err(StoreError::Invalid(format!(
            "{year} is not a plausible year of birth"
        )));
    }
    if let Some(h) = details.standing_height_m
        && !(h.is_finite() && (0.3..=3.0).contains(&h))
    {
        return Err(StoreError::Invalid(format!(
            "{h} m is not a plausible standing height"
        )));
    }
    Ok(())
}

fn check_session(details: &SessionDetails) -> Result<(), StoreError> {
    if let Some(m) = details.body_mass_kg
        && !(m.is_finite() && (5.0..=500.0).contains(&m))
    {
        return Err(StoreError::Invalid(format!(
            "{m} kg is not a plausible body mass"
        )));
    }
    Ok(())
}

const ATHLETE_COLUMNS: &str = "id, name, birth_year, sex, standing_height_m, notes";
const SESSION_COLUMNS: &str = "id, athlete_id, date, place, notes, body_mass_kg";

fn athlete_row(row: &Row<'_>) -> rusqlite::Result<Athlete> {
    Ok(Athlete {
        id: AthleteId(row.get(0)?),
        details: AthleteDetails {
            name: row.get(1)?,
            birth_year: row.get(2)?,
            sex: sex_at(row, 3)?,
            standing_height_m: row.get(4)?,
            notes: row.get(5)?,
            tags: Vec::new(),
        },
    })
}

pub(super) fn session_row(row: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: SessionId(row.get(0)?),
        athlete: AthleteId(row.get(1)?),
        details: SessionDetails {
            date: date_at(row, 2)?,
            place: row.get(3)?,
            notes: row.get(4)?,
            body_mass_kg: row.get(5)?,
        },
    })
}

impl Store {
    /// Adds an athlete (a second athlete of the same name is allowed: the caller asks first).
    ///
    /// # Errors
    /// An empty name, an implausible birth year or height, or a database failure.
    pub fn add_athlete(&mut self, details: &AthleteDetails) -> Result<AthleteId, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert_athlete(&tx, details)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces an athlete's details and tags.
    ///
    /// # Errors
    /// Invalid details, an athlete that does not exist, or a database failure.
    pub fn update_athlete(
        &mut self,
        id: AthleteId,
        details: &AthleteDetails,
    ) -> Result<(), StoreError> {
        check_athlete(details)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = tx.execute(
            "UPDATE athlete SET name = ?2, birth_year = ?3, sex = ?4, standing_height_m = ?5,
             notes = ?6 WHERE id = ?1",
            params![
                id.0,
                details.name,
                details.birth_year,
                details.sex.map(Sex::name),
                details.standing_height_m,
                details.notes,
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("athlete {id}")));
        }
        tx.execute("DELETE FROM athlete_tag WHERE athlete_id = ?1", [id.0])?;
        for tag in clean_tags(&details.tags) {
            tx.execute(
                "INSERT INTO athlete_tag (athlete_id, tag) VALUES (?1, ?2)",
                params![id.0, tag],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// One athlete with tags.
    ///
    /// # Errors
    /// A database failure.
    pub fn athlete(&self, id: AthleteId) -> Result<Option<Athlete>, StoreError> {
        let athlete = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ATHLETE_COLUMNS} FROM athlete WHERE id = ?1"
            ))?
            .query_row([id.0], athlete_row)
            .optional()?;
        let Some(mut athlete) = athlete else {
            return Ok(None);
        };
        athlete.details.tags = self.tags_of(id)?;
        Ok(Some(athlete))
    }

    fn tags_of(&self, id: AthleteId) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM athlete_tag WHERE athlete_id = ?1 ORDER BY tag")?;
        let tags = stmt
            .query_map([id.0], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(tags)
    }

    /// The athletes whose name is exactly `name`, oldest first.
    ///
    /// # Errors
    /// A database failure.
    pub fn athletes_named(&self, name: &str) -> Result<Vec<Athlete>, StoreError> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM athlete WHERE name = ?1 ORDER BY id")?
            .query_map([name], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .filter_map(|id| self.athlete(AthleteId(id)).transpose())
            .collect()
    }

    /// The athlete list: every athlete with tags, session and trial counts and the latest
    /// session's date, sorted by name.
    ///
    /// # Errors
    /// A database failure.
    pub fn athletes(&self) -> Result<Vec<AthleteSummary>, StoreError> {
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT athlete_id, tag FROM athlete_tag ORDER BY athlete_id, tag")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, tag) = row?;
            tags.entry(id).or_default().push(tag);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.name,
                    (SELECT count(*) FROM session s WHERE s.athlete_id = a.id),
                    (SELECT count(*) FROM session s JOIN trial t ON t.session_id = s.id
                      WHERE s.athlete_id = a.id),
                    (SELECT max(s.date) FROM session s WHERE s.athlete_id = a.id)
             FROM athlete a",
        )?;
        let mut out = stmt
            .query_map([], |r| {
                let id: i64 = r.get(0)?;
                let last: Option<String> = r.get(4)?;
                Ok(AthleteSummary {
                    id: AthleteId(id),
                    name: r.get(1)?,
                    tags: Vec::new(),
                    sessions: count_at(r, 2)?,
                    trials: count_at(r, 3)?,
                    last_session: last.as_deref().and_then(|d| d.parse().ok()),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for a in &mut out {
            a.tags = tags.remove(&a.id.0).unwrap_or_default();
        }
        out.sort_by_cached_key(|a| (a.name.to_lowercase(), a.id));
        Ok(out)
    }

    /// What deleting the athlete would remove.
    ///
    /// # Errors
    /// A database failure.
    pub fn athlete_contents(&self, id: AthleteId) -> Result<Removed, StoreError> {
        let (sessions, trials) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM session WHERE athlete_id = ?1),
                    (SELECT count(*) FROM session s JOIN trial t ON t.session_id = s.id
                      WHERE s.athlete_id = ?1)",
            [id.0],
            |r| Ok((count_at(r, 0)?, count_at(r, 1)?)),
        )?;
        Ok(Removed { sessions, trials })
    }

    /// Deletes an athlete with every session, trial and revision, and the video records no
    /// other trial uses (it is health data). The caller confirms first.
    ///
    /// # Errors
    /// An athlete that does not exist, or a database failure.
    pub fn delete_athlete(&mut self, id: AthleteId) -> Result<Removed, StoreError> {
        let removed = self.athlete_contents(id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if tx.execute("DELETE FROM athlete WHERE id = ?1", [id.0])? == 0 {
            return Err(StoreError::NotFound(format!("athlete {id}")));
        }
        tx.execute(
            "DELETE FROM video WHERE NOT EXISTS (SELECT 1 FROM trial t WHERE t.video_id = video.id)",
            [],
        )?;
        tx.commit()?;
        Ok(removed)
    }

    /// Adds a session for an athlete.
    ///
    /// # Errors
    /// An implausible body mass, an athlete that does not exist, or a database failure.
    pub fn add_session(
        &mut self,
        athlete: AthleteId,
        details: &SessionDetails,
    ) -> Result<SessionId, StoreError> {
        check_session(details)?;
        if self.athlete(athlete)?.is_none() {
            return Err(StoreError::NotFound(format!("athlete {athlete}")));
        }
        self.conn.execute(
            "INSERT INTO session (athlete_id, date, place, notes, body_mass_kg, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                athlete.0,
                details.date.to_string(),
                details.place,
                details.notes,
                details.body_mass_kg,
                now()
            ],
        )?;
        Ok(SessionId(self.conn.last_insert_rowid()))
    }

    /// Replaces a session's details.
    ///
    /// # Errors
    /// An implausible body mass, a session that does not exist, or a database failure.
    pub fn update_session(
        &mut self,
        id: SessionId,
        details: &SessionDetails,
    ) -> Result<(), StoreError> {
        check_session(details)?;
        let changed = self.conn.execute(
            "UPDATE session SET date = ?2, place = ?3, notes = ?4, body_mass_kg = ?5
             WHERE id = ?1",
            params![
                id.0,
                details.date.to_string(),
                details.place,
                details.notes,
                details.body_mass_kg
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("session {id}")));
        }
        Ok(())
    }

    /// One session, `None` when there is no such session.
    ///
    /// # Errors
    /// A database failure.
    pub fn session(&self, id: SessionId) -> Result<Option<Session>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {SESSION_COLUMNS} FROM session WHERE id = ?1"
            ))?
            .query_row([id.0], session_row)
            .optional()?)
    }

    /// An athlete's sessions by date.
    ///
    /// # Errors
    /// A database failure.
    pub fn sessions(&self, athlete: AthleteId) -> Result<Vec<Session>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {SESSION_COLUMNS} FROM session WHERE athlete_id = ?1 ORDER BY date, id"
        ))?;
        let sessions = stmt
            .query_map([athlete.0], session_row)?
            .collect::<Result<_, _>>()?;
        Ok(sessions)
    }

    /// The athlete's first session on `date`, created when there is none. A body mass given
    /// here is set on the session (a found one keeps its own when `None`).
    ///
    /// # Errors
    /// An implausible body mass, an athlete that does not exist, or a database failure.
    pub fn session_on(
        &mut self,
        athlete: AthleteId,
        date: Date,
        body_mass_kg: Option<f64>,
    ) -> Result<Session, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = session_in(&tx, athlete, date, body_mass_kg)?;
        tx.commit()?;
        self.session(id)?
            .ok_or_else(|| StoreError::NotFound(format!("session {id}")))
    }

    /// Excludes a trial from the statistics with a reason (`Some`), or includes it again
    /// (`None`); the trial itself is kept.
    ///
    /// # Errors
    /// A trial that does not exist, or a database failure.
    pub fn set_excluded(&mut self, trial: TrialId, reason: Option<&str>) -> Result<(), StoreError> {
        let changed = self.conn.execute(
            "UPDATE trial SET excluded = ?2, exclusion_reason = ?3 WHERE id = ?1",
            params![trial.0, reason.is_some(), reason.unwrap_or_default()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("trial {trial}")));
        }
        Ok(())
    }
}

/// Inserts an athlete with tags (inside the caller's transaction).
pub(super) fn insert_athlete(
    conn: &Connection,
    details: &AthleteDetails,
) -> Result<AthleteId, StoreError> {
    check_athlete(details)?;
    conn.prepare_cached(
        "INSERT INTO athlete (name, birth_year, sex, standing_height_m, notes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        details.name,
        details.birth_year,
        details.sex.map(Sex::name),
        details.standing_height_m,
        details.notes,
        now()
    ])?;
    let id = AthleteId(conn.last_insert_rowid());
    for tag in clean_tags(&details.tags) {
        conn.prepare_cached("INSERT INTO athlete_tag (athlete_id, tag) VALUES (?1, ?2)")?
            .execute(params![id.0, tag])?;
    }
    Ok(id)
}

/// The athlete's first session on `date`, created when there is none, with the body mass set
/// when one is given (inside the caller's transaction).
pub(super) fn session_in(
    conn: &Connection,
    athlete: AthleteId,
    date: Date,
    body_mass_kg: Option<f64>,
) -> Result<SessionId, StoreError> {
    check_session(&SessionDetails {
        body_mass_kg,
        ..SessionDetails::on(date)
    })?;
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM athlete WHERE id = ?1")?
        .query_row([athlete.0], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!("athlete {athlete}")));
    }
    let date_text = date.to_string();
    let found: Option<(i64, Option<f64>)> = conn
        .prepare_cached(
            "SELECT id, body_mass_kg FROM session WHERE athlete_id = ?1 AND date = ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![athlete.0, date_text], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((id, mass)) = found {
        if body_mass_kg.is_some() && body_mass_kg != mass {
            conn.prepare_cached("UPDATE session SET body_mass_kg = ?2 WHERE id = ?1")?
                .execute(params![id, body_mass_kg])?;
        }
        return Ok(SessionId(id));
    }
    conn.prepare_cached(
        "INSERT INTO session (athlete_id, date, place, notes, body_mass_kg, created_at)
         VALUES (?1, ?2, '', '', ?3, ?4)",
    )?
    .execute(params![athlete.0, date_text, body_mass_kg, now()])?;
    Ok(SessionId(conn.last_insert_rowid()))
}
