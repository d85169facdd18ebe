//! Reading a JSON report back (for `hangtime db import`): the contract `json.rs` writes, in
//! reverse. Metric and event keys are read through the catalogue (former keys included);
//! keys this build does not know are skipped and listed, never fatal.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::analysis::catalogue::SCHEMA_VERSION;
use crate::analysis::{EventId, Interval, JumpKind, Metric, MetricId, Quality};

/// Why a report cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON, or not shaped like a Hangtime report.
    #[error("it is not a Hangtime JSON report ({0})")]
    Json(#[from] serde_json::Error),
    /// Another schema version.
    #[error("it has schema version {found}; this Hangtime reads version {SCHEMA_VERSION}")]
    Schema {
        /// The report's version.
        found: u64,
    },
}

/// A report read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadReport {
    /// The Hangtime version that wrote it.
    pub hangtime_version: String,
    /// One entry per video, in the report's order.
    pub videos: Vec<ReportedVideo>,
    /// Metric and event keys this build does not know (skipped).
    pub unknown_keys: Vec<String>,
}

/// One video of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedVideo {
    /// The video's path when it was analysed.
    pub path: PathBuf,
    /// Its analysis, or the reason it failed.
    pub outcome: Result<ReportedAnalysis, String>,
}

/// What a report says about an analysed video.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedAnalysis {
    /// Pose model name.
    pub model: String,
    /// The video's jumps in time order.
    pub jumps: Vec<ReportedJump>,
}

/// One jump of a report (values rounded as the report rounds them).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedJump {
    /// 1-based position in the clip.
    pub index: usize,
    /// Jump kind as analysed.
    pub kind: JumpKind,
    /// Event times in seconds, in catalogue order.
    pub events: Vec<(EventId, f64)>,
    /// Metrics in catalogue order, with their intervals.
    pub metrics: Vec<Metric>,
    /// Quality score and warnings.
    pub quality: Quality,
    /// The automatic (takeoff, landing) of a jump a person corrected.
    pub detected_edges: Option<(f64, f64)>,
}

impl ReportedJump {
    /// An event's time.
    pub fn event(&self, id: EventId) -> Option<f64> {
        self.events.iter().find(|e| e.0 == id).map(|e| e.1)
    }
}

#[derive(Deserialize)]
struct Document {
    schema_version: u64,
    hangtime_version: String,
    results: Vec<VideoEntry>,
}

#[derive(Deserialize)]
struct VideoEntry {
    video: VideoField,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    jumps: Vec<JumpEntry>,
}

#[derive(Deserialize)]
struct VideoField {
    path: PathBuf,
}

#[derive(Deserialize)]
struct JumpEntry {
    index: usize,
    kind: JumpKind,
    #[serde(default)]
    events: BTreeMap<String, f64>,
    #[serde(default)]
    metrics: BTreeMap<String, f64>,
    #[serde(default)]
    intervals: BTreeMap<String, Interval>,
    #[serde(default)]
    quality: Quality,
    #[serde(default)]
    detected_edges: Option<BTreeMap<String, f64>>,
}

/// Reads the text of a JSON report.
///
/// # Errors
/// Text that is not a Hangtime report of this schema version.
pub fn read_report(text: &str) -> Result<ReadReport, ReadError> {
    let version: serde_json::Value = serde_json::from_str(text)?;
    if let Some(found) = version
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        && found != u64::from(SCHEMA_VERSION)
    {
        return Err(ReadError::Schema { found });
    }
    let doc: Document = serde_json::from_value(version)?;
    if doc.schema_version != u64::from(SCHEMA_VERSION) {
        return Err(ReadError::Schema {
            found: doc.schema_version,
        });
    }
    let mut unknown = Vec::new();
    let videos = doc
        .results
        .into_iter()
        .map(|v| ReportedVideo {
            path: v.video.path,
            outcome: match v.error {
                Some(error) => Err(error),
                None => Ok(ReportedAnalysis {
                    model: v.model.unwrap_or_default(),
                    jumps: v.jumps.into_iter().map(|j| jump(j, &mut unknown)).collect(),
                }),
            },
        })
        .collect();
    unknown.sort();
    unknown.dedup();
    Ok(ReadReport {
        hangtime_version: doc.hangtime_version,
        videos,
        unknown_keys: unknown,
    })
}

fn jump(j: JumpEntry, unknown: &mut Vec<String>) -> ReportedJump {
    let mut events: Vec<(EventId, f64)> = Vec::new();
    for (key, t) in j.events {
        match EventId::from_key(&key) {
            Some(id) => events.push((id, t)),
            None => unknown.push(key),
        }
    }
    events.sort_by_key(|e| e.0);
    let mut metrics = Vec::new();
    for (key, value) in &j.metrics {
        match MetricId::from_key(key) {
            Some(id) => metrics.push(Metric {
                id,
                value: *value,
                interval: j.intervals.get(key).copied(),
            }),
            None => unknown.push(key.clone()),
        }
    }
    metrics.sort_by_key(|m| m.id);
    let detected_edges = j.detected_edges.and_then(|e| {
        Some((
            *e.get(EventId::Takeoff.key())?,
            *e.get(EventId::Landing.key())?,
        ))
    });
    ReportedJump {
        index: j.index,
        kind: j.kind,
        events,
        metrics,
        quality: j.quality,
        detected_edges,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::analysis::{Analysis, Event, Jump};
    use crate::pipeline::VideoAnalysis;
    use crate::report::{VideoOutcome, document};

    #[test]
    fn a_written_report_reads_back() {
        let jump = Jump {
            index: 2,
            kind: JumpKind::Cmj,
            takeoff_frame: 60,
            landing_frame: 77,
            events: vec![
                Event {
                    id: EventId::Takeoff,
                    time_s: 2.0123,
                    frame: 60,
                },
                Event {
                    id: EventId::Landing,
                    time_s: 2.5871,
                    frame: 77,
                },
            ],
            metrics: vec![
                Metric {
                    id: MetricId::JumpHeight,
                    value: 0.4051,
                    interval: Some(Interval {
                        low: 0.3911,
                        high: 0.4189,
                    }),
                },
                Metric {
                    id: MetricId::FlightTime,
                    value: 0.5748,
                    interval: None,
                },
            ],
            quality: Quality {
                score: 0.75,
                warnings: vec!["=not a formula".to_owned()],
            },
            detected_edges: Some((2.0, 2.6)),
        };
        let video = VideoAnalysis {
            info: crate::video::VideoInfo {
                path: PathBuf::from("/clips/a b.mp4"),
                ..Default::default()
            },
            model: crate::pose::ModelVariant::Full,
            poses: Vec::new(),
            people: Vec::new(),
            person: 0,
            analysis: Analysis {
                jumps: vec![jump],
                ..Analysis::default()
            },
            timings: crate::timing::Timings::new(),
            warnings: Vec::new(),
        };
        let failed = PathBuf::from("/clips/broken.mp4");
        let doc = document(&[
            VideoOutcome::Done(&video),
            VideoOutcome::Failed(&failed, "not a video".to_owned()),
        ]);
        let back = read_report(&doc.to_string()).unwrap();
        assert_eq!(back.hangtime_version, env!("CARGO_PKG_VERSION"));
        assert!(back.unknown_keys.is_empty());
        assert_eq!(back.videos.len(), 2);
        assert_eq!(back.videos[1].outcome, Err("not a video".to_owned()));
        let analysis = back.videos[0].outcome.as_ref().unwrap();
        assert_eq!(back.videos[0].path, Path::new("/clips/a b.mp4"));
        assert_eq!(analysis.model, "full");
        let j = &analysis.jumps[0];
        assert_eq!((j.index, j.kind), (2, JumpKind::Cmj));
        assert_eq!(j.event(EventId::Takeoff), Some(2.0123));
        assert_eq!(j.metrics, video.analysis.jumps[0].metrics);
        assert_eq!(j.quality, video.analysis.jumps[0].quality);
        assert_eq!(j.detected_edges, Some((2.0, 2.6)));
    }

    #[test]
    fn other_schemas_and_unknown_keys_are_told_apart() {
        let err = read_report(r#"{"schema_version": 1, "hangtime_version": "0", "results": []}"#)
            .unwrap_err();
        assert!(err.to_string().contains("schema version 1"), "{err}");
        assert!(read_report("not json").is_err());
        let mut events = serde_json::Map::new();
        events.insert(EventId::Takeoff.key().to_owned(), 1.0.into());
        events.insert("new_event".to_owned(), 2.0.into());
        let mut metrics = serde_json::Map::new();
        metrics.insert(MetricId::FlightTime.key().to_owned(), 0.5.into());
        metrics.insert("new_metric_w".to_owned(), 3.0.into());
        let text = serde_json::json!({
            "schema_version": SCHEMA_VERSION,
            "hangtime_version": "9",
            "results": [{"video": {"path": "x.mp4"}, "model": "lite", "jumps": [
                {"index": 1, "kind": "sj", "events": events, "metrics": metrics}]}],
        })
        .to_string();
        let back = read_report(&text).unwrap();
        assert_eq!(back.unknown_keys, ["new_event", "new_metric_w"]);
        let j = &back.videos[0].outcome.as_ref().unwrap().jumps[0];
        assert_eq!(j.metrics.len(), 1);
        assert_eq!(j.events, [(EventId::Takeoff, 1.0)]);
    }
}
