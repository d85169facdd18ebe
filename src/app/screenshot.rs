//! Scripted screenshots (`HANGTIME_SCREENSHOT=out.png hangtime VIDEO`): wait for the
//! analysis, show the first jump at its apex, let the UI settle, capture the window to a PNG
//! and close. Used by `scripts/screenshot` to look at the app as a person would.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Context, ViewportCommand};

use crate::analysis::{EventId, frame_at_or_after};
use crate::pipeline::VideoAnalysis;

/// Frames drawn after everything is ready, so layout and fonts have settled.
const SETTLE_FRAMES: u32 = 12;
/// Give up waiting for the analysis after this long and capture whatever is shown.
const TIMEOUT: Duration = Duration::from_mins(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    WaitingForAnalysis,
    Settling(u32),
    Requested,
}

/// What the app reports to the plan each frame.
#[derive(Debug, Clone, Copy)]
pub struct Readiness {
    /// An analysis is queued or running (or nothing is open yet).
    pub busy: bool,
    /// The preview frame at the playhead is on screen.
    pub frame_shown: bool,
}

/// Progress of a scripted screenshot.
#[derive(Debug)]
pub struct ScreenshotPlan {
    path: PathBuf,
    stage: Stage,
    started: Instant,
}

impl ScreenshotPlan {
    /// A plan to save the window to `path`.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            stage: Stage::WaitingForAnalysis,
            started: Instant::now(),
        }
    }

    /// Advances the plan; returns a frame to show when the analysis has just finished.
    pub fn step(
        &mut self,
        ctx: &Context,
        ready: Readiness,
        analysis: Option<&VideoAnalysis>,
    ) -> Option<usize> {
        match self.stage {
            Stage::WaitingForAnalysis => {
                if ready.busy && self.started.elapsed() < TIMEOUT {
                    // The analysis's progress repaints the window as a person sees it; this
                    // is only a backstop (a faster one would slow the run being shown).
                    ctx.request_repaint_after(Duration::from_millis(250));
                    return None;
                }
                self.stage = Stage::Settling(SETTLE_FRAMES);
                ctx.request_repaint();
                analysis.and_then(showcase_frame)
            }
            Stage::Settling(left) => {
                ctx.request_repaint_after(Duration::from_millis(50));
                // The resident preview decodes in order: wait until the chosen frame is in.
                if !ready.frame_shown && self.started.elapsed() < TIMEOUT {
                    return None;
                }
                if left > 0 {
                    self.stage = Stage::Settling(left - 1);
                    ctx.request_repaint();
                    return None;
                }
                self.stage = Stage::Requested;
                let path = self.path.clone();
                let close_ctx = ctx.clone();
                ctx.request_screenshot(move |image| {
                    let bytes: Vec<u8> = image
                        .pixels
                        .iter()
                        .flat_map(egui::Color32::to_array)
                        .collect();
                    let [w, h] = image.size;
                    let saved = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
                        .map(|img| img.save(&path));
                    match saved {
                        Some(Ok(())) => tracing::info!("screenshot saved to {}", path.display()),
                        Some(Err(e)) => tracing::error!(
                            "the screenshot could not be saved ({e}): {}",
                            path.display()
                        ),
                        None => tracing::error!("the screenshot had an unexpected size"),
                    }
                    close_ctx.send_viewport_cmd(ViewportCommand::Close);
                    close_ctx.request_repaint();
                });
                ctx.request_repaint();
                None
            }
            Stage::Requested => None,
        }
    }
}

/// A frame that shows the app at its best: the first jump's apex (mid-flight otherwise).
fn showcase_frame(analysis: &VideoAnalysis) -> Option<usize> {
    let jump = analysis.analysis.jumps.first()?;
    let t = jump.event(EventId::Apex).or_else(|| {
        Some(f64::midpoint(
            jump.event(EventId::Takeoff)?,
            jump.event(EventId::Landing)?,
        ))
    })?;
    Some(frame_at_or_after(&analysis.analysis.signals.t, t))
}
