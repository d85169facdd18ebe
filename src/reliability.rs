//! "Is this change real?": reliability statistics of one athlete's trials of one metric.
//!
//! - The **typical error** TE is the pooled within-session standard deviation of the athlete's
//!   trials: √(Σ (x − session mean)² / Σ (n − 1)) over the sessions with at least two trials;
//!   its CV % is computed the same way on the logs, 100 · (e^TE(ln x) − 1).
//! - The **smallest worthwhile change** SWC is 0.2 × the between-athlete SD of the athletes
//!   sharing a team tag (at least [`MIN_TEAM_ATHLETES`]), else a value the user set, else none
//!   (TE alone decides), and [`SwcSource`] says which.
//! - A session's mean is a **real change** against the previous session (or a chosen baseline)
//!   when |Δ mean| > max(1.96 · TE · √(1/n₁ + 1/n₂), SWC).
//! - With fewer than two sessions of at least two trials there is no verdict: not enough trials.
//!
//! Pure functions on plain numbers: no database, no units (the caller's values are all in one
//! unit, and so are the results).

use std::f64::consts::SQRT_2;

use serde::Serialize;

/// Two-sided 95 % quantile of the normal distribution.
pub const Z95: f64 = 1.96;
/// SWC as a fraction of the between-athlete SD (Hopkins' "small" effect).
pub const SWC_FRACTION: f64 = 0.2;
/// Fewest athletes of a team tag whose spread gives an SWC.
pub const MIN_TEAM_ATHLETES: usize = 5;
/// Fewest sessions of at least two trials for a verdict.
pub const MIN_SESSIONS: usize = 2;

/// The summary of one session's trials of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Number of trials summarised.
    pub n: usize,
    /// Best trial: the highest, or the lowest for a metric where lower is better.
    pub best: f64,
    /// Mean of the trials.
    pub mean: f64,
    /// Sample standard deviation (n − 1), from two trials on.
    pub sd: Option<f64>,
    /// SD as a percentage of the mean, when both exist and the mean is not zero.
    pub cv_percent: Option<f64>,
}

/// The summary of `values` (`None` when there are none, or any is not finite).
pub fn summarise(values: &[f64], lower_is_better: bool) -> Option<Summary> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let best = values
        .iter()
        .copied()
        .reduce(if lower_is_better { f64::min } else { f64::max })?;
    let mean = mean(values);
    let sd = sample_sd(values);
    let cv_percent = sd
        .filter(|_| mean.abs() > f64::EPSILON)
        .map(|sd| 100.0 * sd / mean.abs());
    Some(Summary {
        n: values.len(),
        best,
        mean,
        sd,
        cv_percent,
    })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample standard deviation (n − 1), from two values on.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values);
    let ss: f64 = values.iter().map(|v| (v - m).powi(2)).sum();
    Some((ss / (values.len() - 1) as f64).sqrt())
}

/// The typical error of an athlete's trials.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TypicalError {
    /// Pooled within-session SD, in the values' unit.
    pub value: f64,
    /// The same on logs as a percentage; `None` when a value is not positive.
    pub cv_percent: Option<f64>,
    /// Sessions with at least two trials that it pools.
    pub sessions: usize,
    /// Degrees of freedom: Σ (n − 1).
    pub degrees_of_freedom: usize,
}

impl TypicalError {
    /// Minimal detectable change between two single trials, 1.96 · √2 · TE.
    pub fn single_trial_mdc(&self) -> f64 {
        Z95 * SQRT_2 * self.value
    }

    /// The smallest difference of two session means of `n1` and `n2` trials that noise
    /// explains less than 5 % of the time: 1.96 · TE · √(1/n₁ + 1/n₂).
    pub fn threshold(&self, n1: usize, n2: usize) -> f64 {
        Z95 * self.value * (1.0 / n1 as f64 + 1.0 / n2 as f64).sqrt()
    }
}

/// Pooled within-session SD over the sessions with at least two values; `None` when there is
/// no such session or a value is not finite.
pub fn typical_error(sessions: &[Vec<f64>]) -> Option<TypicalError> {
    let pooled = |transform: &dyn Fn(f64) -> f64| -> Option<(f64, usize, usize)> {
        let mut ss = 0.0;
        let mut dof = 0;
        let mut used = 0;
        for values in sessions.iter().filter(|s| s.len() >= 2) {
            let t: Vec<f64> = values.iter().map(|&v| transform(v)).collect();
            if t.iter().any(|v| !v.is_finite()) {
                return None;
            }
            let m = mean(&t);
            ss += t.iter().map(|v| (v - m).powi(2)).sum::<f64>();
            dof += t.len() - 1;
            used += 1;
        }
        (dof > 0).then(|| ((ss / dof as f64).sqrt(), dof, used))
    };
    let (value, degrees_of_freedom, used) = pooled(&|v| v)?;
    let all_positive = sessions
        .iter()
        .filter(|s| s.len() >= 2)
        .flatten()
        .all(|&v| v > 0.0);
    let cv_percent = all_positive
        .then(|| pooled(&f64::ln))
        .flatten()
        .map(|(log_sd, _, _)| 100.0 * (log_sd.exp() - 1.0));
    Some(TypicalError {
        value,
        cv_percent,
        sessions: used,
        degrees_of_freedom,
    })
}

/// Where the smallest worthwhile change came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum SwcSource {
    /// 0.2 × the between-athlete SD of the athletes sharing a team tag.
    Team {
        /// The team tag whose athletes gave the spread.
        tag: String,
        /// Athletes with values under that tag.
        athletes: usize,
        /// SD of their means.
        between_sd: f64,
    },
    /// A value the user set.
    User,
    /// None: the typical error alone decides.
    TypicalErrorOnly,
}

/// The smallest worthwhile change and its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swc {
    /// The change, in the values' unit (0 when there is none).
    pub value: f64,
    /// Where it came from.
    #[serde(flatten)]
    pub source: SwcSource,
}

/// The athletes of one team tag: the tag and each athlete's mean.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamMeans {
    /// The team tag.
    pub tag: String,
    /// One mean per athlete.
    pub athlete_means: Vec<f64>,
}

impl Swc {
    /// The SWC by the rule: the first team with at least [`MIN_TEAM_ATHLETES`] athletes (the
    /// caller orders them, largest first), else the user's value, else none.
    pub fn choose(teams: &[TeamMeans], user: Option<f64>) -> Self {
        for team in teams {
            if team.athlete_means.len() < MIN_TEAM_ATHLETES {
                continue;
            }
            if let Some(sd) = sample_sd(&team.athlete_means).filter(|sd| sd.is_finite()) {
                return Self {
                    value: SWC_FRACTION * sd,
                    source: SwcSource::Team {
                        tag: team.tag.clone(),
                        athletes: team.athlete_means.len(),
                        between_sd: sd,
                    },
                };
            }
        }
        match user.filter(|v| v.is_finite() && *v >= 0.0) {
            Some(value) => Self {
                value,
                source: SwcSource::User,
            },
            None => Self {
                value: 0.0,
                source: SwcSource::TypicalErrorOnly,
            },
        }
    }
}

/// Which session each session is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// The previous session with trials.
    #[default]
    Previous,
    /// A chosen session (an index into the sessions).
    Session(usize),
}

/// A session's mean against an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// Index of the session compared with.
    pub against: usize,
    /// This mean minus that mean.
    pub delta: f64,
    /// max(1.96 · TE · √(1/n₁ + 1/n₂), SWC).
    pub threshold: f64,
    /// |delta| > threshold.
    pub real: bool,
}

/// The verdict on an athlete's sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Assessment {
    /// Fewer than [`MIN_SESSIONS`] sessions of at least two trials.
    NotEnoughTrials {
        /// Sessions with at least two trials.
        sessions_with_two_trials: usize,
    },
    /// Typical error, SWC and each session's change.
    Assessed {
        /// The typical error.
        typical_error: TypicalError,
        /// The smallest worthwhile change.
        swc: Swc,
        /// Per session (same order): its change, or `None` for the first session, the
        /// baseline itself and sessions without trials.
        changes: Vec<Option<Change>>,
    },
}

/// Assesses sessions given in date order, each a list of trial values.
pub fn assess(sessions: &[Vec<f64>], baseline: Baseline, swc: Swc) -> Assessment {
    let with_two = sessions.iter().filter(|s| s.len() >= 2).count();
    let typical = typical_error(sessions);
    let Some(typical_error) = typical.filter(|_| with_two >= MIN_SESSIONS) else {
        return Assessment::NotEnoughTrials {
            sessions_with_two_trials: with_two,
        };
    };
    let means: Vec<Option<f64>> = sessions
        .iter()
        .map(|s| (!s.is_empty()).then(|| mean(s)))
        .collect();
    let changes = (0..sessions.len())
        .map(|i| {
            let against = match baseline {
                Baseline::Previous => (0..i).rev().find(|&j| means[j].is_some())?,
                Baseline::Session(b) => Some(b).filter(|&b| b != i && b < sessions.len())?,
            };
            let (now, then) = (means[i]?, means[against]?);
            let delta = now - then;
            let threshold = typical_error
                .threshold(sessions[i].len(), sessions[against].len())
                .max(swc.value);
            Some(Change {
                against,
                delta,
                threshold,
                real: delta.abs() > threshold,
            })
        })
        .collect();
    Assessment::Assessed {
        typical_error,
        swc,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn the_worked_example_of_the_issue() {
        // Sessions 40/41/42 and 43/44/45 cm; a team whose athletes' means have an SD of 5 cm.
        let sessions = vec![vec![40.0, 41.0, 42.0], vec![43.0, 44.0, 45.0]];
        let te = typical_error(&sessions).unwrap();
        assert!(close(te.value, 1.0, 1e-12), "{te:?}");
        assert_eq!(te.degrees_of_freedom, 4);
        assert!(
            close(te.threshold(3, 3), 1.60, 0.005),
            "{}",
            te.threshold(3, 3)
        );
        assert!(close(te.single_trial_mdc(), 2.77, 0.005));
        let team = TeamMeans {
            tag: "U18".to_owned(),
            athlete_means: vec![40.0, 50.0, 40.0, 50.0, 45.0],
        };
        let swc = Swc::choose(&[team], Some(3.0));
        assert!(close(swc.value, 1.0, 1e-12), "{swc:?}");
        assert_eq!(
            swc.source,
            SwcSource::Team {
                tag: "U18".to_owned(),
                athletes: 5,
                between_sd: 5.0
            }
        );
        let Assessment::Assessed { changes, .. } = assess(&sessions, Baseline::Previous, swc)
        else {
            panic!("two sessions of three trials are enough");
        };
        assert_eq!(changes[0], None);
        let change = changes[1].unwrap();
        assert_eq!(change.against, 0);
        assert!(close(change.delta, 3.0, 1e-12));
        assert!(close(change.threshold, 1.60, 0.005));
        assert!(change.real);
    }

    #[test]
    fn the_swc_wins_when_it_is_larger_and_a_small_change_is_noise() {
        let sessions = vec![vec![40.0, 41.0, 42.0], vec![41.0, 42.0, 43.0]];
        let swc = Swc::choose(&[], Some(2.0));
        assert_eq!(swc.source, SwcSource::User);
        let Assessment::Assessed { changes, .. } = assess(&sessions, Baseline::Previous, swc)
        else {
            panic!("enough trials");
        };
        let change = changes[1].unwrap();
        assert!(close(change.threshold, 2.0, 1e-12));
        assert!(!change.real);
    }

    #[test]
    fn a_team_smaller_than_five_falls_back_to_the_user_value_then_to_te_alone() {
        let small = TeamMeans {
            tag: "pair".to_owned(),
            athlete_means: vec![40.0, 50.0, 45.0, 42.0],
        };
        assert_eq!(
            Swc::choose(std::slice::from_ref(&small), Some(1.5)),
            Swc {
                value: 1.5,
                source: SwcSource::User
            }
        );
        let none = Swc::choose(&[small], None);
        assert_eq!(none.source, SwcSource::TypicalErrorOnly);
        assert!(none.value.abs() < f64::EPSILON);
    }

    #[test]
    fn fewer_than_two_sessions_of_two_trials_is_not_enough() {
        let swc = Swc::choose(&[], None);
        assert_eq!(
            assess(
                &[vec![40.0, 41.0], vec![45.0]],
                Baseline::Previous,
                swc.clone()
            ),
            Assessment::NotEnoughTrials {
                sessions_with_two_trials: 1
            }
        );
        assert_eq!(
            assess(&[], Baseline::Previous, swc),
            Assessment::NotEnoughTrials {
                sessions_with_two_trials: 0
            }
        );
    }

    #[test]
    fn a_chosen_baseline_is_compared_with_every_other_session() {
        let sessions = vec![
            vec![40.0, 41.0, 42.0],
            vec![],
            vec![41.0, 42.0],
            vec![45.0, 46.0, 47.0],
        ];
        let swc = Swc::choose(&[], None);
        let Assessment::Assessed {
            changes,
            typical_error,
            ..
        } = assess(&sessions, Baseline::Session(0), swc.clone())
        else {
            panic!("enough trials");
        };
        // SS = 2 + 0.5 + 2 over 2 + 1 + 2 degrees of freedom.
        assert!(close(typical_error.value, (4.5f64 / 5.0).sqrt(), 1e-12));
        assert_eq!(changes[0], None);
        assert_eq!(changes[1], None);
        assert_eq!(changes[2].unwrap().against, 0);
        assert_eq!(changes[3].unwrap().against, 0);
        assert!(close(changes[3].unwrap().delta, 5.0, 1e-12));
        // Against the previous session, the empty one is skipped.
        let Assessment::Assessed { changes, .. } = assess(&sessions, Baseline::Previous, swc)
        else {
            panic!("enough trials");
        };
        assert_eq!(changes[2].unwrap().against, 0);
        assert_eq!(changes[3].unwrap().against, 2);
    }

    #[test]
    fn the_cv_of_the_typical_error_is_taken_on_logs() {
        // Two sessions at ×1.1 steps: ln values step by ln 1.1, so the log-SD is ln 1.1 and
        // the CV is 10 %.
        let sessions = vec![vec![1.0, 1.1, 1.21], vec![2.0, 2.2, 2.42]];
        let te = typical_error(&sessions).unwrap();
        assert!(close(te.cv_percent.unwrap(), 10.0, 1e-9), "{te:?}");
        let negative = vec![vec![-1.0, 1.0], vec![2.0, 3.0]];
        assert_eq!(typical_error(&negative).unwrap().cv_percent, None);
    }

    #[test]
    fn a_session_summary_has_n_best_mean_sd_and_cv() {
        let s = summarise(&[0.40, 0.42, 0.44], false).unwrap();
        assert_eq!(s.n, 3);
        assert!(close(s.best, 0.44, 1e-12));
        assert!(close(s.mean, 0.42, 1e-12));
        assert!(close(s.sd.unwrap(), 0.02, 1e-12));
        assert!(close(s.cv_percent.unwrap(), 100.0 * 0.02 / 0.42, 1e-9));
        let contact = summarise(&[0.21, 0.19, 0.25], true).unwrap();
        assert!(close(contact.best, 0.19, 1e-12));
        let one = summarise(&[0.5], false).unwrap();
        assert_eq!((one.sd, one.cv_percent), (None, None));
        assert_eq!(summarise(&[], false), None);
        assert_eq!(summarise(&[f64::NAN], false), None);
    }
}
