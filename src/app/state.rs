//! Runtime state of opened videos and playback (never persisted).

use std::path::PathBuf;

use crate::analysis::{PhaseBand, bands, clip_end, frame_at_or_before};
use crate::pipeline::VideoAnalysis;

use super::commands::{FlightEdge, PlaybackSpeed};
use super::edits::EditHistory;
use super::live::{Provisional, SharedLive};
use super::tasks::{JobFailure, TaskHandle};
use crate::video::PreviewSource;

/// Where a video's analysis stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalysisStatus {
    /// Waiting for the worker.
    Queued,
    /// Being analysed.
    Running,
    /// Analysed.
    Done,
    /// Cancelled by the user.
    Cancelled,
    /// Failed; one sentence.
    Failed(String),
}

/// One opened video.
#[derive(Debug)]
pub struct VideoEntry {
    /// The file.
    pub path: PathBuf,
    /// Its analysis task while queued or running.
    pub job: Option<TaskHandle>,
    /// Where the analysis stands.
    pub status: AnalysisStatus,
    /// The result, once done (edited in place when a person corrects a jump).
    pub result: Option<Box<VideoAnalysis>>,
    /// Phase bands of the result's jumps.
    pub bands: Vec<PhaseBand>,
    /// Corrections that can be undone and redone.
    pub edits: EditHistory,
    /// What the running analysis has shown so far.
    pub live: Option<SharedLive>,
    /// A preview fed by this video's analysis, until the video is shown.
    pub(super) fed_preview: Option<PreviewSource>,
    /// When its analysis was queued, and the window's frame count then (to log how often the
    /// window repainted while it ran).
    pub(super) queued_at: (std::time::Instant, u64),
}

impl VideoEntry {
    /// A video waiting for analysis.
    pub fn queued(path: PathBuf, job: TaskHandle, frame: u64) -> Self {
        Self {
            queued_at: (std::time::Instant::now(), frame),
            path,
            job: Some(job),
            status: AnalysisStatus::Queued,
            result: None,
            bands: Vec::new(),
            edits: EditHistory::default(),
            live: None,
            fed_preview: None,
        }
    }

    /// File name for labels.
    pub fn name(&self) -> String {
        crate::util::file_name(&self.path)
    }

    /// Stores a finished job's outcome.
    pub fn finish(&mut self, outcome: Result<Box<VideoAnalysis>, JobFailure>) {
        self.job = None;
        self.live = None;
        self.fed_preview = None;
        match outcome {
            Ok(result) => {
                self.result = Some(result);
                self.status = AnalysisStatus::Done;
                self.edits = EditHistory::default();
                self.refresh_bands();
            }
            Err(JobFailure::Cancelled) => self.status = AnalysisStatus::Cancelled,
            Err(failure) => {
                let what = format!("The analysis of {}", self.name());
                self.status = AnalysisStatus::Failed(failure.sentence(&what));
            }
        }
    }

    /// Recomputes phase bands after the jumps changed.
    pub fn refresh_bands(&mut self) {
        self.bands = self.result.as_ref().map_or_else(Vec::new, |r| {
            bands(&r.analysis.jumps, clip_end(&r.analysis.signals.t))
        });
    }

    /// The jumps found so far while the analysis runs.
    pub fn provisional(&self) -> Option<std::sync::Arc<Provisional>> {
        self.live.as_ref().and_then(SharedLive::provisional)
    }

    /// Whether the analysis is queued or running.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.status,
            AnalysisStatus::Queued | AnalysisStatus::Running
        )
    }
}

/// Playback position and mode of the video shown.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Playback {
    /// Displayed frame shown.
    pub frame: usize,
    /// Playing rather than paused.
    pub playing: bool,
    /// Speed while playing.
    pub speed: PlaybackSpeed,
    /// Clip time reached by the play clock (between frames while playing).
    pub clock_s: f64,
    /// Selected jump, 0-based.
    pub selected_jump: usize,
    /// The selected jump's marker that the keyboard moves, once one is selected.
    pub selected_edge: Option<FlightEdge>,
}

impl Playback {
    /// Moves to `frame` (clamped to the clip) and aligns the play clock with it.
    pub fn seek(&mut self, frame: usize, times: &[f64]) {
        self.frame = frame.min(times.len().saturating_sub(1));
        self.clock_s = times.get(self.frame).copied().unwrap_or(0.0);
    }

    /// Advances the play clock by `dt` seconds of wall time; stops at the end. Returns
    /// whether the shown frame changed.
    pub fn advance(&mut self, dt: f64, times: &[f64]) -> bool {
        if !self.playing || times.is_empty() {
            return false;
        }
        self.clock_s += dt * self.speed.factor();
        // The frame on screen is the last one whose time has come.
        let frame = frame_at_or_before(times, self.clock_s);
        let last = times.len() - 1;
        if frame >= last {
            self.playing = false;
        }
        let changed = frame.min(last) != self.frame;
        self.frame = frame.min(last);
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_follows_real_timestamps_and_stops_at_the_end() {
        let times = [0.0, 0.1, 0.2, 0.35, 0.4];
        let mut p = Playback::default();
        p.seek(0, &times);
        p.playing = true;
        assert!(!p.advance(0.05, &times));
        assert!(p.advance(0.06, &times));
        assert_eq!(p.frame, 1);
        p.advance(0.2, &times);
        assert_eq!(p.frame, 2, "at 0.31 s the frame of 0.2 s is still shown");
        p.advance(1.0, &times);
        assert_eq!(p.frame, 4);
        assert!(!p.playing);
        p.speed = PlaybackSpeed::Quarter;
        p.seek(0, &times);
        p.playing = true;
        p.advance(0.4, &times);
        assert_eq!(p.frame, 1, "0.4 s at a quarter speed is 0.1 s of clip");
    }
}
