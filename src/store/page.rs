//! The athlete page: every trial with the values in use, each session's summary of one metric,
//! and the verdict on which session means changed for real.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use jiff::civil::Date;
use rusqlite::params;
use serde::Serialize;

use super::athletes::{count_at, date_at};
use super::model::{Athlete, AthleteId, Session, SessionId, TrialId};
use super::save::metric_from_row;
use super::{Store, StoreError};
use crate::analysis::catalogue::Need;
use crate::analysis::power::body_mass_metrics;
use crate::analysis::{JumpKind, Metric, MetricId};
use crate::reliability::{
    self, Assessment, Baseline, Change, SWC_FRACTION, Summary, Swc, SwcSource, TeamMeans,
};

/// What an athlete page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    /// The athlete whose page it is.
    pub athlete: AthleteId,
    /// The metric summarised and judged.
    pub metric: MetricId,
    /// The jump kind judged; `None` takes the athlete's most frequent kind with that metric.
    pub kind: Option<JumpKind>,
    /// Compare every session with this one instead of with the previous one.
    pub baseline: Option<SessionId>,
    /// A smallest worthwhile change set by the user, in the metric's stored unit (used when no
    /// team of at least five athletes gives one).
    pub user_swc: Option<f64>,
}

impl PageRequest {
    /// The page of `athlete` for `metric` with every choice left to the rules.
    pub fn new(athlete: AthleteId, metric: MetricId) -> Self {
        Self {
            athlete,
            metric,
            kind: None,
            baseline: None,
            user_swc: None,
        }
    }
}

/// One trial of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    /// The trial's row id (to exclude it or open its video).
    pub trial: TrialId,
    /// The session it belongs to.
    pub session: SessionId,
    /// The session's date.
    pub date: Date,
    /// The video's last known path.
    pub video_path: PathBuf,
    /// Position of the jump in the clip at its latest analysis.
    pub jump_index: usize,
    /// Takeoff time in the video, in seconds (opens the video at this jump).
    pub takeoff_s: f64,
    /// Jump kind at the latest analysis.
    pub kind: JumpKind,
    /// Whether the values in use are a person's correction.
    pub edited: bool,
    /// Number of the latest revision (1 for a trial analysed once).
    pub revision: u32,
    /// Hangtime version of the latest revision.
    pub hangtime_version: String,
    /// Pose model of the latest revision.
    pub model: String,
    /// Quality score, 0 to 1.
    pub quality_score: f64,
    /// Left out of the statistics.
    pub excluded: bool,
    /// Why it is left out.
    pub exclusion_reason: String,
    /// The values in use (corrected over automatic), with the session's body-mass metrics.
    pub metrics: Vec<Metric>,
    /// The best included trial of its session for the page's metric and kind.
    pub best_of_session: bool,
}

impl HistoryRow {
    /// A metric's value in use.
    pub fn metric(&self, id: MetricId) -> Option<f64> {
        self.metrics.iter().find(|m| m.id == id).map(|m| m.value)
    }

    /// "best, edited, revision 2, excluded: stumbled": what a person should know about the
    /// trial beside its value.
    pub fn notes(&self) -> String {
        let mut notes = Vec::new();
        if self.best_of_session {
            notes.push("best".to_owned());
        }
        if self.edited {
            notes.push("edited".to_owned());
        }
        if self.revision > 1 {
            notes.push(format!("revision {}", self.revision));
        }
        if self.excluded {
            notes.push(if self.exclusion_reason.is_empty() {
                "excluded".to_owned()
            } else {
                format!("excluded: {}", self.exclusion_reason)
            });
        }
        notes.join(", ")
    }

    /// A metric's 95 % interval.
    pub fn interval(&self, id: MetricId) -> Option<crate::analysis::Interval> {
        self.metrics
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| m.interval)
    }
}

/// One session with its summary and change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    /// The session's details.
    pub session: Session,
    /// The page's metric over its included trials of the page's kind.
    pub summary: Option<Summary>,
    /// Against the previous session (or the baseline), when judged.
    pub change: Option<Change>,
}

/// An athlete's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AthletePage {
    /// The athlete with details and tags.
    pub athlete: Athlete,
    /// The metric summarised.
    pub metric: MetricId,
    /// The kind summarised (`None` when the athlete has no trial with the metric).
    pub kind: Option<JumpKind>,
    /// Every trial, by date and takeoff.
    pub trials: Vec<HistoryRow>,
    /// Every session, by date.
    pub sessions: Vec<SessionRow>,
    /// Typical error, SWC and the verdict, or "not enough trials".
    pub assessment: Assessment,
}

impl AthletePage {
    /// A session's change as a sentence fragment: "+1.5 cm vs 2026-01-05 (needs > 1.6): within
    /// noise"; empty when the session is not judged.
    pub fn change_text(&self, row: &SessionRow) -> String {
        let spec = self.metric.spec();
        let unit = unit_suffix(spec);
        row.change.map_or_else(String::new, |c| {
            let against = self
                .sessions
                .get(c.against)
                .map_or_else(String::new, |a| a.session.details.date.to_string());
            let sign = if c.delta >= 0.0 { "+" } else { "−" };
            format!(
                "{sign}{}{unit} vs {against} (needs > {}): {}",
                spec.format_number(c.delta.abs()),
                spec.format_number(c.threshold),
                if c.real {
                    "REAL CHANGE"
                } else {
                    "within noise"
                }
            )
        })
    }

    /// The verdict's rules and figures in plain sentences; `user_swc_source` says where a
    /// user-set SWC came from ("as set with --swc", "as set on this page").
    pub fn verdict_text(&self, user_swc_source: &str) -> String {
        let spec = self.metric.spec();
        let u = unit_suffix(spec);
        match &self.assessment {
            Assessment::NotEnoughTrials {
                sessions_with_two_trials,
            } => format!(
                "Not enough trials: a verdict needs two sessions of at least two trials ({sessions_with_two_trials} so far).\n"
            ),
            Assessment::Assessed {
                typical_error, swc, ..
            } => {
                let cv = typical_error
                    .cv_percent
                    .map_or_else(String::new, |cv| format!(" (CV {cv:.1} %)"));
                let swc_text = match &swc.source {
                    SwcSource::Team {
                        tag,
                        athletes,
                        between_sd,
                    } => format!(
                        "{}{u} = {SWC_FRACTION} × the SD {}{u} between the {athletes} athletes tagged {tag:?}",
                        spec.format_number(swc.value),
                        spec.format_number(*between_sd)
                    ),
                    SwcSource::User => {
                        format!("{}{u}, {user_swc_source}", spec.format_number(swc.value))
                    }
                    SwcSource::TypicalErrorOnly => {
                        "none (no team tag of five athletes, none set): the typical error alone decides"
                            .to_owned()
                    }
                };
                format!(
                    "Typical error {}{u}{cv} from {} session{}; a single trial must move {}{u} to be real.\n\
                     Smallest worthwhile change: {swc_text}.\n\
                     A session is a real change when its mean moves more than 1.96 × TE × √(1/n₁ + 1/n₂) and more than the SWC.\n",
                    spec.format_number(typical_error.value),
                    typical_error.sessions,
                    if typical_error.sessions == 1 { "" } else { "s" },
                    spec.format_number(typical_error.single_trial_mdc()),
                )
            }
        }
    }
}

/// " cm" for a metric shown in cm, "" for one without a unit.
fn unit_suffix(spec: &crate::analysis::catalogue::MetricSpec) -> String {
    if spec.display.symbol.is_empty() {
        String::new()
    } else {
        format!(" {}", spec.display.symbol)
    }
}

/// The values in use of each revision, by revision id.
type RevisionMetrics = HashMap<i64, Vec<Metric>>;

impl Store {
    /// The athlete page for `request`.
    ///
    /// # Errors
    /// An athlete that does not exist, or a database failure.
    pub fn athlete_page(&self, request: &PageRequest) -> Result<AthletePage, StoreError> {
        let athlete = self
            .athlete(request.athlete)?
            .ok_or_else(|| StoreError::NotFound(format!("athlete {}", request.athlete)))?;
        let sessions = self.sessions(request.athlete)?;
        let mut trials = self.history(request.athlete, &sessions)?;
        let metric = request.metric;
        let counts_for = |row: &HistoryRow, kind: JumpKind| {
            !row.excluded && row.kind == kind && row.metric(metric).is_some()
        };
        let kind = request.kind.or_else(|| most_frequent_kind(&trials, metric));
        let mut per_session: BTreeMap<SessionId, Vec<f64>> = BTreeMap::new();
        if let Some(kind) = kind {
            for row in trials.iter().filter(|r| counts_for(r, kind)) {
                if let Some(v) = row.metric(metric) {
                    per_session.entry(row.session).or_default().push(v);
                }
            }
            let lower = metric.lower_is_better();
            for session in &sessions {
                let best = per_session
                    .get(&session.id)
                    .and_then(|v| reliability::summarise(v, lower))
                    .map(|s| s.best);
                let Some(best) = best else { continue };
                // One best per session: the first trial holding the best value.
                if let Some(row) = trials.iter_mut().find(|r| {
                    r.session == session.id
                        && !r.excluded
                        && r.kind == kind
                        && r.metric(metric) == Some(best)
                }) {
                    row.best_of_session = true;
                }
            }
        }
        let values: Vec<Vec<f64>> = sessions
            .iter()
            .map(|s| per_session.get(&s.id).cloned().unwrap_or_default())
            .collect();
        let teams = match kind {
            Some(kind) => self.team_means(&athlete.details.tags, metric, kind)?,
            None => Vec::new(),
        };
        let swc = Swc::choose(&teams, request.user_swc);
        let baseline = request
            .baseline
            .and_then(|b| sessions.iter().position(|s| s.id == b))
            .map_or(Baseline::Previous, Baseline::Session);
        let assessment = reliability::assess(&values, baseline, swc);
        let changes = match &assessment {
            Assessment::Assessed { changes, .. } => changes.clone(),
            Assessment::NotEnoughTrials { .. } => vec![None; sessions.len()],
        };
        let lower = metric.lower_is_better();
        let sessions = sessions
            .into_iter()
            .zip(values.iter())
            .zip(changes)
            .map(|((session, v), change)| SessionRow {
                session,
                summary: reliability::summarise(v, lower),
                change,
            })
            .collect();
        Ok(AthletePage {
            athlete,
            metric,
            kind,
            trials,
            sessions,
            assessment,
        })
    }

    /// Every trial of an athlete with the values of its latest revision.
    fn history(
        &self,
        athlete: AthleteId,
        sessions: &[Session],
    ) -> Result<Vec<HistoryRow>, StoreError> {
        let body_mass: HashMap<SessionId, f64> = sessions
            .iter()
            .filter_map(|s| Some((s.id, s.details.body_mass_kg?)))
            .collect();
        let mut metrics: RevisionMetrics = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, m.metric, m.value, m.ci_low, m.ci_high
             FROM session s
             JOIN trial t ON t.session_id = s.id
             JOIN revision r ON r.trial_id = t.id AND r.number = t.latest_revision
             JOIN metric_value m ON m.revision_id = r.id AND m.edited = r.edited
             WHERE s.athlete_id = ?1",
        )?;
        let mut rows = stmt.query([athlete.0])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(1)?;
            if let Some(m) = metric_from_row(&key, r.get(2)?, r.get(3)?, r.get(4)?) {
                metrics.entry(r.get(0)?).or_default().push(m);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, t.session_id, s.date, v.path, r.jump_index, r.takeoff_s, r.kind,
                    r.edited, r.number, r.hangtime_version, r.model, r.quality_score,
                    t.excluded, t.exclusion_reason, r.id
             FROM session s
             JOIN trial t ON t.session_id = s.id
             JOIN revision r ON r.trial_id = t.id AND r.number = t.latest_revision
             JOIN video v ON v.id = t.video_id
             WHERE s.athlete_id = ?1
             ORDER BY s.date, s.id, t.video_id, r.takeoff_s",
        )?;
        let mut rows = stmt.query([athlete.0])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let kind_name: String = r.get(6)?;
            let Some(kind) = JumpKind::from_name(&kind_name) else {
                continue;
            };
            let session = SessionId(r.get(1)?);
            let mut values = metrics.remove(&r.get::<_, i64>(14)?).unwrap_or_default();
            values.sort_by_key(|m| m.id);
            if let Some(&mass) = body_mass.get(&session) {
                let derived = body_mass_metrics(kind, &values, mass);
                values.extend(derived);
            }
            let path: String = r.get(3)?;
            out.push(HistoryRow {
                trial: TrialId(r.get(0)?),
                session,
                date: date_at(r, 2)?,
                video_path: PathBuf::from(path),
                jump_index: count_at(r, 4)?,
                takeoff_s: r.get(5)?,
                kind,
                edited: r.get(7)?,
                revision: r.get(8)?,
                hangtime_version: r.get(9)?,
                model: r.get(10)?,
                quality_score: r.get(11)?,
                excluded: r.get(12)?,
                exclusion_reason: r.get(13)?,
                metrics: values,
                best_of_session: false,
            });
        }
        Ok(out)
    }

    /// For each tag, the mean of `metric` of every athlete with included trials of `kind`
    /// under that tag; largest groups first.
    fn team_means(
        &self,
        tags: &[String],
        metric: MetricId,
        kind: JumpKind,
    ) -> Result<Vec<TeamMeans>, StoreError> {
        // Body-mass metrics are not stored: they come from the height and the session's mass.
        let derived = metric.spec().needs(Need::BodyMass);
        let stored_key = if derived {
            MetricId::JumpHeight.key()
        } else {
            metric.key()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.athlete_id, m.value, s.body_mass_kg
             FROM athlete_tag g
             JOIN session s ON s.athlete_id = g.athlete_id
             JOIN trial t ON t.session_id = s.id AND t.excluded = 0
             JOIN revision r ON r.trial_id = t.id AND r.number = t.latest_revision
             JOIN metric_value m ON m.revision_id = r.id AND m.edited = r.edited AND m.metric = ?3
             WHERE g.tag = ?1 AND r.kind = ?2",
        )?;
        let mut teams = Vec::new();
        for tag in tags {
            let mut sums: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
            let mut rows = stmt.query(params![tag, kind.name(), stored_key])?;
            while let Some(r) = rows.next()? {
                let value: f64 = r.get(1)?;
                let value = if derived {
                    let Some(mass) = r.get::<_, Option<f64>>(2)? else {
                        continue;
                    };
                    let height = [Metric {
                        id: MetricId::JumpHeight,
                        value,
                        interval: None,
                    }];
                    let Some(v) = body_mass_metrics(kind, &height, mass)
                        .into_iter()
                        .find(|m| m.id == metric)
                    else {
                        continue;
                    };
                    v.value
                } else {
                    value
                };
                let e = sums.entry(r.get(0)?).or_default();
                e.0 += value;
                e.1 += 1;
            }
            teams.push(TeamMeans {
                tag: tag.clone(),
                athlete_means: sums.values().map(|(s, n)| s / *n as f64).collect(),
            });
        }
        teams.sort_by(|a, b| {
            b.athlete_means
                .len()
                .cmp(&a.athlete_means.len())
                .then_with(|| a.tag.cmp(&b.tag))
        });
        Ok(teams)
    }
}

/// The kind with the most included trials that have `metric` (ties: catalogue order).
fn most_frequent_kind(trials: &[HistoryRow], metric: MetricId) -> Option<JumpKind> {
    let mut best: Option<(JumpKind, usize)> = None;
    for kind in JumpKind::ALL {
        let n = trials
            .iter()
            .filter(|r| !r.excluded && r.kind == kind && r.metric(metric).is_some())
            .count();
        if n > 0 && best.is_none_or(|(_, most)| n > most) {
            best = Some((kind, n));
        }
    }
    best.map(|(kind, _)| kind)
}

/// One stored analysis of a trial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// 1 for the first analysis, then one more per re-analysis that changed anything.
    pub number: u32,
    /// Hangtime version that made it.
    pub hangtime_version: String,
    /// Pose model of that analysis.
    pub model: String,
    /// Analysis settings (JSON).
    pub settings: serde_json::Value,
    /// Position of the jump in the clip at that analysis.
    pub jump_index: usize,
    /// Jump kind at that analysis.
    pub kind: JumpKind,
    /// Takeoff in use (corrected, if corrected).
    pub takeoff_s: f64,
    /// Landing in use.
    pub landing_s: f64,
    /// The automatic takeoff and landing.
    pub detected_edges: (f64, f64),
    /// The automatic metrics (empty when they were not known).
    pub automatic: Vec<Metric>,
    /// A person's corrected metrics.
    pub edited: Option<Vec<Metric>>,
}

impl Store {
    /// Every revision of a trial, oldest first.
    ///
    /// # Errors
    /// A database failure.
    pub fn revisions(&self, trial: TrialId) -> Result<Vec<Revision>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, number, hangtime_version, model, settings, jump_index, kind, takeoff_s,
                    landing_s, detected_takeoff_s, detected_landing_s, edited
             FROM revision WHERE trial_id = ?1 ORDER BY number",
        )?;
        let mut rows = stmt.query([trial.0])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let kind: String = r.get(6)?;
            let Some(kind) = JumpKind::from_name(&kind) else {
                continue;
            };
            let settings: String = r.get(4)?;
            let edited: bool = r.get(11)?;
            let mut automatic = Vec::new();
            let mut corrected = Vec::new();
            let mut values = self.conn.prepare_cached(
                "SELECT edited, metric, value, ci_low, ci_high FROM metric_value
                 WHERE revision_id = ?1",
            )?;
            let mut metric_rows = values.query([id])?;
            while let Some(m) = metric_rows.next()? {
                let key: String = m.get(1)?;
                let Some(metric) = metric_from_row(&key, m.get(2)?, m.get(3)?, m.get(4)?) else {
                    continue;
                };
                if m.get::<_, bool>(0)? {
                    corrected.push(metric);
                } else {
                    automatic.push(metric);
                }
            }
            automatic.sort_by_key(|m| m.id);
            corrected.sort_by_key(|m| m.id);
            out.push(Revision {
                number: r.get(1)?,
                hangtime_version: r.get(2)?,
                model: r.get(3)?,
                settings: serde_json::from_str(&settings).unwrap_or(serde_json::Value::Null),
                jump_index: count_at(r, 5)?,
                kind,
                takeoff_s: r.get(7)?,
                landing_s: r.get(8)?,
                detected_edges: (r.get(9)?, r.get(10)?),
                automatic,
                edited: edited.then_some(corrected),
            });
        }
        Ok(out)
    }
}
