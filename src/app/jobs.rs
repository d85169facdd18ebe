//! Background work: one named analysis worker thread that owns the pose tracker, loads it
//! once at start-up and analyses queued videos one after another.
//!
//! The UI never waits on it: it sends jobs over a channel and drains events each frame. Each
//! job has its own cancel flag, checked by the pipeline on every frame, so a cancelled run
//! stops within a frame's time and the tracker stays loaded for the next one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::pipeline::{PipelineOptions, Progress, VideoAnalysis, analyze_video};
use crate::pose::{ModelVariant, Tracker, TrackerOptions};

/// Callback the worker uses to wake the UI (a repaint request in the app).
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// Identifies one analysis job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

/// A named, cancellable job as the UI sees it.
#[derive(Debug, Clone)]
pub struct JobHandle {
    /// Its id in worker events.
    pub id: JobId,
    /// Shown in the status bar, e.g. `Analysing clip.mp4`.
    pub name: String,
    /// Set to stop the job.
    pub cancel: Arc<AtomicBool>,
    /// Latest progress, once it runs.
    pub progress: Option<Progress>,
}

impl JobHandle {
    /// Asks the job to stop; the worker reports it as cancelled.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Fraction done, 0 to 1.
    pub fn fraction(&self) -> f32 {
        self.progress.map_or(0.0, |p| {
            if p.frames_total == 0 {
                0.0
            } else {
                (p.frames_done as f32 / p.frames_total as f32).clamp(0.0, 1.0)
            }
        })
    }

    /// Estimated time left, once enough frames are done to tell.
    pub fn eta(&self) -> Option<Duration> {
        let p = self.progress?;
        if p.frames_done < 5 || p.frames_done >= p.frames_total {
            return None;
        }
        let per_frame = p.elapsed.as_secs_f64() / p.frames_done as f64;
        Some(Duration::from_secs_f64(
            per_frame * (p.frames_total - p.frames_done) as f64,
        ))
    }
}

/// Why a job produced no analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// The user cancelled it.
    Cancelled,
    /// It failed; one sentence for the user.
    Failed(String),
}

/// What the worker tells the UI.
#[derive(Debug)]
pub enum WorkerEvent {
    /// The tracker is being loaded (start-up or a model change).
    TrackerLoading(ModelVariant),
    /// The tracker is ready; `load_time` includes warm-up.
    TrackerReady {
        /// The model variant loaded.
        variant: ModelVariant,
        /// Time to load and warm up.
        load_time: Duration,
    },
    /// The tracker could not be loaded; jobs will fail with this message.
    TrackerFailed(String),
    /// A job started running.
    Started(JobId),
    /// A job advanced.
    Progress(JobId, Progress),
    /// A job ended.
    Finished(JobId, Result<Box<VideoAnalysis>, JobFailure>),
    /// The worker thread ended unexpectedly (it panicked): no queued or running job will
    /// finish. Sent once; the worker sends nothing after it.
    Died(String),
}

/// State of the worker's tracker as last reported.
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

enum Request {
    Analyse {
        id: JobId,
        path: PathBuf,
        options: PipelineOptions,
        cancel: Arc<AtomicBool>,
    },
    Reload(TrackerOptions),
    /// Makes the worker panic, as a bug would (tests of the failure path).
    #[cfg(test)]
    Panic,
}

/// The analysis worker thread and its channels.
pub struct AnalysisWorker {
    requests: Option<Sender<Request>>,
    events: Receiver<WorkerEvent>,
    thread: Option<JoinHandle<()>>,
    next_id: u64,
    tracker: TrackerState,
    died: bool,
}

impl std::fmt::Debug for AnalysisWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysisWorker")
            .field("tracker", &self.tracker)
            .finish_non_exhaustive()
    }
}

impl AnalysisWorker {
    /// Starts the worker, which loads the tracker straight away.
    ///
    /// # Errors
    /// When the operating system refuses to start a thread.
    pub fn spawn(options: TrackerOptions, notify: Notify) -> std::io::Result<Self> {
        let (request_tx, request_rx) = channel();
        let (event_tx, event_rx) = channel();
        let thread = std::thread::Builder::new()
            .name("hangtime-analysis".into())
            .spawn(move || worker_loop(options, &request_rx, &event_tx, &*notify))?;
        Ok(Self {
            requests: Some(request_tx),
            events: event_rx,
            thread: Some(thread),
            next_id: 0,
            tracker: TrackerState::Loading(options.variant),
            died: false,
        })
    }

    /// The tracker's state as last reported.
    pub fn tracker(&self) -> &TrackerState {
        &self.tracker
    }

    /// Queues a video; returns its handle.
    pub fn submit(&mut self, path: PathBuf, options: PipelineOptions) -> JobHandle {
        self.next_id += 1;
        let id = JobId(self.next_id);
        let cancel = Arc::new(AtomicBool::new(false));
        let name = format!("Analysing {}", crate::util::file_name(&path));
        // A worker that is gone cannot take it: the next poll reports its death, which fails
        // every job still waiting, this one included.
        if let Some(tx) = &self.requests {
            tx.send(Request::Analyse {
                id,
                path,
                options,
                cancel: Arc::clone(&cancel),
            })
            .ok();
        }
        JobHandle {
            id,
            name,
            cancel,
            progress: None,
        }
    }

    /// Reloads the tracker with other options before the next job.
    pub fn reload(&mut self, options: TrackerOptions) {
        if let Some(tx) = &self.requests {
            tx.send(Request::Reload(options)).ok();
        }
    }

    /// Every event since the last call, tracking the tracker state on the way; ends with
    /// [`WorkerEvent::Died`] once if the worker thread is gone.
    pub fn poll(&mut self) -> Vec<WorkerEvent> {
        let mut out = Vec::new();
        if self.died {
            return out;
        }
        loop {
            match self.events.try_recv() {
                Ok(event) => {
                    match &event {
                        WorkerEvent::TrackerLoading(v) => self.tracker = TrackerState::Loading(*v),
                        WorkerEvent::TrackerReady { variant, load_time } => {
                            self.tracker = TrackerState::Ready {
                                variant: *variant,
                                load_time: *load_time,
                            };
                        }
                        WorkerEvent::TrackerFailed(e) => {
                            self.tracker = TrackerState::Failed(e.clone());
                        }
                        _ => {}
                    }
                    out.push(event);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    let reason = self.death_reason();
                    self.tracker = TrackerState::Failed(reason.clone());
                    self.died = true;
                    self.requests = None;
                    out.push(WorkerEvent::Died(reason));
                    break;
                }
            }
        }
        out
    }
}

impl AnalysisWorker {
    /// Why the worker thread ended, from its panic message when it panicked.
    fn death_reason(&mut self) -> String {
        let payload = self.thread.take().and_then(|t| t.join().err());
        let message = payload.and_then(|p| {
            p.downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
        });
        match message {
            Some(m) => format!("the analysis worker stopped unexpectedly ({m})"),
            None => "the analysis worker stopped unexpectedly".to_owned(),
        }
    }

    /// Makes the worker thread panic (tests of the failure path).
    #[cfg(test)]
    pub(crate) fn crash(&self) {
        if let Some(tx) = &self.requests {
            tx.send(Request::Panic).ok();
        }
    }
}

impl Drop for AnalysisWorker {
    fn drop(&mut self) {
        // Closing the channel ends the worker after its current job; jobs are cancelled by
        // their owners, so this does not wait for a whole analysis.
        self.requests = None;
        if let Some(thread) = self.thread.take()
            && thread.is_finished()
        {
            thread.join().ok();
        }
    }
}

fn load(
    options: TrackerOptions,
    events: &Sender<WorkerEvent>,
    notify: &(dyn Fn() + Send + Sync),
) -> Option<Tracker> {
    events
        .send(WorkerEvent::TrackerLoading(options.variant))
        .ok();
    notify();
    let tracker = match Tracker::load(options) {
        Ok(t) => {
            events
                .send(WorkerEvent::TrackerReady {
                    variant: options.variant,
                    load_time: t.load_time(),
                })
                .ok();
            Some(t)
        }
        Err(e) => {
            events.send(WorkerEvent::TrackerFailed(e.to_string())).ok();
            None
        }
    };
    notify();
    tracker
}

fn worker_loop(
    options: TrackerOptions,
    requests: &Receiver<Request>,
    events: &Sender<WorkerEvent>,
    notify: &(dyn Fn() + Send + Sync),
) {
    let mut variant = options.variant;
    let mut tracker = load(options, events, notify);
    // The first run reports the model load; later runs reuse the tracker and report zero.
    let mut unreported_load = tracker.as_ref().map_or(Duration::ZERO, Tracker::load_time);
    while let Ok(request) = requests.recv() {
        match request {
            #[cfg(test)]
            Request::Panic => panic!("a test asked the worker to fail"),
            Request::Reload(new_options) => {
                if tracker.as_ref().map(Tracker::options) == Some(new_options) {
                    continue;
                }
                // Free the old sessions before loading the new ones.
                drop(tracker.take());
                variant = new_options.variant;
                tracker = load(new_options, events, notify);
                unreported_load = tracker.as_ref().map_or(Duration::ZERO, Tracker::load_time);
            }
            Request::Analyse {
                id,
                path,
                options,
                cancel,
            } => {
                let result = if cancel.load(Ordering::Relaxed) {
                    Err(JobFailure::Cancelled)
                } else if let Some(t) = tracker.as_mut() {
                    events.send(WorkerEvent::Started(id)).ok();
                    notify();
                    let model_load = std::mem::take(&mut unreported_load);
                    analyze_video(&path, t, &options, model_load, &cancel, &mut |p| {
                        events.send(WorkerEvent::Progress(id, p)).ok();
                        notify();
                    })
                    .map(Box::new)
                    .map_err(|e| {
                        if e.is_cancelled() {
                            JobFailure::Cancelled
                        } else {
                            JobFailure::Failed(capitalise(&e.to_string()))
                        }
                    })
                } else {
                    Err(JobFailure::Failed(format!(
                        "The pose tracker ({variant} model) could not be loaded, so no video can be analysed."
                    )))
                };
                events.send(WorkerEvent::Finished(id, result)).ok();
                notify();
            }
        }
    }
}

/// The library's messages start in lower case ("the file does not exist: …") to compose
/// into longer ones; shown alone they start with a capital.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        let mut s: String = first.to_uppercase().collect();
        s.push_str(chars.as_str());
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            capitalise("the file does not exist: /a.mp4"),
            "The file does not exist: /a.mp4"
        );
        assert_eq!(capitalise("Done."), "Done.");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn eta_needs_a_few_frames() {
        let mut job = JobHandle {
            id: JobId(1),
            name: "x".into(),
            cancel: Arc::new(AtomicBool::new(false)),
            progress: None,
        };
        assert_eq!(job.eta(), None);
        job.progress = Some(Progress {
            frames_done: 10,
            frames_total: 30,
            elapsed: Duration::from_secs(1),
        });
        assert_eq!(job.eta(), Some(Duration::from_secs(2)));
        assert!((job.fraction() - 1.0 / 3.0).abs() < 1e-6);
    }
}
