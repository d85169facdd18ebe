//! The JSON contract: `{"schema_version", "hangtime_version", "results": [per video]}` (see the
//! README). Keys of events and metrics come from the catalogue.

use serde_json::{Map, Value, json};

use crate::analysis::catalogue::SCHEMA_VERSION;
use crate::analysis::{EventId, Jump};
use crate::pipeline::VideoAnalysis;

/// A video's outcome: analysed, or failed with a message.
pub enum VideoOutcome<'a> {
    /// Analysed.
    Done(&'a VideoAnalysis),
    /// Failed; the path and the one-sentence reason.
    Failed(&'a std::path::Path, String),
}

fn round(v: f64, digits: i32) -> Value {
    let k = 10f64.powi(digits);
    let r = (v * k).round() / k;
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}

/// The JSON object of one jump.
pub fn jump_json(j: &Jump) -> Value {
    let events: Map<String, Value> = j
        .events
        .iter()
        .map(|e| (e.id.key().to_owned(), round(e.time_s, 4)))
        .collect();
    let metrics: Map<String, Value> = j
        .metrics
        .iter()
        .map(|m| (m.id.key().to_owned(), round(m.value, 4)))
        .collect();
    let intervals: Map<String, Value> = j
        .metrics
        .iter()
        .filter_map(|m| {
            let ci = m.interval?;
            Some((
                m.id.key().to_owned(),
                json!({ "low": round(ci.low, 4), "high": round(ci.high, 4) }),
            ))
        })
        .collect();
    let mut out = json!({
        "index": j.index,
        "kind": j.kind.name(),
        "takeoff_frame": j.takeoff_frame,
        "landing_frame": j.landing_frame,
        "events": events,
        "metrics": metrics,
        "intervals": intervals,
        "quality": { "score": j.quality.score, "warnings": j.quality.warnings },
        "edited": j.edited(),
    });
    if let (Some((takeoff, landing)), Some(obj)) = (j.detected_edges, out.as_object_mut()) {
        obj.insert(
            "detected_edges".to_owned(),
            json!({
                EventId::Takeoff.key(): round(takeoff, 4),
                EventId::Landing.key(): round(landing, 4),
            }),
        );
    }
    out
}

/// The JSON object of one video.
pub fn video_json(outcome: &VideoOutcome<'_>) -> Value {
    match outcome {
        VideoOutcome::Failed(path, error) => json!({
            "video": { "path": path.display().to_string() },
            "error": error,
        }),
        VideoOutcome::Done(v) => {
            let info = &v.info;
            let jumps: Vec<Value> = v.analysis.jumps.iter().map(jump_json).collect();
            let timings: Vec<Value> = v
                .timings
                .stages()
                .iter()
                .map(|s| {
                    json!({ "stage": s.stage, "parent": s.parent, "ms": round(s.ms, 2), "runs": s.runs })
                })
                .collect();
            json!({
                "video": {
                    "path": info.path.display().to_string(),
                    "width": info.width,
                    "height": info.height,
                    "rotation_deg": info.rotation.degrees_cw(),
                    "frames": info.frames,
                    "fps": round(info.measured_fps, 3),
                    "duration_s": round(info.duration_s, 3),
                    "vfr": info.vfr,
                    "declared_duration_s": info.declared_duration_s.map(|d| round(d, 3)),
                },
                "view": v.analysis.view.map(|j| json!({
                    "kind": j.view.name(),
                    "width_ratio": round(j.width_ratio, 3),
                })),
                "model": v.model.name(),
                "people": v.people.iter().enumerate().map(|(i, p)| json!({
                    "person": i + 1,
                    "analysed": i == v.person,
                    "x_share": round(p.seen.x_share, 3),
                    "size_px": round(p.seen.size_px, 1),
                    "tracked_frames": p.seen.tracked_frames,
                })).collect::<Vec<_>>(),
                "jumps": jumps,
                "timings": timings,
                "warnings": v.warnings,
            })
        }
    }
}

/// The whole document for several videos.
pub fn document(outcomes: &[VideoOutcome<'_>]) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "hangtime_version": env!("CARGO_PKG_VERSION"),
        "results": outcomes.iter().map(video_json).collect::<Vec<_>>(),
    })
}
