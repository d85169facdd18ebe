//! Stage timings: where the analysis time went, nested by parent, for reports and flame bars.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Stable stage names shared by the pipeline, the JSON report and the flame bars.
pub mod stage {
    /// Whole analysis of one video.
    pub const ANALYSIS: &str = "analysis";
    /// Hashing the video and reading cached poses.
    pub const CACHE: &str = "cache";
    /// Loading the runtime and pose models (0 ms when the tracker is reused).
    pub const MODEL_LOAD: &str = "model_load";
    /// Demux, decode and pixel conversion of the video, on the decoder's own thread (it runs
    /// beside tracking, so it overlaps the tracking stage).
    pub const DECODE: &str = "decode";
    /// Conversion of 10-bit, 4:2:2 and other pixel formats to 8-bit 4:2:0 (part of decode).
    pub const PIXEL_FORMAT: &str = "pixel_format";
    /// Pose tracking of all frames: crop, inference, post-processing, and waiting for the
    /// decoder when it is slower.
    pub const TRACKING: &str = "tracking";
    /// Colour conversion and affine crop into model tensors.
    pub const CROP: &str = "colour_crop";
    /// Person detector inference.
    pub const DETECTOR: &str = "detector_inference";
    /// Landmark model inference.
    pub const INFERENCE: &str = "landmark_inference";
    /// Landmark decoding, heatmap refinement and projection.
    pub const POSTPROCESS: &str = "postprocess";
    /// Following the background's motion (a camera that tilts, pans or zooms), part of
    /// tracking.
    pub const CAMERA_MOTION: &str = "camera_motion";
    /// Signal building, outlier rejection and smoothing.
    pub const SMOOTHING: &str = "smoothing";
    /// Jump segmentation and event timing.
    pub const EVENTS: &str = "events";
    /// Metric computation and quality checks.
    pub const METRICS: &str = "metrics";
    /// Overlay video export.
    pub const EXPORT: &str = "export";
}

/// One timed stage. `parent` names the enclosing stage; `None` for the root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTiming {
    /// Stage name (see [`stage`]).
    pub stage: String,
    /// Enclosing stage, if any.
    pub parent: Option<String>,
    /// Wall time in milliseconds (summed when a stage runs once per frame).
    pub ms: f64,
    /// How many times the stage ran (per-frame stages: one per model run or crop).
    #[serde(default)]
    pub runs: u64,
}

/// Accumulates stage durations; per-frame stages are summed under one entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    stages: Vec<StageTiming>,
}

impl Timings {
    /// An empty set of timings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one run of `elapsed` to `stage` under `parent`, creating the entry on first use.
    pub fn add(&mut self, stage: &str, parent: Option<&str>, elapsed: Duration) {
        self.add_runs(stage, parent, elapsed.as_secs_f64() * 1000.0, 1);
    }

    fn add_runs(&mut self, stage: &str, parent: Option<&str>, ms: f64, runs: u64) {
        if let Some(existing) = self
            .stages
            .iter_mut()
            .find(|s| s.stage == stage && s.parent.as_deref() == parent)
        {
            existing.ms += ms;
            existing.runs += runs;
        } else {
            self.stages.push(StageTiming {
                stage: stage.to_owned(),
                parent: parent.map(str::to_owned),
                ms,
                runs,
            });
        }
    }

    /// Runs `f`, adding its wall time to `stage`.
    pub fn time<T>(&mut self, stage: &str, parent: Option<&str>, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(stage, parent, start.elapsed());
        out
    }

    /// Appends every stage of `other` (used to merge worker timings).
    pub fn merge(&mut self, other: &Self) {
        for s in &other.stages {
            self.add_runs(&s.stage, s.parent.as_deref(), s.ms, s.runs);
        }
    }

    /// The recorded stages in first-use order.
    pub fn stages(&self) -> &[StageTiming] {
        &self.stages
    }

    /// Milliseconds recorded for `stage` (any parent), 0 when absent.
    pub fn ms(&self, stage: &str) -> f64 {
        self.stages
            .iter()
            .filter(|s| s.stage == stage)
            .map(|s| s.ms)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_stages_accumulate_under_their_parent() {
        let mut t = Timings::new();
        t.add("inference", Some("tracking"), Duration::from_millis(5));
        t.add("inference", Some("tracking"), Duration::from_millis(7));
        t.add("inference", None, Duration::from_millis(1));
        assert_eq!(t.stages().len(), 2);
        assert!((t.stages()[0].ms - 12.0).abs() < 1e-9);
        assert!((t.ms("inference") - 13.0).abs() < 1e-9);
        assert!(t.ms("decode").abs() < f64::EPSILON);
        assert_eq!(t.stages()[0].runs, 2);
        // Merging keeps the run counts rather than counting one run per merged entry.
        let mut merged = t.clone();
        merged.merge(&t);
        assert_eq!(merged.stages()[0].runs, 4);
        assert_eq!(merged.stages()[1].runs, 2);
        assert!((merged.stages()[0].ms - 24.0).abs() < 1e-9);
    }
}
