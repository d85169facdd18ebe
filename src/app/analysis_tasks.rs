//! The work the app hands to its task runner: loading the pose tracker once and analysing
//! videos with it, decoding a preview, writing an overlay video.
//!
//! The tracker is loaded at start-up by a task on the analysis lane and kept in a shared slot;
//! every analysis task on that lane uses it in turn, so it is loaded once and reused, and a
//! model change is one more load task queued behind the analyses already asked for.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::sync::mpsc::SyncSender;

use crate::pipeline::{PipelineOptions, VideoAnalysis, analyze_video_observed};
use crate::pose::{ModelVariant, Tracker, TrackerOptions};
use crate::report;
use crate::video::PreviewDecode;

use super::live::{FeedItem, LiveObserver, SharedLive};
use super::tasks::{JobFailure, TaskContext, capitalise};

/// What a finished task hands back to the app.
#[derive(Debug)]
pub enum TaskOutput {
    /// The tracker is loaded; `load_time` includes warm-up.
    TrackerLoaded {
        /// The model variant loaded.
        variant: ModelVariant,
        /// Time to load and warm up.
        load_time: Duration,
    },
    /// A video was analysed.
    Analysed(Box<VideoAnalysis>),
    /// The preview decoder ended (the preview itself is read from its source).
    Previewed,
    /// A file was written.
    Exported(PathBuf),
}

/// State of the tracker as last reported.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackerState {
    /// Loading the given variant.
    Loading(ModelVariant),
    /// Loaded.
    Ready {
        /// The model variant loaded.
        variant: ModelVariant,
        /// Time to load and warm up.
        load_time: Duration,
    },
    /// Failed to load.
    Failed(String),
}

/// The tracker the analysis lane's tasks share.
#[derive(Default)]
pub struct TrackerSlot {
    tracker: Option<Tracker>,
    /// The first analysis after a load reports the load time; later ones report zero.
    unreported_load: Duration,
    failure: Option<String>,
}

/// The slot as the app holds it.
pub type SharedTracker = Arc<Mutex<TrackerSlot>>;

fn lock(slot: &SharedTracker) -> std::sync::MutexGuard<'_, TrackerSlot> {
    match slot.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            // A task panicked while using the tracker: its state cannot be trusted, so the
            // next analysis says so instead of running on it.
            let mut guard = poisoned.into_inner();
            if guard.tracker.take().is_some() {
                guard.failure = Some(
                    "the pose tracker stopped in the middle of an analysis; choose the pose model again in the Analysis menu to reload it".to_owned(),
                );
            }
            slot.clear_poison();
            guard
        }
    }
}

/// Loads (or reloads) the tracker into `slot`; a tracker with the same options is kept.
pub fn load_tracker(
    slot: SharedTracker,
    options: TrackerOptions,
) -> impl FnOnce(&TaskContext) -> Result<TaskOutput, JobFailure> + Send + 'static {
    move |_ctx| {
        let mut guard = lock(&slot);
        if let Some(t) = guard.tracker.as_ref()
            && t.options() == options
        {
            return Ok(TaskOutput::TrackerLoaded {
                variant: options.variant,
                load_time: t.load_time(),
            });
        }
        // Free the old sessions before loading the new ones.
        guard.tracker = None;
        match Tracker::load(options) {
            Ok(t) => {
                let load_time = t.load_time();
                guard.unreported_load = load_time;
                guard.failure = None;
                guard.tracker = Some(t);
                Ok(TaskOutput::TrackerLoaded {
                    variant: options.variant,
                    load_time,
                })
            }
            Err(e) => {
                let message = format!(
                    "the pose tracker ({} model) could not be loaded, so no video can be analysed: {e}",
                    options.variant
                );
                guard.failure = Some(message.clone());
                Err(JobFailure::Failed(capitalise(&message)))
            }
        }
    }
}

/// Analyses `path` with the tracker in `slot`, showing what it finds as it goes in `live`
/// and handing its decoded frames to the preview through `frames`.
pub fn analyse(
    slot: SharedTracker,
    path: PathBuf,
    options: PipelineOptions,
    live: SharedLive,
    frames: Option<SyncSender<FeedItem>>,
) -> impl FnOnce(&TaskContext) -> Result<TaskOutput, JobFailure> + Send + 'static {
    move |ctx| {
        let mut guard = lock(&slot);
        let model_load = std::mem::take(&mut guard.unreported_load);
        let failure = guard.failure.clone();
        let Some(tracker) = guard.tracker.as_mut() else {
            return Err(JobFailure::Failed(capitalise(&failure.unwrap_or_else(
                || "the pose tracker is not loaded, so no video can be analysed".to_owned(),
            ))));
        };
        let mut observer =
            LiveObserver::new(ctx, live, frames, options.analysis.clone(), options.person);
        analyze_video_observed(
            &path,
            tracker,
            &options,
            model_load,
            ctx.cancel_flag(),
            &mut observer,
        )
        .map(|result| TaskOutput::Analysed(Box::new(result)))
        .map_err(|e| {
            if e.is_cancelled() {
                JobFailure::Cancelled
            } else {
                JobFailure::Failed(capitalise(&e.to_string()))
            }
        })
    }
}

/// Decodes a preview until it is complete or its source is dropped.
pub fn preview(
    decode: PreviewDecode,
) -> impl FnOnce(&TaskContext) -> Result<TaskOutput, JobFailure> + Send + 'static {
    // Dropping the preview source stops it; the runner's cancel flag is not needed.
    move |_ctx| {
        decode.run();
        Ok(TaskOutput::Previewed)
    }
}

/// Writes the overlay video of `analysis` to `path` (atomically: a cancelled or failed export
/// leaves no partial file and any earlier file intact).
pub fn export_overlay(
    analysis: VideoAnalysis,
    path: PathBuf,
) -> impl FnOnce(&TaskContext) -> Result<TaskOutput, JobFailure> + Send + 'static {
    move |ctx| {
        let mut progress = |done: usize, total: usize| ctx.report(done, total);
        match report::export_overlay(&analysis, &path, ctx.cancel_flag(), &mut progress) {
            Ok(true) => Ok(TaskOutput::Exported(path)),
            Ok(false) => Err(JobFailure::Cancelled),
            Err(e) => Err(JobFailure::Failed(format!(
                "The overlay video could not be written. {}",
                capitalise(&e.to_string())
            ))),
        }
    }
}
