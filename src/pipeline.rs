//! One video through the whole pipeline: decode (own thread) → track → analyse.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::analysis::people::{self, PersonChoice, TrackedPerson};
use crate::analysis::{self, Analysis, AnalysisOptions, ClipFacts};
use crate::cache::{CacheKey, CachedPoses, PoseCache};
use crate::pose::{PoseError, PoseFrame, Tracker, TrackerOptions, TrackingState};
use crate::timing::{Timings, stage};
use crate::video::{self, BackgroundMotion, DecodeOptions, DecoderThread, VideoError, VideoInfo};

/// Frames decoded ahead of the tracker: up to three, within this many bytes (720p: 3, 1080p:
/// 1, 4K: 1), which bounds memory whatever the clip's length and size.
const DECODE_QUEUE_BYTES: usize = 6 * 1024 * 1024;
/// The most frames decoded ahead of the tracker.
const DECODE_QUEUE_MAX: usize = 3;

/// How many frames of a clip of `info`'s size may wait for the tracker.
fn decode_queue(info: &VideoInfo) -> usize {
    let frame_bytes = (info.width as usize * info.height as usize * 3 / 2).max(1);
    (DECODE_QUEUE_BYTES / frame_bytes).clamp(1, DECODE_QUEUE_MAX)
}

/// Why a video could not be analysed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PipelineError {
    /// The video could not be read.
    #[error(transparent)]
    Video(#[from] VideoError),
    /// Pose tracking failed.
    #[error(transparent)]
    Pose(#[from] PoseError),
    /// The run was cancelled.
    #[error("the analysis was cancelled")]
    Cancelled,
}

impl PipelineError {
    /// Whether the run was cancelled rather than failed.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Cancelled)
    }
}

/// Settings for one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PipelineOptions {
    /// Analysis settings.
    pub analysis: AnalysisOptions,
    /// Decoder settings.
    pub decode: DecodeOptions,
    /// Which of the people in view to analyse.
    pub person: PersonChoice,
    /// Where tracked poses are reused from and stored (`None`: track every frame, keep
    /// nothing). The caller chooses the folder; nothing here looks at the environment.
    pub cache: Option<PoseCache>,
}

/// Everything that decides which poses a tracker produces from a video's frames, as one
/// string for the cache key: the tracker's own identity (algorithm version, model hashes,
/// options, ONNX Runtime) and the video decoder's. `None` when the runtime cannot be loaded.
pub fn tracker_identity(options: TrackerOptions) -> Option<String> {
    let tracker = crate::pose::identity(options).ok()?;
    Some(format!("{tracker}; {}", video::decoder_identity()))
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

/// Watches a run as it goes: the app shows each frame and pose as soon as it is tracked, and
/// the jumps found so far, without decoding the clip a second time.
pub trait TrackObserver {
    /// After each tracked frame.
    fn progress(&mut self, progress: Progress);
    /// The clip is probed and about to be decoded (not called when the poses come from the
    /// cache: nothing is decoded then).
    fn opened(&mut self, _info: &VideoInfo) {}
    /// A decoded frame, handed on once tracked, the pose of everyone followed so far in it
    /// (in the order they were found; untracked for people out of view), and the index and
    /// time of every frame before it.
    fn tracked(&mut self, _frame: video::Frame, _people: &[PoseFrame], _earlier: &[(usize, f64)]) {}
}

/// An observer that only passes progress on (the command line's).
struct ProgressOnly<'a>(&'a mut dyn FnMut(Progress));

impl TrackObserver for ProgressOnly<'_> {
    fn progress(&mut self, progress: Progress) {
        (self.0)(progress);
    }
}

/// Everything known about one analysed video.
#[derive(Debug, Clone)]
pub struct VideoAnalysis {
    /// Probe facts.
    pub info: VideoInfo,
    /// Landmark model variant used.
    pub model: crate::pose::ModelVariant,
    /// One pose per displayed frame, of the person analysed.
    pub poses: Vec<PoseFrame>,
    /// Everyone in view, left to right (the analysed person among them).
    pub people: Vec<TrackedPerson>,
    /// Which of `people` was analysed.
    pub person: usize,
    /// Jumps and signals.
    pub analysis: Analysis,
    /// Stage timings.
    pub timings: Timings,
    /// Video-level warnings (decoding problems and the analysis's clip warnings).
    pub warnings: Vec<String>,
}

impl VideoAnalysis {
    /// Analyses person `person` of [`Self::people`] instead (a user pointing at another
    /// athlete): their poses, a fresh analysis with the same jump kind and no corrections
    /// (those were made on someone else's jumps), and the warnings that go with them. `false`
    /// when there is no such person or they are already the one analysed.
    pub fn choose_person(&mut self, person: usize) -> bool {
        if person == self.person || person >= self.people.len() {
            return false;
        }
        let mut stale: Vec<String> = self.analysis.warnings.clone();
        stale.extend(people::analysed_note(&self.people, self.person));
        self.warnings
            .retain(|w| !stale.contains(w) && !w.starts_with(people::NO_SUCH_PERSON));
        self.person = person;
        self.poses = self.people[person].poses.clone();
        let options = AnalysisOptions {
            kind: self.analysis.options.kind,
            ..AnalysisOptions::default()
        };
        self.analysis = analysis::analyze(
            &self.poses,
            &self.analysis.facts,
            &options,
            &mut Timings::new(),
        );
        self.warnings
            .extend(people::analysed_note(&self.people, person));
        self.warnings.extend(self.analysis.warnings.iter().cloned());
        true
    }
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
    let observer = &mut ProgressOnly(progress);
    analyze_video_observed(path, tracker, options, model_load, cancel, observer)
}

/// [`analyze_video`] with an observer that sees every frame and pose as it is tracked.
///
/// # Errors
/// As [`analyze_video`].
pub fn analyze_video_observed(
    path: &Path,
    tracker: &mut Tracker,
    options: &PipelineOptions,
    model_load: Duration,
    cancel: &AtomicBool,
    observer: &mut dyn TrackObserver,
) -> Result<VideoAnalysis, PipelineError> {
    let prepared = prepare_video(path, tracker.options(), options)?;
    analyze_prepared_observed(prepared, tracker, options, model_load, cancel, observer)
}

/// A video made ready for tracking before a tracker is at hand: its poses from the cache,
/// or its probe done and its decoder already filling the queue. Preparing the first video
/// while the tracker loads hides the decoder's start behind the model load.
pub struct PreparedVideo {
    path: PathBuf,
    tracker: TrackerOptions,
    started: Instant,
    timings: Timings,
    /// Where newly tracked poses are stored.
    cache_slot: Option<(PoseCache, CacheKey)>,
    source: Source,
}

enum Source {
    Cached(CachedPoses),
    Decoding(Decoding),
}

/// A probed video whose frames are being decoded.
struct Decoding {
    info: VideoInfo,
    decoder: DecoderThread,
}

/// Looks `path` up in the pose cache (for a tracker built with `tracker`) and, on a miss,
/// probes it and starts decoding on its own thread.
///
/// # Errors
/// A [`PipelineError::Video`] when the video cannot be probed or its decoder cannot start.
pub fn prepare_video(
    path: &Path,
    tracker: TrackerOptions,
    options: &PipelineOptions,
) -> Result<PreparedVideo, PipelineError> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let cache_slot = options.cache.as_ref().and_then(|cache| {
        timings.time(stage::CACHE, Some(stage::ANALYSIS), || {
            let identity = tracker_identity(tracker)?;
            let key = CacheKey::new(path, &identity).ok()?;
            Some((cache.clone(), key))
        })
    });
    let cached = cache_slot
        .as_ref()
        .and_then(|(c, k)| timings.time(stage::CACHE, Some(stage::ANALYSIS), || c.load(*k)));
    let source = if let Some(hit) = cached {
        Source::Cached(hit)
    } else {
        let info = video::probe(path)?;
        let decoder = video::spawn_decoder(path, options.decode, decode_queue(&info))?;
        Source::Decoding(Decoding { info, decoder })
    };
    Ok(PreparedVideo {
        path: path.to_path_buf(),
        tracker,
        started,
        timings,
        cache_slot,
        source,
    })
}

/// Tracks (unless cached) and analyses a prepared video; the reported analysis time counts
/// from the preparation.
///
/// # Errors
/// A [`PipelineError`]: unreadable video, failed inference or cancellation.
pub fn analyze_prepared(
    prepared: PreparedVideo,
    tracker: &mut Tracker,
    options: &PipelineOptions,
    model_load: Duration,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
) -> Result<VideoAnalysis, PipelineError> {
    analyze_prepared_observed(
        prepared,
        tracker,
        options,
        model_load,
        cancel,
        &mut ProgressOnly(progress),
    )
}

/// [`analyze_prepared`] with an observer that sees every frame and pose as it is tracked.
///
/// # Errors
/// As [`analyze_prepared`].
pub fn analyze_prepared_observed(
    prepared: PreparedVideo,
    tracker: &mut Tracker,
    options: &PipelineOptions,
    model_load: Duration,
    cancel: &AtomicBool,
    observer: &mut dyn TrackObserver,
) -> Result<VideoAnalysis, PipelineError> {
    let variant = tracker.options().variant;
    // Prepared for another tracker: its cache lookup does not apply.
    let prepared = if prepared.tracker == tracker.options() {
        prepared
    } else {
        prepare_video(&prepared.path, tracker.options(), options)?
    };
    let PreparedVideo {
        path,
        started,
        mut timings,
        cache_slot,
        source,
        ..
    } = prepared;
    timings.add(stage::MODEL_LOAD, Some(stage::ANALYSIS), model_load);
    let (info, tracked_people, mut warnings) = match source {
        Source::Cached(hit) => {
            // The same content may sit under another name.
            let info = VideoInfo {
                path: path.clone(),
                ..hit.info
            };
            (info, hit.people, hit.warnings)
        }
        Source::Decoding(decoding) => {
            observer.opened(&decoding.info);
            let fresh = track_video(
                &path,
                decoding,
                tracker,
                cancel,
                observer,
                &mut timings,
                started,
            )?;
            if let Some((cache, key)) = &cache_slot {
                let (info, people, warnings) = &fresh;
                let entry = CachedPoses {
                    // The path is the caller's, not the content's (and may not be UTF-8).
                    info: VideoInfo {
                        path: PathBuf::new(),
                        ..info.clone()
                    },
                    people: people.clone(),
                    warnings: warnings.clone(),
                };
                cache.store(*key, &entry);
            }
            fresh
        }
    };
    let facts = ClipFacts {
        fps: info.measured_fps,
        vfr: info.vfr,
        width: info.width,
        height: info.height,
    };
    let people = people::in_view(tracked_people, info.width);
    let (person, choice_note) = people::choose(&people, options.person, &facts, &options.analysis);
    let poses = people
        .get(person)
        .map(|p| p.poses.clone())
        .unwrap_or_default();
    let analysis = analysis::analyze(&poses, &facts, &options.analysis, &mut timings);
    warnings.extend(choice_note);
    warnings.extend(people::analysed_note(&people, person));
    warnings.extend(analysis.warnings.iter().cloned());
    // A video prepared while the models loaded has the load inside its own elapsed time.
    let load_overlap = tracker
        .loaded_at()
        .saturating_duration_since(started)
        .min(model_load);
    let total = (started.elapsed() + model_load).saturating_sub(load_overlap);
    timings.add(stage::ANALYSIS, None, total);
    Ok(VideoAnalysis {
        info,
        model: variant,
        poses,
        people,
        person,
        analysis,
        timings,
        warnings,
    })
}

/// What the decoder's report says about the file, as sentences: cut short, or damaged.
fn decoding_warnings(
    info: &VideoInfo,
    report: &video::DecodeReport,
    frames_read: usize,
    read_s: f64,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if info.looks_incomplete() || report.truncated {
        let declared = info.declared_duration_s.map_or(String::new(), |d| {
            format!(" it declares {d:.2} s of video, but")
        });
        warnings.push(format!(
            "The file may be incomplete (cut short while copying or uploading?):{declared} only {} frames ({read_s:.2} s) could be read. Frames 0–{} (0.00–{read_s:.2} s) were analysed.",
            frames_read,
            frames_read.saturating_sub(1),
        ));
    } else if report.corrupt_packets > 0 {
        warnings.push(format!(
            "The video is damaged: {} of {} frames could be read; the analysis uses those.",
            frames_read, info.frames
        ));
    }
    warnings
}

/// Frames kept for tracking back in time: up to this many bytes of the latest frames in which
/// nobody was tracked (36 frames of 640×480, 12 of 720p, 5 of 1080p). It is paid in full by
/// a clip in which nobody is ever found (a 1080p one peaks at 125 MB without it), so it stays
/// small beside the 150 MB such an analysis may take.
const UNSEEN_BUDGET_BYTES: usize = 16 * 1024 * 1024;

/// The frames since anyone was last tracked (within [`UNSEEN_BUDGET_BYTES`]), so that a
/// person the detector finds later, once their face shows, is tracked back through them.
#[derive(Default)]
struct Unseen {
    frames: std::collections::VecDeque<video::Frame>,
    bytes: usize,
}

impl Unseen {
    fn frame_bytes(frame: &video::Frame) -> usize {
        let (w, h) = frame.displayed_size();
        (w as usize * h as usize) * 3 / 2
    }

    /// Keeps a copy of `frame`, in the buffers of the oldest one once the budget is full.
    fn keep(&mut self, frame: &video::Frame) {
        let size = Self::frame_bytes(frame);
        if self.bytes + size > UNSEEN_BUDGET_BYTES
            && let Some(mut oldest) = self.frames.pop_front()
        {
            self.bytes -= Self::frame_bytes(&oldest);
            oldest.copy_from(frame);
            self.frames.push_back(oldest);
        } else {
            self.frames.push_back(frame.clone());
        }
        self.bytes += size;
    }

    fn clear(&mut self) {
        self.frames.clear();
        self.bytes = 0;
    }

    /// Tracks everyone just found back through the kept frames, which are the last ones
    /// before the newest entry of each person's list, and puts those poses in their lists.
    fn track_back(
        &mut self,
        tracker: &mut Tracker,
        state: &TrackingState,
        people: &mut [Vec<PoseFrame>],
        timings: &mut Timings,
    ) -> Result<(), PoseError> {
        let frames = self.frames.make_contiguous();
        for (person, roi) in state.just_found() {
            let Some(list) = people.get_mut(person) else {
                continue;
            };
            let newest_kept = list.len().saturating_sub(2);
            for (back, mut pose) in tracker
                .track_back(frames, roi, timings)?
                .into_iter()
                .enumerate()
            {
                let Some(slot) = newest_kept.checked_sub(back).and_then(|i| list.get_mut(i)) else {
                    break;
                };
                if slot.index != pose.index || slot.tracked {
                    break;
                }
                pose.camera = slot.camera;
                *slot = pose;
            }
        }
        Ok(())
    }
}

/// A clip's probe facts, everyone followed in it (one pose list per person, in the order
/// found) and its decoding warnings.
type Tracked = (VideoInfo, Vec<Vec<PoseFrame>>, Vec<String>);

/// Decodes (on its own thread) and tracks every frame.
fn track_video(
    path: &Path,
    Decoding { info, decoder }: Decoding,
    tracker: &mut Tracker,
    cancel: &AtomicBool,
    observer: &mut dyn TrackObserver,
    timings: &mut Timings,
    started: Instant,
) -> Result<Tracked, PipelineError> {
    let mut state = TrackingState::default();
    let mut background = BackgroundMotion::new();
    // One pose list per person followed, each with a pose for every frame so far.
    let mut people: Vec<Vec<PoseFrame>> = Vec::new();
    let mut frame_times: Vec<(usize, f64)> = Vec::with_capacity(info.frames);
    let mut last_points: Vec<(f32, f32)> = Vec::new();
    let mut unseen = Unseen::default();
    let mut decode_error = None;
    let tracking_started = Instant::now();
    for frame in &decoder.frames {
        if cancel.load(Ordering::Relaxed) {
            decoder.finish();
            return Err(PipelineError::Cancelled);
        }
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                decode_error = Some(e);
                break;
            }
        };
        let nobody_before = !state.anyone_tracked();
        let outcome = tracker
            .track(&frame, &mut state, timings)
            .and_then(|mut now| {
                // The background is what no one covers; while nobody is tracked, where they
                // last were.
                let points: Vec<(f32, f32)> = now
                    .iter()
                    .flat_map(|p| p.landmarks.iter().map(|l| (l.x, l.y)))
                    .collect();
                let anyone = !points.is_empty();
                if anyone {
                    last_points = points;
                } else {
                    unseen.keep(&frame);
                }
                let camera = timings.time(stage::CAMERA_MOTION, Some(stage::TRACKING), || {
                    background.step(&frame.image(), &last_points)
                });
                for pose in &mut now {
                    pose.camera = camera;
                }
                let (index, time_s) = (frame.index, frame.time_s);
                observer.tracked(frame, &now, &frame_times);
                people::record(&mut people, &frame_times, now);
                frame_times.push((index, time_s));
                if anyone && nobody_before {
                    unseen.track_back(tracker, &state, &mut people, timings)?;
                }
                if anyone {
                    unseen.clear();
                }
                Ok(())
            });
        if let Err(e) = outcome {
            decoder.finish();
            return Err(e.into());
        }
        observer.progress(Progress {
            frames_done: frame_times.len(),
            frames_total: info.frames.max(frame_times.len()),
            elapsed: started.elapsed(),
        });
    }
    if people.is_empty() && !frame_times.is_empty() {
        // Nobody was ever found: the clip still gets an (untracked) pose per frame.
        people.push(people::untracked(&frame_times));
    }
    let frames_read = frame_times.len();
    let tracking_time = tracking_started.elapsed();
    let report = decoder.finish();
    if let Some(e) = decode_error.filter(|_| frames_read == 0) {
        return Err(e.into());
    }
    if frames_read == 0 {
        return Err(VideoError::NoFrames(path.to_path_buf()).into());
    }
    timings.add(
        stage::DECODE,
        Some(stage::ANALYSIS),
        report.decode_time + report.convert_time,
    );
    if !report.convert_time.is_zero() {
        timings.add(
            stage::PIXEL_FORMAT,
            Some(stage::DECODE),
            report.convert_time,
        );
    }
    timings.add(stage::TRACKING, Some(stage::ANALYSIS), tracking_time);
    let read_s = frame_times.last().map_or(0.0, |&(_, t)| t);
    let warnings = decoding_warnings(&info, &report, frames_read, read_s);
    Ok((info, people, warnings))
}
