//! Results as they come: while a video is tracked, its frames feed the preview (one decode for
//! both), each pose is shown as soon as it exists, and the jumps found in the poses so far
//! appear as provisional rows once their landing has been tracked. The final analysis, over
//! every frame, replaces them.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::analysis::people::{self, PersonChoice};
use crate::analysis::{self, AnalysisOptions, ClipFacts, Jump, PhaseBand};
use crate::pipeline::{Progress, TrackObserver};
use crate::pose::PoseFrame;
use crate::timing::Timings;
use crate::video::{Frame, PreviewFeed, VideoInfo};

use super::analysis_tasks::TaskOutput;
use super::tasks::{JobFailure, TaskContext};

/// How often the jumps are looked for in the poses tracked so far (a few milliseconds each).
const PROVISIONAL_INTERVAL: Duration = Duration::from_millis(250);
/// Tracked time after a landing before its jump is shown: the landing's own fit needs a few
/// frames of contact.
const LANDING_MARGIN_S: f64 = 0.25;
/// Frames waiting for the preview; the tracker never waits longer than this many behind.
const FEED_QUEUE: usize = 2;

/// The jumps found in the poses tracked so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisional {
    /// Jumps whose landing has been tracked, in time order.
    pub jumps: Vec<Jump>,
    /// Their phase bands.
    pub bands: Vec<PhaseBand>,
    /// Frames tracked when they were found.
    pub tracked: usize,
}

/// What a running analysis has shown so far.
#[derive(Debug, Default)]
pub struct LiveAnalysis {
    poses: Vec<PoseFrame>,
    provisional: Option<Arc<Provisional>>,
    preview_refused: bool,
}

/// The live state as the app and the analysis task share it.
#[derive(Debug, Clone, Default)]
pub struct SharedLive(Arc<Mutex<LiveAnalysis>>);

impl SharedLive {
    fn lock(&self) -> MutexGuard<'_, LiveAnalysis> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The pose of frame `index`, once tracked.
    pub fn pose(&self, index: usize) -> Option<PoseFrame> {
        self.lock().poses.get(index).cloned()
    }

    /// Frames tracked so far.
    pub fn tracked(&self) -> usize {
        self.lock().poses.len()
    }

    /// The jumps found so far.
    pub fn provisional(&self) -> Option<Arc<Provisional>> {
        self.lock().provisional.clone()
    }

    /// Whether the preview could not be fed (the clip is too long to hold): the app decodes
    /// one of its own then.
    pub fn preview_refused(&self) -> bool {
        self.lock().preview_refused
    }
}

/// What the analysis hands to the preview.
pub enum FeedItem {
    /// The probed clip.
    Start(VideoInfo),
    /// One decoded frame.
    Frame(Frame),
}

/// The pipeline's observer in the app: progress, frames on to the preview, poses and
/// provisional jumps into the shared live state.
pub struct LiveObserver<'a> {
    ctx: &'a TaskContext,
    live: SharedLive,
    frames: Option<SyncSender<FeedItem>>,
    options: AnalysisOptions,
    person: PersonChoice,
    /// Everyone followed so far, in the order found.
    people: Vec<Vec<PoseFrame>>,
    /// Which of them the live view shows (the one the final analysis would choose so far).
    shown: usize,
    facts: Option<ClipFacts>,
    last_look: Instant,
}

impl<'a> LiveObserver<'a> {
    /// An observer for one analysis; `frames` goes to the preview feed, if there is one.
    pub fn new(
        ctx: &'a TaskContext,
        live: SharedLive,
        frames: Option<SyncSender<FeedItem>>,
        options: AnalysisOptions,
        person: PersonChoice,
    ) -> Self {
        Self {
            ctx,
            live,
            frames,
            options,
            person,
            people: Vec::new(),
            shown: 0,
            facts: None,
            last_look: Instant::now(),
        }
    }

    fn send(&mut self, item: FeedItem) {
        if let Some(tx) = &self.frames
            && tx.send(item).is_err()
        {
            // Nobody shows the preview any more.
            self.frames = None;
        }
    }

    /// Looks for jumps in the poses so far and publishes those whose landing is tracked.
    fn look_for_jumps(&mut self) {
        let Some(facts) = self.facts else { return };
        self.last_look = Instant::now();
        let in_view = people::in_view(self.people.clone(), facts.width);
        let (chosen, _) = people::choose(&in_view, self.person, &facts, &self.options);
        let Some(person) = in_view.get(chosen) else {
            return;
        };
        self.shown = person.found_order;
        let mut analysis =
            analysis::analyze(&person.poses, &facts, &self.options, &mut Timings::new());
        let margin = (LANDING_MARGIN_S * facts.fps.max(1.0)).ceil() as usize;
        let tracked = person.poses.len();
        analysis
            .jumps
            .retain(|j| j.landing_frame + margin < tracked);
        let end = analysis::clip_end(&analysis.signals.t);
        let bands = analysis::bands(&analysis.jumps, end);
        let mut live = self.live.lock();
        live.poses.clone_from(&person.poses);
        live.provisional = Some(Arc::new(Provisional {
            jumps: analysis.jumps,
            bands,
            tracked,
        }));
        drop(live);
        self.ctx.wake();
    }
}

impl TrackObserver for LiveObserver<'_> {
    fn progress(&mut self, progress: Progress) {
        self.ctx.report(progress.frames_done, progress.frames_total);
        if self.last_look.elapsed() >= PROVISIONAL_INTERVAL {
            self.look_for_jumps();
        }
    }

    fn opened(&mut self, info: &VideoInfo) {
        self.facts = Some(ClipFacts {
            fps: info.measured_fps,
            vfr: info.vfr,
            width: info.width,
            height: info.height,
        });
        self.send(FeedItem::Start(info.clone()));
    }

    fn tracked(&mut self, frame: Frame, now: &[PoseFrame], earlier: &[(usize, f64)]) {
        let shown = now
            .get(self.shown)
            .cloned()
            .unwrap_or_else(|| PoseFrame::untracked(frame.index, frame.time_s, false));
        people::record(&mut self.people, earlier, now.to_vec());
        self.live.lock().poses.push(shown);
        self.send(FeedItem::Frame(frame));
    }
}

/// A channel from the analysis to the preview feed.
pub fn feed_channel() -> (SyncSender<FeedItem>, Receiver<FeedItem>) {
    sync_channel(FEED_QUEUE)
}

/// The feed-lane task that samples the analysis's frames into the preview.
pub fn feed_preview(
    feed: PreviewFeed,
    frames: Receiver<FeedItem>,
    live: SharedLive,
) -> impl FnOnce(&TaskContext) -> Result<TaskOutput, JobFailure> + Send + 'static {
    move |_ctx| {
        let mut feed = Some(feed);
        let mut writer = None;
        while let Ok(item) = frames.recv() {
            match item {
                FeedItem::Start(info) => {
                    writer = feed.take().and_then(|f| f.start(&info));
                    if writer.is_none() {
                        live.lock().preview_refused = true;
                        break;
                    }
                }
                FeedItem::Frame(frame) => {
                    if !writer.as_mut().is_some_and(|w| w.push(&frame)) {
                        break;
                    }
                }
            }
        }
        // Dropping the receiver tells the analysis to stop sending.
        drop(frames);
        if let Some(w) = writer {
            w.finish();
        }
        Ok(TaskOutput::Previewed)
    }
}
