//! Saving the trials of analysed clips: one transaction per save, a revision per re-analysis.
//!
//! A jump of a clip is the trial it was before when its automatic takeoff lies within
//! [`EDGE_MATCH_S`] (± 50 ms) of the trial's: jump indices shift when a newer analysis finds
//! one jump more or less, takeoffs do not. An identical re-save (same version, settings and
//! numbers) adds nothing, so importing a report twice is harmless.

use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::athletes::{insert_athlete, session_in};
use super::model::{AthleteDetails, AthleteId, SessionId, TrialId};
use super::{Store, StoreError, now};
use crate::analysis::catalogue::Need;
use crate::analysis::{
    AnalysisOptions, EDGE_MATCH_S, EventId, Interval, Jump, JumpKind, Metric, MetricId, Quality,
};
use crate::pipeline::VideoAnalysis;
use crate::report::ReportedJump;
use crate::util::hex;

/// One jump as it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JumpInput {
    /// 1-based position in the clip at this analysis (for people; matching uses the takeoff).
    pub index: usize,
    /// Jump kind as analysed.
    pub kind: JumpKind,
    /// Event times in seconds (the corrected ones for a corrected jump).
    pub events: Vec<(EventId, f64)>,
    /// Takeoff time (corrected, if corrected).
    pub takeoff_s: f64,
    /// Landing time (corrected, if corrected).
    pub landing_s: f64,
    /// The automatic (takeoff, landing) of a jump a person corrected.
    pub detected_edges: Option<(f64, f64)>,
    /// The automatic metrics; empty when unknown (a corrected jump from a report, which keeps
    /// only the corrected numbers). Metrics that need the body mass are not stored.
    pub automatic: Vec<Metric>,
    /// The corrected metrics of a corrected jump.
    pub edited: Option<Vec<Metric>>,
    /// Quality of the values in use.
    pub quality: Quality,
}

impl JumpInput {
    /// An analysed jump; `automatic` is the same jump analysed without the person's
    /// correction, when it was corrected. `None` for a jump without a takeoff or landing.
    pub fn from_jump(jump: &Jump, automatic: Option<&Jump>) -> Option<Self> {
        let takeoff_s = jump.event(EventId::Takeoff)?;
        let landing_s = jump.event(EventId::Landing)?;
        let (automatic, edited) = if jump.edited() {
            (
                automatic.map(|a| measured(&a.metrics)).unwrap_or_default(),
                Some(measured(&jump.metrics)),
            )
        } else {
            (measured(&jump.metrics), None)
        };
        Some(Self {
            index: jump.index,
            kind: jump.kind,
            events: jump.events.iter().map(|e| (e.id, e.time_s)).collect(),
            takeoff_s,
            landing_s,
            detected_edges: jump.detected_edges,
            automatic,
            edited,
            quality: jump.quality.clone(),
        })
    }

    /// A jump of a JSON report. A corrected jump's automatic values are not in the report:
    /// only its corrected ones are kept. `None` for a jump without a takeoff or landing.
    pub fn from_reported(jump: &ReportedJump) -> Option<Self> {
        let takeoff_s = jump.event(EventId::Takeoff)?;
        let landing_s = jump.event(EventId::Landing)?;
        let metrics = measured(&jump.metrics);
        let (automatic, edited) = match jump.detected_edges {
            Some(_) => (Vec::new(), Some(metrics)),
            None => (metrics, None),
        };
        Some(Self {
            index: jump.index,
            kind: jump.kind,
            events: jump.events.clone(),
            takeoff_s,
            landing_s,
            detected_edges: jump.detected_edges,
            automatic,
            edited,
            quality: jump.quality.clone(),
        })
    }

    /// The automatic takeoff: what a later analysis of the same video finds again.
    pub fn detected_takeoff_s(&self) -> f64 {
        self.detected_edges.map_or(self.takeoff_s, |e| e.0)
    }

    /// The values in use: the corrected ones when corrected, else the automatic ones.
    pub fn current_metrics(&self) -> &[Metric] {
        self.edited.as_deref().unwrap_or(&self.automatic)
    }
}

/// The trials of one analysed clip, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInput {
    /// Where the video is now.
    pub video_path: PathBuf,
    /// Lower-case hex SHA-256 of the video's bytes; `None` when the file is not at hand.
    pub video_sha256: Option<String>,
    /// When the video was recorded, from its metadata.
    pub recorded_at: Option<jiff::Timestamp>,
    /// The Hangtime version that analysed it.
    pub hangtime_version: String,
    /// The pose model.
    pub model: String,
    /// The analysis settings (JSON).
    pub settings: Value,
    /// The clip's jumps in time order.
    pub jumps: Vec<JumpInput>,
}

/// The metrics a clip measures: those that need the body mass are left out, because they
/// come from the session's body mass when read (a corrected mass corrects them all).
fn measured(metrics: &[Metric]) -> Vec<Metric> {
    metrics
        .iter()
        .filter(|m| !m.id.spec().needs(Need::BodyMass))
        .copied()
        .collect()
}

/// The settings of an analysis as stored: the forced kind (or `auto`) and the corrections.
pub fn settings_json(options: &AnalysisOptions) -> Value {
    json!({
        "kind": options.kind.map_or("auto", JumpKind::name),
        "edges": options.edges,
    })
}

impl ClipInput {
    /// The jumps of an analysed video. Corrected jumps keep their automatic values too: the
    /// clip is analysed again without the corrections (milliseconds, from the same poses).
    pub fn from_analysis(
        video: &VideoAnalysis,
        video_sha256: Option<String>,
        recorded_at: Option<jiff::Timestamp>,
    ) -> Self {
        let analysis = &video.analysis;
        let automatic = analysis.jumps.iter().any(Jump::edited).then(|| {
            analysis.reanalyzed(
                &video.poses,
                &AnalysisOptions {
                    edges: Vec::new(),
                    ..analysis.options.clone()
                },
            )
        });
        let jumps = analysis
            .jumps
            .iter()
            .filter_map(|j| {
                let original = j.detected_edges.and_then(|(takeoff, _)| {
                    automatic.as_ref()?.jumps.iter().find(|a| {
                        a.event(EventId::Takeoff)
                            .is_some_and(|t| (t - takeoff).abs() <= EDGE_MATCH_S)
                    })
                });
                JumpInput::from_jump(j, original)
            })
            .collect();
        Self {
            video_path: video.info.path.clone(),
            video_sha256,
            recorded_at,
            hangtime_version: env!("CARGO_PKG_VERSION").to_owned(),
            model: video.model.name().to_owned(),
            settings: settings_json(&analysis.options),
            jumps,
        }
    }
}

/// What one clip's save did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SaveReport {
    /// Trials stored for the first time.
    pub new_trials: usize,
    /// Known trials that got a new revision.
    pub new_revisions: usize,
    /// Known trials whose latest revision was identical.
    pub unchanged: usize,
    /// Known trials that were assigned to this session from another one.
    pub reassigned: usize,
    /// The video's earlier path, when it was found at a new one by its content.
    pub video_moved_from: Option<PathBuf>,
    /// The trials, in the clip's jump order.
    pub trials: Vec<TrialId>,
}

fn metrics_json(metrics: &[Metric]) -> Value {
    Value::Array(
        metrics
            .iter()
            .map(|m| json!([m.id.key(), m.value, m.interval.map(|c| [c.low, c.high])]))
            .collect(),
    )
}

/// Everything a revision says, in a fixed order (its fingerprint is the SHA-256 of this).
fn revision_json(clip: &ClipInput, jump: &JumpInput) -> Value {
    json!({
        "hangtime_version": clip.hangtime_version,
        "model": clip.model,
        "settings": clip.settings,
        "index": jump.index,
        "kind": jump.kind.name(),
        "events": events_json(&jump.events),
        "edges": [jump.takeoff_s, jump.landing_s],
        "detected_edges": jump.detected_edges.map(|e| [e.0, e.1]),
        "automatic": metrics_json(&jump.automatic),
        "edited": jump.edited.as_deref().map(metrics_json),
        "quality": [jump.quality.score, jump.quality.warnings],
    })
}

fn events_json(events: &[(EventId, f64)]) -> Value {
    Value::Object(
        events
            .iter()
            .map(|(id, t)| (id.key().to_owned(), json!(t)))
            .collect(),
    )
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Store {
    /// Saves one clip's trials into a session, in one transaction.
    ///
    /// # Errors
    /// A session that does not exist, a jump with times that are not numbers, or a database
    /// failure (nothing is saved then).
    pub fn save_clip(
        &mut self,
        session: SessionId,
        clip: &ClipInput,
    ) -> Result<SaveReport, StoreError> {
        let mut reports = self.save_clips(&[(session, clip)])?;
        Ok(reports.pop().unwrap_or_default())
    }

    /// Saves several clips' trials, each into its session, in one transaction: all of them
    /// or (on any failure, or a process killed midway) none.
    ///
    /// # Errors
    /// As [`Store::save_clip`].
    pub fn save_clips(
        &mut self,
        clips: &[(SessionId, &ClipInput)],
    ) -> Result<Vec<SaveReport>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut reports = Vec::with_capacity(clips.len());
        let created_at = now();
        for (session, clip) in clips {
            reports.push(save_in(&tx, *session, clip, &created_at)?);
        }
        tx.commit()?;
        Ok(reports)
    }
}

/// Whose trials a save stores.
#[derive(Debug, Clone, PartialEq)]
pub enum AthleteRef {
    /// An athlete in the database.
    Existing(AthleteId),
    /// A new athlete, created by the same transaction as the trials.
    New(AthleteDetails),
}

/// A clip for the athlete's session on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionClip<'a> {
    /// Day of the session (the athlete's first session that day, created when there is none).
    pub date: jiff::civil::Date,
    /// The athlete's body mass that day, set on the session when given.
    pub body_mass_kg: Option<f64>,
    /// The clip whose jumps go into that session.
    pub clip: &'a ClipInput,
}

impl Store {
    /// Saves clips for one athlete, each into the athlete's session of its day, creating the
    /// athlete and the sessions as needed; all in one transaction, so a failure or a killed
    /// process leaves none of it.
    ///
    /// # Errors
    /// Invalid athlete details or body mass, an athlete that does not exist, a jump with times
    /// that are not numbers, or a database failure.
    pub fn save_for_athlete(
        &mut self,
        athlete: &AthleteRef,
        clips: &[SessionClip<'_>],
    ) -> Result<(AthleteId, Vec<SaveReport>), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = match athlete {
            AthleteRef::Existing(id) => *id,
            AthleteRef::New(details) => insert_athlete(&tx, details)?,
        };
        let created_at = now();
        let mut reports = Vec::with_capacity(clips.len());
        for c in clips {
            let session = session_in(&tx, id, c.date, c.body_mass_kg)?;
            reports.push(save_in(&tx, session, c.clip, &created_at)?);
        }
        tx.commit()?;
        Ok((id, reports))
    }
}

/// The video's row: found by content (its path updated when it moved), else by path, else new.
fn video_row(tx: &Transaction<'_>, clip: &ClipInput) -> Result<(i64, Option<PathBuf>), StoreError> {
    let path = path_text(&clip.video_path);
    let recorded = clip.recorded_at.map(|t| t.to_string());
    if let Some(hash) = &clip.video_sha256 {
        let known: Option<(i64, String)> = tx
            .prepare_cached("SELECT id, path FROM video WHERE sha256 = ?1")?
            .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, old)) = known {
            let moved = (old != path).then(|| PathBuf::from(&old));
            tx.prepare_cached(
                "UPDATE video SET path = ?2, recorded_at = coalesce(?3, recorded_at) WHERE id = ?1",
            )?
            .execute(params![id, path, recorded])?;
            return Ok((id, moved));
        }
        // The same file stored earlier without its content (an imported report).
        let unhashed: Option<i64> = tx
            .prepare_cached("SELECT id FROM video WHERE path = ?1 AND sha256 IS NULL")?
            .query_row([&path], |r| r.get(0))
            .optional()?;
        if let Some(id) = unhashed {
            tx.prepare_cached(
                "UPDATE video SET sha256 = ?2, recorded_at = coalesce(?3, recorded_at) WHERE id = ?1",
            )?
            .execute(params![id, hash, recorded])?;
            return Ok((id, None));
        }
    } else if let Some(id) = tx
        .prepare_cached("SELECT id FROM video WHERE path = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([&path], |r| r.get::<_, i64>(0))
        .optional()?
    {
        return Ok((id, None));
    }
    tx.prepare_cached("INSERT INTO video (sha256, path, recorded_at) VALUES (?1, ?2, ?3)")?
        .execute(params![clip.video_sha256, path, recorded])?;
    Ok((tx.last_insert_rowid(), None))
}

fn check_jump(jump: &JumpInput, clip: &ClipInput) -> Result<(), StoreError> {
    let finite = jump.takeoff_s.is_finite()
        && jump.landing_s.is_finite()
        && jump
            .detected_edges
            .is_none_or(|e| e.0.is_finite() && e.1.is_finite())
        && jump.events.iter().all(|e| e.1.is_finite())
        && jump.quality.score.is_finite();
    let values_ok = |metrics: &[Metric]| {
        metrics.iter().all(|m| {
            m.value.is_finite()
                && m.interval
                    .is_none_or(|Interval { low, high }| low.is_finite() && high.is_finite())
        })
    };
    if finite && values_ok(&jump.automatic) && jump.edited.as_deref().is_none_or(values_ok) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "jump {} of {} has a time or value that is not a number",
            jump.index,
            clip.video_path.display()
        )))
    }
}

fn save_in(
    tx: &Transaction<'_>,
    session: SessionId,
    clip: &ClipInput,
    created_at: &str,
) -> Result<SaveReport, StoreError> {
    let exists: Option<i64> = tx
        .prepare_cached("SELECT id FROM session WHERE id = ?1")?
        .query_row([session.0], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!("session {session}")));
    }
    for jump in &clip.jumps {
        check_jump(jump, clip)?;
    }
    let (video, video_moved_from) = video_row(tx, clip)?;
    let mut report = SaveReport {
        video_moved_from,
        ..SaveReport::default()
    };
    for jump in &clip.jumps {
        save_jump(tx, video, session, clip, jump, created_at, &mut report)?;
    }
    Ok(report)
}

/// Stores one jump: a new trial, a new revision of the trial it matches, or nothing when
/// that trial's latest revision says the same.
fn save_jump(
    tx: &Transaction<'_>,
    video: i64,
    session: SessionId,
    clip: &ClipInput,
    jump: &JumpInput,
    created_at: &str,
    report: &mut SaveReport,
) -> Result<(), StoreError> {
    let detected = jump.detected_takeoff_s();
    let known: Option<(i64, i64, i64)> = tx
        .prepare_cached(
            "SELECT id, session_id, latest_revision FROM trial
             WHERE video_id = ?1 AND detected_takeoff_s BETWEEN ?2 AND ?3
             ORDER BY abs(detected_takeoff_s - ?4) LIMIT 1",
        )?
        .query_row(
            params![
                video,
                detected - EDGE_MATCH_S,
                detected + EDGE_MATCH_S,
                detected
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let fingerprint = hex(&Sha256::digest(
        revision_json(clip, jump).to_string().as_bytes(),
    ));
    let (trial, number) = if let Some((trial, old_session, latest)) = known {
        if old_session != session.0 {
            report.reassigned += 1;
        }
        let same: bool = tx
            .prepare_cached(
                "SELECT fingerprint = ?3 FROM revision WHERE trial_id = ?1 AND number = ?2",
            )?
            .query_row(params![trial, latest, fingerprint], |r| r.get(0))
            .optional()?
            .unwrap_or(false);
        let number = if same { latest } else { latest + 1 };
        tx.prepare_cached(
            "UPDATE trial SET session_id = ?2, detected_takeoff_s = ?3, latest_revision = ?4
             WHERE id = ?1",
        )?
        .execute(params![trial, session.0, detected, number])?;
        report.trials.push(TrialId(trial));
        if same {
            report.unchanged += 1;
            return Ok(());
        }
        report.new_revisions += 1;
        (trial, number)
    } else {
        tx.prepare_cached(
            "INSERT INTO trial (session_id, video_id, detected_takeoff_s, latest_revision,
             created_at) VALUES (?1, ?2, ?3, 1, ?4)",
        )?
        .execute(params![session.0, video, detected, created_at])?;
        let trial = tx.last_insert_rowid();
        report.new_trials += 1;
        report.trials.push(TrialId(trial));
        (trial, 1)
    };
    insert_revision(tx, trial, number, clip, jump, &fingerprint, created_at)
}

fn insert_revision(
    tx: &Transaction<'_>,
    trial: i64,
    number: i64,
    clip: &ClipInput,
    jump: &JumpInput,
    fingerprint: &str,
    created_at: &str,
) -> Result<(), StoreError> {
    let (detected_takeoff, detected_landing) = jump
        .detected_edges
        .unwrap_or((jump.takeoff_s, jump.landing_s));
    tx.prepare_cached(
        "INSERT INTO revision (trial_id, number, hangtime_version, model, settings, jump_index,
         kind, takeoff_s, landing_s, detected_takeoff_s, detected_landing_s, edited, events,
         quality_score, warnings, fingerprint, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        trial,
        number,
        clip.hangtime_version,
        clip.model,
        clip.settings.to_string(),
        i64::try_from(jump.index).unwrap_or(i64::MAX),
        jump.kind.name(),
        jump.takeoff_s,
        jump.landing_s,
        detected_takeoff,
        detected_landing,
        jump.edited.is_some(),
        events_json(&jump.events).to_string(),
        jump.quality.score,
        Value::from(jump.quality.warnings.clone()).to_string(),
        fingerprint,
        created_at,
    ])?;
    let revision = tx.last_insert_rowid();
    let mut insert = tx.prepare_cached(
        "INSERT INTO metric_value (revision_id, edited, metric, value, ci_low, ci_high)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let sets = std::iter::once((false, jump.automatic.as_slice()))
        .chain(jump.edited.as_deref().map(|e| (true, e)));
    for (edited, metrics) in sets {
        for m in metrics {
            insert.execute(params![
                revision,
                edited,
                m.id.key(),
                m.value,
                m.interval.map(|c| c.low),
                m.interval.map(|c| c.high),
            ])?;
        }
    }
    Ok(())
}

/// A metric read back from its key; keys this build does not know (a newer catalogue's) are
/// skipped by the caller.
pub(super) fn metric_from_row(
    key: &str,
    value: f64,
    low: Option<f64>,
    high: Option<f64>,
) -> Option<Metric> {
    let id = MetricId::from_key(key)?;
    Some(Metric {
        id,
        value,
        interval: low.zip(high).map(|(low, high)| Interval { low, high }),
    })
}
