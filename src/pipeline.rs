//! One video through the whole pipeline: decode (own thread) → track → analyse.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::analysis::{self, Analysis, AnalysisOptions, ClipFacts};
use crate::cache::{CachedPoses, PoseCache};
use crate::pose::{PoseError, PoseFrame, Tracker, TrackingState};
use crate::timing::{Timings, stage};
use crate::video::{self, DecodeOptions, VideoError, VideoInfo};

/// Frames decoded ahead of the tracker; bounds memory whatever the clip length.
const DECODE_QUEUE: usize = 3;

/// Why a video could not be analysed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PipelineError {
    /// The video could not be read.
    #[error(transparent)]
    Video(#[from] VideoError),
    /// Pose tracking failed.
    #[error(transparent)]
    Pose(#[from] PoseError),
}

impl PipelineError {
    /// Whether the run was cancelled rather than failed.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Pose(PoseError::Cancelled))
    }
}

/// Settings for one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PipelineOptions {
    /// Analysis settings.
    pub analysis: AnalysisOptions,
    /// Decoder settings.
    pub decode: DecodeOptions,
    /// Reuse (and store) tracked poses in the user's cache folder.
    pub use_cache: bool,
}

/// Progress of a running analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Frames tracked so far.
    pub frames_done: usize,
    /// Displayed frames in the clip.
    pub frames_total: usize,
    /// Time since the run started.
    pub elapsed: Duration,
}

/// Everything known about one analysed video.
#[derive(Debug, Clone)]
pub struct VideoAnalysis {
    /// Probe facts.
    pub info: VideoInfo,
    /// Landmark model variant used.
    pub model: crate::pose::ModelVariant,
    /// One pose per displayed frame.
    pub poses: Vec<PoseFrame>,
    /// Jumps and signals.
    pub analysis: Analysis,
    /// Stage timings.
    pub timings: Timings,
    /// Video-level warnings (decoding problems and the analysis's clip warnings).
    pub warnings: Vec<String>,
}

/// Analyses one video with an already-loaded tracker.
///
/// `model_load` is the tracker load time to report (zero when the tracker is reused).
///
/// # Errors
/// A [`PipelineError`]: unreadable video, failed inference or cancellation.
pub fn analyze_video(
    path: &Path,
    tracker: &mut Tracker,
    options: &PipelineOptions,
    model_load: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<VideoAnalysis, PipelineError> {
    let started = Instant::now();
    let mut timings = Timings::new();
    timings.add(stage::MODEL_LOAD, Some(stage::ANALYSIS), model_load);
    let variant = tracker.options().variant;
    let cache = options.use_cache.then(PoseCache::user).flatten();
    let key = cache.as_ref().and_then(|_| {
        timings.time(stage::CACHE, Some(stage::ANALYSIS), || {
            PoseCache::key(path, variant).ok()
        })
    });
    let cached = match (&cache, &key) {
        (Some(c), Some(k)) => timings.time(stage::CACHE, Some(stage::ANALYSIS), || c.load(k)),
        _ => None,
    };
    let (info, poses, mut warnings) = if let Some(hit) = cached {
        // The same content may sit under another name.
        let info = VideoInfo {
            path: path.to_path_buf(),
            ..hit.info
        };
        (info, hit.poses, hit.warnings)
    } else {
        let (info, poses, warnings) = track_video(
            path,
            tracker,
            options,
            cancel,
            progress,
            &mut timings,
            started,
        )?;
        if let (Some(c), Some(k)) = (&cache, &key) {
            c.store(
                k,
                &CachedPoses::new(info.clone(), poses.clone(), warnings.clone()),
            );
        }
        (info, poses, warnings)
    };
    let facts = ClipFacts {
        fps: info.measured_fps,
        vfr: info.vfr,
        width: info.width,
        height: info.height,
    };
    let analysis = analysis::analyze(&poses, &facts, &options.analysis, &mut timings);
    warnings.extend(analysis.warnings.iter().cloned());
    let total = started.elapsed() + model_load;
    timings.add(stage::ANALYSIS, None, total);
    Ok(VideoAnalysis {
        info,
        model: variant,
        poses,
        analysis,
        timings,
        warnings,
    })
}

/// Decodes (on its own thread) and tracks every frame.
fn track_video(
    path: &Path,
    tracker: &mut Tracker,
    options: &PipelineOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
    timings: &mut Timings,
    started: Instant,
) -> Result<(VideoInfo, Vec<PoseFrame>, Vec<String>), PipelineError> {
    let info = video::probe(path)?;
    let decoder = video::spawn_decoder(path, options.decode, DECODE_QUEUE)?;
    let mut state = TrackingState::default();
    let mut poses = Vec::with_capacity(info.frames);
    let mut decode_error = None;
    let tracking_started = Instant::now();
    for frame in &decoder.frames {
        if cancel.load(Ordering::Relaxed) {
            decoder.finish();
            return Err(PoseError::Cancelled.into());
        }
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                decode_error = Some(e);
                break;
            }
        };
        match tracker.track(&frame, &mut state, timings) {
            Ok(pose) => poses.push(pose),
            Err(e) => {
                decoder.finish();
                return Err(e.into());
            }
        }
        progress(Progress {
            frames_done: poses.len(),
            frames_total: info.frames.max(poses.len()),
            elapsed: started.elapsed(),
        });
    }
    let tracking_time = tracking_started.elapsed();
    let report = decoder.finish();
    if let Some(e) = decode_error.filter(|_| poses.is_empty()) {
        return Err(e.into());
    }
    if poses.is_empty() {
        return Err(VideoError::NoFrames(path.to_path_buf()).into());
    }
    timings.add(
        stage::DECODE,
        Some(stage::ANALYSIS),
        report.decode_time + report.convert_time,
    );
    timings.add(stage::TRACKING, Some(stage::ANALYSIS), tracking_time);
    let mut warnings = Vec::new();
    if report.truncated || report.corrupt_packets > 0 {
        warnings.push(format!(
            "The video is damaged: {} of {} frames could be read; the analysis uses those.",
            poses.len(),
            info.frames
        ));
    }
    Ok((info, poses, warnings))
}
