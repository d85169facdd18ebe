//! The tracker: detector when lost, landmark model on the ROI carried from frame to frame.

use std::time::{Duration, Instant};

use ort::session::Session;

use super::detector::{self, Detection, Letterbox};
use super::landmarks::{self, LANDMARK_COUNT, MODEL_LANDMARKS, PoseFrame, landmark};
use super::models::{DETECTOR_FILE, ModelVariant, models_dir};
use super::{PoseError, Roi, session};
use crate::timing::{Timings, stage};
use crate::video::{Border, Frame, Normalise, YuvImage};

/// Version of the tracking algorithm: detection, ROI carrying, cropping, landmark decoding and
/// the pixels it is given. Bump it with any change that moves a landmark of any clip, so no
/// cache returns poses tracked by the older algorithm; `tests/pose.rs` fails when the tracker's
/// output on a fixed clip changes while this stays the same.
pub const TRACKER_VERSION: u32 = 1;

/// Everything about a tracker built with `options` that decides its output, as one line: the
/// algorithm version, the model files' SHA-256, the options and the ONNX Runtime build.
///
/// # Errors
/// [`PoseError::Runtime`] when ONNX Runtime cannot be loaded.
pub fn identity(options: TrackerOptions) -> Result<String, PoseError> {
    crate::runtime::environment()?;
    let sha = |file: &str| super::models::expected_sha256(file).unwrap_or("unknown");
    Ok(format!(
        "tracker {TRACKER_VERSION}; {} model; {} intra-op threads; detector {}; landmarks {}; {}",
        options.variant,
        options.intra_threads,
        sha(DETECTOR_FILE),
        sha(options.variant.landmark_file()),
        ort::info()
    ))
}

/// MediaPipe's tracking threshold on the pose-present flag.
const MIN_POSE_SCORE: f32 = 0.5;
const DETECTOR_OUTPUTS: [&str; 2] = ["Identity", "Identity_1"];
const LANDMARK_OUTPUTS: [&str; 4] = ["Identity", "Identity_1", "Identity_3", "Identity_4"];

/// How the tracker is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerOptions {
    /// Landmark model variant.
    pub variant: ModelVariant,
    /// ONNX Runtime intra-op threads per session.
    pub intra_threads: usize,
}

impl Default for TrackerOptions {
    fn default() -> Self {
        Self {
            variant: ModelVariant::default(),
            intra_threads: 1,
        }
    }
}

/// Per-clip tracking state: the ROI carried to the next frame. A fresh state starts with
/// the detector.
#[derive(Debug, Clone, Default)]
pub struct TrackingState {
    roi: Option<Roi>,
}

/// A loaded, warmed-up pose tracker; create it once and reuse it for every video.
pub struct Tracker {
    options: TrackerOptions,
    detector: Session,
    landmarker: Session,
    anchors: Vec<(f32, f32)>,
    detector_input: Vec<f32>,
    landmark_input: Vec<f32>,
    detector_out: [Vec<f32>; 2],
    landmark_out: [Vec<f32>; 4],
    load_time: Duration,
    loaded_at: Instant,
}

impl Tracker {
    /// Loads the runtime and models, and runs each model once so the first frame is fast.
    ///
    /// # Errors
    /// A [`PoseError`] when the runtime or a model is missing, corrupt or rejected.
    pub fn load(options: TrackerOptions) -> Result<Self, PoseError> {
        let started = Instant::now();
        let dir = models_dir()?;
        let detector = session::create(&dir.join(DETECTOR_FILE), options.intra_threads)?;
        let landmarker = session::create(
            &dir.join(options.variant.landmark_file()),
            options.intra_threads,
        )?;
        let mut tracker = Self {
            options,
            detector,
            landmarker,
            anchors: detector::anchors(),
            detector_input: vec![0.0; detector::INPUT_SIZE * detector::INPUT_SIZE * 3],
            landmark_input: vec![0.0; landmarks::INPUT_SIZE * landmarks::INPUT_SIZE * 3],
            detector_out: Default::default(),
            landmark_out: Default::default(),
            load_time: Duration::ZERO,
            loaded_at: started,
        };
        tracker.run_detector()?;
        tracker.run_landmarks()?;
        release_freed_memory();
        tracker.loaded_at = Instant::now();
        tracker.load_time = tracker.loaded_at.duration_since(started);
        Ok(tracker)
    }

    /// The options it was built with.
    pub fn options(&self) -> TrackerOptions {
        self.options
    }

    /// Time taken by [`Self::load`], warm-up included.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// When [`Self::load`] finished.
    pub fn loaded_at(&self) -> Instant {
        self.loaded_at
    }

    fn run_detector(&mut self) -> Result<(), PoseError> {
        let s = detector::INPUT_SIZE;
        session::run(
            &mut self.detector,
            &self.detector_input,
            [1, s, s, 3],
            &DETECTOR_OUTPUTS,
            &mut self.detector_out,
        )
    }

    fn run_landmarks(&mut self) -> Result<(), PoseError> {
        let s = landmarks::INPUT_SIZE;
        session::run(
            &mut self.landmarker,
            &self.landmark_input,
            [1, s, s, 3],
            &LANDMARK_OUTPUTS,
            &mut self.landmark_out,
        )
    }

    /// Runs the detector on the whole picture.
    ///
    /// # Errors
    /// [`PoseError::Inference`] when ONNX Runtime fails.
    pub fn detect(
        &mut self,
        image: &YuvImage<'_>,
        timings: &mut Timings,
    ) -> Result<Option<Detection>, PoseError> {
        let (w, h) = image.displayed_size();
        let letterbox = Letterbox::new(w, h);
        let s = detector::INPUT_SIZE;
        timings.time(stage::CROP, Some(stage::TRACKING), || {
            image.sample_tensor(
                &letterbox.input_to_image(),
                s,
                s,
                Border::Black,
                Normalise::MinusOneToOne,
                &mut self.detector_input,
            );
        });
        let started = Instant::now();
        self.run_detector()?;
        timings.add(stage::DETECTOR, Some(stage::TRACKING), started.elapsed());
        let [regressors, logits] = &self.detector_out;
        Ok(detector::decode(
            regressors,
            logits,
            &self.anchors,
            letterbox,
        ))
    }

    /// Tracks one frame, updating `state` for the next.
    ///
    /// # Errors
    /// [`PoseError::Inference`] when ONNX Runtime fails.
    pub fn track(
        &mut self,
        frame: &Frame,
        state: &mut TrackingState,
        timings: &mut Timings,
    ) -> Result<PoseFrame, PoseError> {
        let image = frame.image();
        let mut detector_ran = false;
        for _attempt in 0..2 {
            let roi = if let Some(roi) = state.roi.filter(Roi::is_valid) {
                roi
            } else {
                detector_ran = true;
                match self.detect(&image, timings)?.map(|d| d.roi()) {
                    Some(roi) if roi.is_valid() => roi,
                    _ => break,
                }
            };
            if let Some(pose) = self.landmarks_in(&image, &roi, frame, detector_ran, timings)? {
                state.roi = pose.1.filter(Roi::is_valid);
                return Ok(pose.0);
            }
            state.roi = None;
            if detector_ran {
                break;
            }
        }
        state.roi = None;
        Ok(PoseFrame::untracked(
            frame.index,
            frame.time_s,
            detector_ran,
        ))
    }

    /// Landmarks inside `roi`, or `None` when the model says no person is there.
    fn landmarks_in(
        &mut self,
        image: &YuvImage<'_>,
        roi: &Roi,
        frame: &Frame,
        detector_ran: bool,
        timings: &mut Timings,
    ) -> Result<Option<(PoseFrame, Option<Roi>)>, PoseError> {
        let s = landmarks::INPUT_SIZE;
        timings.time(stage::CROP, Some(stage::TRACKING), || {
            image.sample_tensor(
                &roi.crop_to_image(s),
                s,
                s,
                Border::Replicate,
                Normalise::ZeroToOne,
                &mut self.landmark_input,
            );
        });
        let started = Instant::now();
        self.run_landmarks()?;
        timings.add(stage::INFERENCE, Some(stage::TRACKING), started.elapsed());
        let started = Instant::now();
        let [raw, flag, heatmap, world] = &self.landmark_out;
        if raw.len() < MODEL_LANDMARKS * 5 {
            return Err(PoseError::OutputShape {
                name: "landmarks",
                len: raw.len(),
            });
        }
        let score = flag.first().copied().unwrap_or(0.0);
        if !(score >= MIN_POSE_SCORE) {
            return Ok(None);
        }
        let decoded = landmarks::decode(raw, heatmap, world, roi);
        let next_roi = match (
            decoded.all.get(landmark::AUX_CENTRE),
            decoded.all.get(landmark::AUX_SCALE),
        ) {
            (Some(c), Some(p)) => Some(Roi::from_alignment_points((c.x, c.y), (p.x, p.y))),
            _ => None,
        };
        let mut all = decoded.all;
        all.truncate(LANDMARK_COUNT);
        let pose = PoseFrame {
            index: frame.index,
            time_s: frame.time_s,
            tracked: true,
            pose_score: score,
            detector_ran,
            roi: Some(*roi),
            landmarks: all,
            world: decoded.world,
            background_dy: 0.0,
        };
        timings.add(stage::POSTPROCESS, Some(stage::TRACKING), started.elapsed());
        Ok(Some((pose, next_roi)))
    }
}

/// Hands the heap pages freed while the sessions were built (model bytes, unpacked weights)
/// back to the system: glibc keeps them otherwise. Other allocators (macOS, Windows, musl)
/// return freed pages themselves, so elsewhere this does nothing.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; it has no preconditions.
    #[allow(unsafe_code, reason = "one libc call with no preconditions")]
    unsafe {
        libc::malloc_trim(0);
    }
}
