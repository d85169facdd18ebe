//! The overlay-video export as a named background job: encoding a clip takes seconds, so it
//! runs on its own thread with a progress counter and a cancel flag, and the UI polls it each
//! frame. The file is written atomically by the report module; a cancelled or failed export
//! leaves no partial file and any previous file intact.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::thread::JoinHandle;

use crate::pipeline::VideoAnalysis;
use crate::report;

use super::jobs::{Notify, capitalise};

/// How an export ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportOutcome {
    /// Written to this path.
    Saved(PathBuf),
    /// Stopped by the user; nothing was written.
    Cancelled,
    /// Failed; one sentence for the user.
    Failed(String),
}

/// One running overlay export.
pub struct OverlayExport {
    /// Shown in the status bar, e.g. `Exporting clip_overlay.mp4`.
    pub name: String,
    cancel: Arc<AtomicBool>,
    frames_done: Arc<AtomicUsize>,
    frames_total: usize,
    outcome: Receiver<ExportOutcome>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for OverlayExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OverlayExport")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl OverlayExport {
    /// Starts writing the overlay video of `analysis` to `path` on a new thread.
    ///
    /// # Errors
    /// One sentence for the user when the thread cannot start.
    pub fn start(analysis: VideoAnalysis, path: PathBuf, notify: Notify) -> Result<Self, String> {
        let name = crate::util::file_name(&path);
        let cancel = Arc::new(AtomicBool::new(false));
        let frames_done = Arc::new(AtomicUsize::new(0));
        let frames_total = analysis.poses.len();
        let (send, outcome) = channel();
        let (job_cancel, job_done) = (Arc::clone(&cancel), Arc::clone(&frames_done));
        let thread = std::thread::Builder::new()
            .name("hangtime-export".into())
            .spawn(move || {
                let mut progress = |done: usize, _total: usize| {
                    // Wake the UI every few frames, not on each one.
                    if job_done.swap(done, Ordering::Relaxed) / 8 != done / 8 {
                        notify();
                    }
                };
                let result = report::export_overlay(&analysis, &path, &job_cancel, &mut progress);
                let message = match result {
                    Ok(true) => ExportOutcome::Saved(path),
                    Ok(false) => ExportOutcome::Cancelled,
                    Err(e) => ExportOutcome::Failed(format!(
                        "The overlay video could not be written. {}",
                        capitalise(&e.to_string())
                    )),
                };
                send.send(message).ok();
                notify();
            })
            .map_err(|e| format!("The overlay export could not start ({e})."))?;
        Ok(Self {
            name,
            cancel,
            frames_done,
            frames_total,
            outcome,
            thread: Some(thread),
        })
    }

    /// Asks the export to stop; it ends within a frame and removes its temporary file.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Frames written and frames in the clip.
    pub fn progress(&self) -> (usize, usize) {
        (self.frames_done.load(Ordering::Relaxed), self.frames_total)
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

    /// The outcome once the export has ended.
    pub fn poll(&mut self) -> Option<ExportOutcome> {
        match self.outcome.try_recv() {
            Ok(outcome) => {
                if let Some(thread) = self.thread.take() {
                    thread.join().ok();
                }
                Some(outcome)
            }
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(ExportOutcome::Failed(
                "The overlay export stopped unexpectedly; nothing was written.".to_owned(),
            )),
        }
    }
}

impl Drop for OverlayExport {
    fn drop(&mut self) {
        self.cancel();
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}
