//! The one background-job runner of the app: every slow thing (loading the pose model,
//! analysing a video, decoding its preview, writing an overlay video) is a named task with a
//! progress counter, a cancel flag and a result, polled once per frame.
//!
//! Tasks run on lanes: a lane is one thread that runs its tasks one after another in the order
//! they were queued. The analysis lane owns the pose tracker's time (one analysis at a time
//! may use both cores); previews and exports have their own lanes so neither waits for an
//! analysis. A task that panics fails alone with a sentence; its lane goes on with the next.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// Callback a task uses to wake the UI (a repaint request in the app).
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// Identifies one task for as long as the app runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u64);

/// The thread a task runs on; tasks of one lane run one after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// Loading the pose model and analysing videos (they share the tracker).
    Analysis,
    /// Decoding the preview of the video shown.
    Preview,
    /// Writing files that take a while (the overlay video).
    Export,
    /// Sampling the frames an analysis decodes into the preview.
    Feed,
    /// The compare view's left preview.
    CompareLeft,
    /// The compare view's right preview.
    CompareRight,
}

impl Lane {
    fn thread_name(self) -> &'static str {
        match self {
            Self::Analysis => "hangtime-analysis",
            Self::Preview => "hangtime-preview",
            Self::Export => "hangtime-export",
            Self::Feed => "hangtime-feed",
            Self::CompareLeft => "hangtime-compare-a",
            Self::CompareRight => "hangtime-compare-b",
        }
    }
}

/// Why a task produced no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// The user cancelled it.
    Cancelled,
    /// It failed; one sentence for the user.
    Failed(String),
    /// It panicked (a bug); the panic message, if it had one.
    Crashed(Option<String>),
}

impl JobFailure {
    /// One sentence for the user about `what` (e.g. "The analysis of clip.mp4").
    pub fn sentence(&self, what: &str) -> String {
        match self {
            Self::Cancelled => format!("{what} was cancelled."),
            Self::Failed(message) => message.clone(),
            Self::Crashed(Some(reason)) => format!("{what} stopped unexpectedly ({reason})."),
            Self::Crashed(None) => format!("{what} stopped unexpectedly."),
        }
    }
}

/// How far a task has got: `done` of `total` units (frames, mostly), `total` 0 while unknown.
#[derive(Debug, Default)]
struct ProgressCell {
    // Packed so that the UI never reads a `done` of one update with the `total` of another.
    packed: AtomicU64,
    started: std::sync::OnceLock<Instant>,
}

impl ProgressCell {
    fn set(&self, done: usize, total: usize) {
        let clamp = |v: usize| {
            u64::try_from(v)
                .unwrap_or(u64::MAX)
                .min(u64::from(u32::MAX))
        };
        self.packed
            .store((clamp(done) << 32) | clamp(total), Ordering::Relaxed);
    }

    fn get(&self) -> (usize, usize) {
        let packed = self.packed.load(Ordering::Relaxed);
        let done = usize::try_from(packed >> 32).unwrap_or(usize::MAX);
        let total = usize::try_from(packed & u64::from(u32::MAX)).unwrap_or(usize::MAX);
        (done, total)
    }
}

/// What a running task sees: its cancel flag, its progress counter and the UI's wake-up.
#[derive(Clone)]
pub struct TaskContext {
    cancel: Arc<AtomicBool>,
    progress: Arc<ProgressCell>,
    notify: Notify,
    last_notify: Arc<std::sync::Mutex<Option<Instant>>>,
}

/// Shortest interval between two progress wake-ups: the window repaints at most ~20 times a
/// second for progress, however fast the frames go.
const PROGRESS_REPAINT_INTERVAL: Duration = Duration::from_millis(50);

impl TaskContext {
    /// Whether the user asked the task to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The cancel flag itself, for library calls that take one.
    pub fn cancel_flag(&self) -> &Arc<AtomicBool> {
        &self.cancel
    }

    /// Wakes the UI now (something other than progress can be shown).
    pub fn wake(&self) {
        (self.notify)();
    }

    /// Records progress and wakes the UI, at most every [`PROGRESS_REPAINT_INTERVAL`].
    pub fn report(&self, done: usize, total: usize) {
        self.progress.set(done, total);
        let now = Instant::now();
        let mut last = self
            .last_notify
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_none_or(|l| now.duration_since(l) >= PROGRESS_REPAINT_INTERVAL) || done >= total
        {
            *last = Some(now);
            drop(last);
            (self.notify)();
        }
    }
}

/// A task as the UI sees it while it is queued or running.
#[derive(Debug, Clone)]
pub struct TaskHandle {
    /// Its id.
    pub id: TaskId,
    /// Shown in the status bar, e.g. `Analysing clip.mp4`.
    pub name: String,
    /// Its lane.
    pub lane: Lane,
    cancel: Arc<AtomicBool>,
    progress: Arc<ProgressCell>,
}

impl TaskHandle {
    /// Asks the task to stop; it ends as [`JobFailure::Cancelled`] (or with what it had).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Whether it has started running.
    pub fn is_running(&self) -> bool {
        self.progress.started.get().is_some()
    }

    /// Units done and in all (0 in all while unknown).
    pub fn progress(&self) -> (usize, usize) {
        self.progress.get()
    }

    /// Fraction done, 0 to 1.
    pub fn fraction(&self) -> f32 {
        let (done, total) = self.progress();
        if total == 0 {
            0.0
        } else {
            (done as f32 / total as f32).clamp(0.0, 1.0)
        }
    }

    /// Estimated time left, once enough is done to tell.
    pub fn eta(&self) -> Option<Duration> {
        let (done, total) = self.progress();
        let started = self.progress.started.get()?;
        eta(done, total, started.elapsed())
    }
}

fn eta(done: usize, total: usize, elapsed: Duration) -> Option<Duration> {
    if done < 5 || done >= total {
        return None;
    }
    let per_unit = elapsed.as_secs_f64() / done as f64;
    Some(Duration::from_secs_f64(per_unit * (total - done) as f64))
}

/// A finished task and its outcome.
#[derive(Debug)]
pub struct Finished<T> {
    /// Its id.
    pub id: TaskId,
    /// Its name.
    pub name: String,
    /// What it produced.
    pub outcome: Result<T, JobFailure>,
}

type Work<T> = Box<dyn FnOnce(&TaskContext) -> Result<T, JobFailure> + Send>;

struct Queued<T> {
    id: TaskId,
    context: TaskContext,
    work: Work<T>,
}

/// The runner: lanes started on first use, the tasks not yet finished, and their outcomes.
pub struct TaskRunner<T: Send + 'static> {
    lanes: HashMap<Lane, Sender<Queued<T>>>,
    outcomes_tx: Sender<(TaskId, Result<T, JobFailure>)>,
    outcomes: Receiver<(TaskId, Result<T, JobFailure>)>,
    tasks: Vec<TaskHandle>,
    next_id: u64,
    notify: Notify,
}

impl<T: Send + 'static> std::fmt::Debug for TaskRunner<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskRunner")
            .field("tasks", &self.tasks)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> TaskRunner<T> {
    /// A runner whose tasks wake the UI with `notify`.
    pub fn new(notify: Notify) -> Self {
        let (outcomes_tx, outcomes) = channel();
        Self {
            lanes: HashMap::new(),
            outcomes_tx,
            outcomes,
            tasks: Vec::new(),
            next_id: 0,
            notify,
        }
    }

    /// Queues `work` on `lane` under `name`.
    ///
    /// # Errors
    /// One sentence for the user when the lane's thread cannot start.
    pub fn spawn(
        &mut self,
        lane: Lane,
        name: impl Into<String>,
        work: impl FnOnce(&TaskContext) -> Result<T, JobFailure> + Send + 'static,
    ) -> Result<TaskId, String> {
        self.next_id += 1;
        let id = TaskId(self.next_id);
        let handle = TaskHandle {
            id,
            name: name.into(),
            lane,
            cancel: Arc::new(AtomicBool::new(false)),
            progress: Arc::new(ProgressCell::default()),
        };
        let context = TaskContext {
            cancel: Arc::clone(&handle.cancel),
            progress: Arc::clone(&handle.progress),
            notify: Arc::clone(&self.notify),
            last_notify: Arc::default(),
        };
        let queued = Queued {
            id,
            context,
            work: Box::new(work),
        };
        let sender = self.lane(lane)?;
        if sender.send(queued).is_err() {
            // The lane's thread is gone (it cannot be: tasks never take it down); start anew.
            self.lanes.remove(&lane);
            return Err(format!("The {} could not start.", handle.name));
        }
        self.tasks.push(handle);
        Ok(id)
    }

    fn lane(&mut self, lane: Lane) -> Result<&Sender<Queued<T>>, String> {
        if !self.lanes.contains_key(&lane) {
            let (tx, rx) = channel::<Queued<T>>();
            let outcomes = self.outcomes_tx.clone();
            let notify = Arc::clone(&self.notify);
            std::thread::Builder::new()
                .name(lane.thread_name().into())
                .spawn(move || lane_loop(&rx, &outcomes, &*notify))
                .map_err(|e| format!("A background thread could not start ({e})."))?;
            self.lanes.insert(lane, tx);
        }
        self.lanes
            .get(&lane)
            .ok_or_else(|| "A background thread could not start.".to_owned())
    }

    /// Every task queued or running, oldest first.
    pub fn tasks(&self) -> &[TaskHandle] {
        &self.tasks
    }

    /// The task `id` while it is queued or running.
    pub fn get(&self, id: TaskId) -> Option<&TaskHandle> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// Asks task `id` to stop (nothing when it has finished).
    pub fn cancel(&self, id: TaskId) {
        if let Some(task) = self.get(id) {
            task.cancel();
        }
    }

    /// Asks every task to stop.
    pub fn cancel_all(&self) {
        for task in &self.tasks {
            task.cancel();
        }
    }

    /// Every task that finished since the last call, in the order they finished.
    pub fn poll(&mut self) -> Vec<Finished<T>> {
        let mut out = Vec::new();
        while let Ok((id, outcome)) = self.outcomes.try_recv() {
            let name = self
                .tasks
                .iter()
                .position(|t| t.id == id)
                .map(|i| self.tasks.remove(i).name)
                .unwrap_or_default();
            out.push(Finished { id, name, outcome });
        }
        out
    }
}

impl<T: Send + 'static> Drop for TaskRunner<T> {
    fn drop(&mut self) {
        // Closing the lanes ends their threads after the task at hand, which sees its cancel
        // flag within a frame's time.
        self.cancel_all();
        self.lanes.clear();
    }
}

fn lane_loop<T>(
    tasks: &Receiver<Queued<T>>,
    outcomes: &Sender<(TaskId, Result<T, JobFailure>)>,
    notify: &(dyn Fn() + Send + Sync),
) {
    while let Ok(Queued { id, context, work }) = tasks.recv() {
        let outcome = if context.is_cancelled() {
            Err(JobFailure::Cancelled)
        } else {
            context.progress.started.set(Instant::now()).ok();
            notify();
            catch_unwind(AssertUnwindSafe(|| work(&context))).unwrap_or_else(|payload| {
                let reason = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned());
                Err(JobFailure::Crashed(reason))
            })
        };
        if outcomes.send((id, outcome)).is_err() {
            return;
        }
        notify();
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

    fn runner() -> TaskRunner<u32> {
        TaskRunner::new(Arc::new(|| {}))
    }

    fn wait(runner: &mut TaskRunner<u32>, count: usize) -> Vec<Finished<u32>> {
        let started = Instant::now();
        let mut out = Vec::new();
        while out.len() < count {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "tasks never ended"
            );
            out.extend(runner.poll());
            std::thread::sleep(Duration::from_millis(2));
        }
        out
    }

    #[test]
    fn tasks_of_a_lane_run_in_order_and_report_progress() {
        let mut runner = runner();
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        for n in 0..3_u32 {
            let order = Arc::clone(&order);
            runner
                .spawn(Lane::Analysis, format!("task {n}"), move |ctx| {
                    ctx.report(n as usize + 1, 3);
                    order.lock().unwrap().push(n);
                    Ok(n * 10)
                })
                .unwrap();
        }
        assert_eq!(runner.tasks().len(), 3);
        let done = wait(&mut runner, 3);
        let values: Vec<_> = done.iter().map(|f| f.outcome.clone().unwrap()).collect();
        assert_eq!(values, [0, 10, 20]);
        assert_eq!(*order.lock().unwrap(), [0, 1, 2]);
        assert_eq!(done[1].name, "task 1");
        assert!(runner.tasks().is_empty());
    }

    #[test]
    fn a_cancelled_task_stops_and_a_panicking_one_fails_alone() {
        let mut runner = runner();
        let id = runner
            .spawn(Lane::Export, "slow", |ctx| {
                while !ctx.is_cancelled() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(JobFailure::Cancelled)
            })
            .unwrap();
        let panics = runner
            .spawn(Lane::Export, "broken", |_| {
                panic!("a test asked it to fail")
            })
            .unwrap();
        let after = runner.spawn(Lane::Export, "after", |_| Ok(7)).unwrap();
        runner.cancel(id);
        let done = wait(&mut runner, 3);
        let outcome = |id| done.iter().find(|f| f.id == id).unwrap().outcome.clone();
        assert_eq!(outcome(id), Err(JobFailure::Cancelled));
        let crashed = outcome(panics).unwrap_err();
        assert_eq!(
            crashed.sentence("The export"),
            "The export stopped unexpectedly (a test asked it to fail)."
        );
        assert_eq!(outcome(after), Ok(7), "the lane goes on after a panic");
    }

    #[test]
    fn progress_is_read_whole_and_eta_needs_a_few_units() {
        let cell = ProgressCell::default();
        cell.set(10, 30);
        assert_eq!(cell.get(), (10, 30));
        assert_eq!(eta(3, 30, Duration::from_secs(1)), None);
        assert_eq!(
            eta(10, 30, Duration::from_secs(1)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(eta(30, 30, Duration::from_secs(1)), None);
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            capitalise("the file does not exist: /a.mp4"),
            "The file does not exist: /a.mp4"
        );
        assert_eq!(capitalise("Done."), "Done.");
        assert_eq!(capitalise(""), "");
    }
}
