//! The tracker: detector when lost, landmark model on the ROI carried from frame to frame.

use std::time::{Duration, Instant};

use ort::session::Session;

use super::detector::{self, Detection, Window};
use super::landmarks::{self, LANDMARK_COUNT, MODEL_LANDMARKS, PoseFrame, landmark};
use super::models::{DETECTOR_FILE, ModelVariant, models_dir};
use super::{PoseError, Roi, session};
use crate::timing::{Timings, stage};
use crate::video::{Border, CameraMotion, Frame, Normalise, YuvImage};

/// Version of the tracking algorithm: detection, ROI carrying, cropping, landmark decoding and
/// the pixels it is given. Bump it with any change that moves a landmark of any clip, so no
/// cache returns poses tracked by the older algorithm; `tests/pose.rs` fails when the tracker's
/// output on a fixed clip changes while this stays the same.
pub const TRACKER_VERSION: u32 = 3;

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

/// MediaPipe's tracking threshold on the pose-present flag, for a region the detector gave.
const MIN_POSE_SCORE: f32 = 0.5;
/// The threshold for a region carried from a neighbouring frame's landmarks. The flag drops
/// to 0.05–0.5 for single frames while the body is still in the crop, most of all with the
/// head out of the picture (the drop-landing clips: 0.053, 0.093, 0.13, 0.24, 0.33 between
/// frames scoring 0.9), and to 0.000–0.005 where nobody is there (after a cut). MediaPipe's
/// 0.5 loses the person at the first such frame; this keeps following them, though such a
/// frame's landmarks are left out.
const CARRIED_MIN_POSE_SCORE: f32 = 0.03;
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

/// Seconds between searches for people who came into view while someone is tracked: the
/// detector costs about two landmark runs, so a search a second costs a one-person clip a few
/// per cent.
const SCAN_INTERVAL_S: f64 = 1.0;
/// A person lost less than this long ago is searched for at every frame.
const RECENTLY_LOST_S: f64 = 0.5;
/// At most this many people are tracked in one clip.
pub const MAX_PEOPLE: usize = 4;
/// Two detections or tracked regions whose centres are closer than this many region sides
/// are one person.
const SAME_PERSON_DISTANCE: f32 = 0.5;
/// A lost person is found again by a detection within this many of its region sides.
const REFOUND_DISTANCE: f32 = 1.0;

/// One person followed through a clip.
#[derive(Debug, Clone)]
struct Person {
    /// The region carried to the next frame (`None` while lost).
    roi: Option<Roi>,
    /// Where the person was last tracked.
    last_seen: Roi,
    /// When the person was lost (`None` while tracked).
    lost_at_s: Option<f64>,
}

/// Per-clip tracking state: everyone followed so far, each with the region carried to the
/// next frame. A fresh state starts with the detector.
#[derive(Debug, Clone, Default)]
pub struct TrackingState {
    people: Vec<Person>,
    last_scan_s: Option<f64>,
    /// People found by the detector in the last frame tracked (new, or lost and found again).
    found: Vec<usize>,
}

impl TrackingState {
    /// Whether anyone is being tracked (has a region carried to the next frame).
    pub fn anyone_tracked(&self) -> bool {
        self.people.iter().any(|p| p.roi.is_some())
    }

    /// The people the detector found in the last frame tracked, each with the region their
    /// landmarks give for a neighbouring frame: where to start tracking them back in time.
    pub fn just_found(&self) -> Vec<(usize, Roi)> {
        self.found
            .iter()
            .filter_map(|&i| Some((i, self.people.get(i)?.roi?)))
            .collect()
    }

    /// Whether this frame needs a search for people: nobody is tracked, someone was lost
    /// just now, or the last search was a while ago.
    fn wants_scan(&self, time_s: f64) -> bool {
        let recently_lost = self
            .people
            .iter()
            .any(|p| p.lost_at_s.is_some_and(|t| time_s - t < RECENTLY_LOST_S));
        let due = self
            .last_scan_s
            .is_none_or(|t| time_s - t >= SCAN_INTERVAL_S || time_s < t);
        !self.anyone_tracked() || recently_lost || due
    }

    /// Which person a new detection is: an already tracked one (`Err`: nothing to do), a lost
    /// one found again, or nobody yet (`Ok(None)`).
    fn match_detection(&self, found: &Roi) -> Result<Option<usize>, ()> {
        if self
            .people
            .iter()
            .filter_map(|p| p.roi.as_ref())
            .any(|r| r.distance_in_sides(found) < SAME_PERSON_DISTANCE)
        {
            return Err(());
        }
        let lost = || {
            self.people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.roi.is_none())
        };
        // Alone in the clip and lost: whoever is found is that person, wherever they are.
        if self.people.len() == 1 && !self.anyone_tracked() {
            return Ok(Some(0));
        }
        let size_ok = |p: &Person| {
            let ratio = found.side / p.last_seen.side.max(1.0);
            (0.5..=2.0).contains(&ratio)
        };
        Ok(lost()
            .filter(|(_, p)| size_ok(p))
            .map(|(i, p)| (i, p.last_seen.distance_in_sides(found)))
            .filter(|(_, d)| *d < REFOUND_DISTANCE)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i))
    }
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

    /// Runs the detector on the whole picture (and on tiles of a wide one): every person
    /// found, strongest first, each once.
    ///
    /// # Errors
    /// [`PoseError::Inference`] when ONNX Runtime fails.
    pub fn detect(
        &mut self,
        image: &YuvImage<'_>,
        timings: &mut Timings,
    ) -> Result<Vec<Detection>, PoseError> {
        let (w, h) = image.displayed_size();
        let s = detector::INPUT_SIZE;
        let mut found = Vec::new();
        for window in Window::covering(w, h) {
            timings.time(stage::CROP, Some(stage::TRACKING), || {
                image.sample_tensor(
                    &window.input_to_image(),
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
            found.extend(detector::decode(regressors, logits, &self.anchors, window));
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        let mut people: Vec<Detection> = Vec::with_capacity(found.len());
        for candidate in found {
            let roi = candidate.roi();
            let seen = people
                .iter()
                .any(|p| p.roi().distance_in_sides(&roi) < SAME_PERSON_DISTANCE);
            if roi.is_valid() && !seen {
                people.push(candidate);
            }
        }
        Ok(people)
    }

    /// Tracks one frame, updating `state` for the next: one pose per person followed so far,
    /// in the order they were found (untracked where a person is out of view or lost).
    ///
    /// # Errors
    /// [`PoseError::Inference`] when ONNX Runtime fails.
    pub fn track(
        &mut self,
        frame: &Frame,
        state: &mut TrackingState,
        timings: &mut Timings,
    ) -> Result<Vec<PoseFrame>, PoseError> {
        let image = frame.image();
        let mut poses: Vec<Option<PoseFrame>> = vec![None; state.people.len()];
        for (person, pose) in state.people.iter_mut().zip(&mut poses) {
            let Some(roi) = person.roi.filter(Roi::is_valid) else {
                person.roi = None;
                continue;
            };
            if let Some((tracked, next)) = self.landmarks_in(&image, &roi, frame, false, timings)? {
                person.roi = next.filter(Roi::is_valid);
                person.last_seen = roi;
                person.lost_at_s = None;
                *pose = Some(tracked);
            } else {
                person.roi = None;
                person.lost_at_s = Some(frame.time_s);
            }
        }
        forget_duplicates(state, &mut poses, frame.time_s);
        state.found.clear();
        let scanned = state.wants_scan(frame.time_s);
        if scanned {
            state.last_scan_s = Some(frame.time_s);
            for detection in self.detect(&image, timings)? {
                let roi = detection.roi();
                let Ok(slot) = state.match_detection(&roi) else {
                    continue;
                };
                if slot.is_none() && state.people.len() >= MAX_PEOPLE {
                    continue;
                }
                let Some((tracked, next)) =
                    self.landmarks_in(&image, &roi, frame, true, timings)?
                else {
                    continue;
                };
                let person = Person {
                    roi: next.filter(Roi::is_valid),
                    last_seen: roi,
                    lost_at_s: None,
                };
                if let Some(i) = slot {
                    state.people[i] = person;
                    poses[i] = Some(tracked);
                    state.found.push(i);
                } else {
                    state.found.push(state.people.len());
                    state.people.push(person);
                    poses.push(Some(tracked));
                }
            }
        }
        Ok(poses
            .into_iter()
            .map(|pose| {
                pose.map_or_else(
                    || PoseFrame::untracked(frame.index, frame.time_s, scanned),
                    |mut p| {
                        p.detector_ran |= scanned;
                        p
                    },
                )
            })
            .collect())
    }

    /// Tracks one person back in time through `frames` (oldest first; the frames just before
    /// the one they were found in), starting from `roi`, the region their landmarks give:
    /// the detector needs a face, so someone who enters with the head out of the picture (on
    /// a box, say) is found only once it shows. Returns a pose for each frame from the newest
    /// back, stopping where the landmark model no longer sees a person.
    ///
    /// # Errors
    /// [`PoseError::Inference`] when ONNX Runtime fails.
    pub fn track_back(
        &mut self,
        frames: &[Frame],
        roi: Roi,
        timings: &mut Timings,
    ) -> Result<Vec<PoseFrame>, PoseError> {
        let mut carried = Some(roi);
        let mut poses = Vec::new();
        for frame in frames.iter().rev() {
            let Some(roi) = carried.filter(Roi::is_valid) else {
                break;
            };
            let Some((pose, next)) =
                self.landmarks_in(&frame.image(), &roi, frame, false, timings)?
            else {
                break;
            };
            poses.push(pose);
            carried = next;
        }
        Ok(poses)
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
        let threshold = if detector_ran {
            MIN_POSE_SCORE
        } else {
            CARRIED_MIN_POSE_SCORE
        };
        if !(score >= threshold) {
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
        // Below MediaPipe's threshold the region still follows the person, but their
        // landmarks are not trusted (with the head out of view the model squeezes a whole
        // body into what it sees).
        let trusted = score >= MIN_POSE_SCORE;
        let pose = PoseFrame {
            index: frame.index,
            time_s: frame.time_s,
            tracked: trusted,
            pose_score: score,
            detector_ran,
            roi: Some(*roi),
            landmarks: if trusted { all } else { Vec::new() },
            world: if trusted { decoded.world } else { Vec::new() },
            camera: CameraMotion::STILL,
        };
        timings.add(stage::POSTPROCESS, Some(stage::TRACKING), started.elapsed());
        Ok(Some((pose, next_roi)))
    }
}

/// When two people's regions have converged on one person (they crossed, and both crops
/// now follow the same body), the later-found one is marked lost so it can be found again.
fn forget_duplicates(state: &mut TrackingState, poses: &mut [Option<PoseFrame>], time_s: f64) {
    for later in 1..state.people.len() {
        let Some(b) = state.people[later].roi else {
            continue;
        };
        let duplicate = state.people[..later].iter().any(|p| {
            p.roi
                .is_some_and(|a| a.distance_in_sides(&b) < SAME_PERSON_DISTANCE)
        });
        if duplicate {
            state.people[later].roi = None;
            state.people[later].lost_at_s = Some(time_s);
            if let Some(pose) = poses.get_mut(later) {
                *pose = None;
            }
        }
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
