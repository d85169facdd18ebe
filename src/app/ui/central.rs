//! The central view: toolbar, frame scrubber, the video with its overlay, the phase timeline
//! and the centre-of-mass plots.

use egui::{Align, Layout, RichText, Ui, vec2};

use super::{error_banner, tool_button};
use crate::analysis::{PhaseBand, band_at, clip_end};
use crate::app::actions::Action;
use crate::app::commands::{Command, CommandQueue, PlaybackSpeed};
use crate::app::state::{AnalysisStatus, VideoEntry};
use crate::app::tasks::capitalise;
use crate::app::{HangtimeApp, overlay, plots, theme, timeline, viewer};
use crate::pipeline::VideoAnalysis;
use crate::pose::Landmark;
use crate::video::PreviewStatus;

/// Room below the video for the timeline and spacing.
const TIMELINE_ROOM: f32 = 62.0;

impl HangtimeApp {
    pub(in crate::app) fn central(&mut self, ui: &mut Ui, commands: &mut CommandQueue) {
        let Some(index) = self.current else {
            self.welcome(ui, commands);
            return;
        };
        let times = self.frame_times();
        if let Some(entry) = self.entries.get(index)
            && let AnalysisStatus::Failed(message) = &entry.status
        {
            error_banner(ui, &format!("This video could not be analysed. {message}"));
        }
        self.toolbar(ui, &times, commands);
        self.scrubber(ui, &times, commands);

        let entry = self.entries.get(index);
        let result = entry.and_then(|e| e.result.as_deref());
        let live = entry.and_then(|e| e.live.clone());
        let provisional = entry.and_then(VideoEntry::provisional);
        let bands: &[PhaseBand] = match (&provisional, result) {
            (Some(p), None) => p.bands.as_slice(),
            _ => entry.map_or(&[], |e| e.bands.as_slice()),
        };
        let plots_height = if result.is_some() {
            (ui.available_height() * 0.3).clamp(170.0, 300.0)
        } else {
            0.0
        };
        let spacing = ui.spacing().item_spacing.y;
        let viewer_height =
            (ui.available_height() - TIMELINE_ROOM - plots_height - 3.0 * spacing).max(120.0);

        let frame_index = self.playback.frame;
        let picture = self.preview_picture(frame_index);
        let layout = self.preview.as_ref().and_then(|p| p.source.layout());
        let video_size = result
            .map(|r| (r.info.width, r.info.height))
            .or_else(|| layout.as_ref().map(|l| (l.info.width, l.info.height)));
        // While tracking runs, each frame's skeleton shows as soon as it is tracked.
        let live_pose = live
            .as_ref()
            .filter(|_| result.is_none())
            .and_then(|l| l.pose(frame_index));
        let pose = result
            .and_then(|r| r.poses.get(frame_index))
            .or(live_pose.as_ref());
        let com = result.and_then(|r| {
            let s = &r.analysis.signals;
            Some((*s.com_x.get(frame_index)?, *s.com.value.get(frame_index)?))
        });
        let playhead_s = times.get(frame_index).copied().unwrap_or(0.0);
        let phase_text = band_at(bands, playhead_s).map(|b| {
            (
                format!("Jump {} · {}", b.jump + 1, b.phase.label()),
                theme::phase_colour(b.phase),
            )
        });
        let placeholder = self.preview_placeholder();
        let input = viewer::ViewerInput {
            picture,
            video_size,
            overlay: overlay::OverlayFrame {
                landmarks: pose.map_or(&[], |p| p.landmarks.as_slice()),
                centre_of_mass: com,
                phase: phase_text.as_ref().map(|(t, c)| (t.as_str(), *c)),
                others: result.map_or_else(Vec::new, |r| others_at(r, frame_index)),
            },
            layers: self.settings.overlay,
            placeholder: &placeholder,
        };
        let clicked = ui
            .allocate_ui(vec2(ui.available_width(), viewer_height), |ui| {
                viewer::show(ui, &mut self.viewer, &input)
            })
            .inner;
        if let (Some(at), Some(result)) = (clicked, result) {
            choose_by_click(result, frame_index, at, commands);
        }
        let jumps = match (result, &provisional) {
            (Some(r), _) => r.analysis.jumps.as_slice(),
            (None, Some(p)) => p.jumps.as_slice(),
            (None, None) => &[][..],
        };
        timeline::show(
            ui,
            &timeline::TimelineInput {
                times: &times,
                bands,
                jumps,
                frame: frame_index,
                selected_jump: self.playback.selected_jump,
                selected_edge: self.playback.selected_edge,
            },
            commands,
        );
        if let Some(result) = result {
            let plot = plots::PlotInput {
                signals: &result.analysis.signals,
                px_per_m: result.analysis.px_per_m,
                bands,
                time_s: playhead_s,
                end_s: clip_end(&times),
            };
            plots::show(ui, &plot, commands);
        }
    }

    /// The preview picture of `frame`, or the nearest one decoded while it is not.
    fn preview_picture(&self, frame: usize) -> Option<std::sync::Arc<crate::video::PreviewFrame>> {
        self.preview
            .as_ref()
            .and_then(|p| p.source.frame(frame).or_else(|| p.source.nearest(frame)))
    }

    /// What the video area says while it has no picture.
    fn preview_placeholder(&self) -> String {
        match self.preview.as_ref().map(|p| p.source.status()) {
            Some(PreviewStatus::Failed(e)) => {
                format!("No preview: {}", capitalise(&e.to_string()))
            }
            _ => "Decoding the preview…".to_owned(),
        }
    }

    /// The frame slider across the whole clip.
    fn scrubber(&self, ui: &mut Ui, times: &[f64], commands: &mut CommandQueue) {
        let last = times.len().saturating_sub(1);
        let mut frame = self.playback.frame.min(last);
        ui.scope(|ui| {
            ui.spacing_mut().slider_width = ui.available_width();
            let slider = egui::Slider::new(&mut frame, 0..=last.max(1)).show_value(false);
            let response = ui
                .add_enabled(!times.is_empty(), slider)
                .on_hover_text("Frame scrubber");
            if response.changed() {
                commands.push(Command::SeekFrame(frame));
            }
            // While tracking runs, a bar under the slider shows how far it has got (the
            // skeleton is drawn up to there).
            if let Some(live) = self.current_entry().and_then(|e| e.live.as_ref())
                && !times.is_empty()
            {
                let share = (live.tracked() as f32 / times.len() as f32).clamp(0.0, 1.0);
                let rect = response.rect;
                let bar = egui::Rect::from_min_max(
                    egui::pos2(rect.left(), rect.bottom() - 2.0),
                    egui::pos2(rect.left() + rect.width() * share, rect.bottom()),
                );
                ui.painter().rect_filled(bar, 0.0, theme::TAKEOFF);
                response.on_hover_text(format!(
                    "{} of {} frames tracked",
                    live.tracked(),
                    times.len()
                ));
            }
        });
    }

    fn toolbar(&mut self, ui: &mut Ui, times: &[f64], commands: &mut CommandQueue) {
        ui.horizontal(|ui| {
            let has_frames = !times.is_empty();
            tool_button(
                ui,
                self,
                Action::FirstFrame,
                egui::Button::new("«"),
                commands,
            );
            tool_button(
                ui,
                self,
                Action::PreviousFrame,
                egui::Button::new("‹"),
                commands,
            );
            let play = if self.playback.playing {
                "Pause"
            } else {
                "Play"
            };
            let play = egui::Button::new(play).min_size(vec2(72.0, 0.0));
            tool_button(ui, self, Action::PlayPause, play, commands);
            tool_button(
                ui,
                self,
                Action::NextFrame,
                egui::Button::new("›"),
                commands,
            );
            tool_button(
                ui,
                self,
                Action::LastFrame,
                egui::Button::new("»"),
                commands,
            );
            ui.separator();
            ui.add_enabled_ui(has_frames, |ui| {
                for speed in [PlaybackSpeed::Normal, PlaybackSpeed::Quarter] {
                    if ui
                        .selectable_label(self.playback.speed == speed, speed.label())
                        .on_hover_text("Playback speed")
                        .clicked()
                    {
                        commands.push(Command::SetSpeed(speed));
                    }
                }
            });
            ui.separator();
            let label = if has_frames {
                let frame = self.playback.frame.min(times.len() - 1);
                format!(
                    "Frame {frame} of {} · {:.3} s",
                    times.len(),
                    times.get(frame).copied().unwrap_or(0.0)
                )
            } else {
                "No frames yet".to_owned()
            };
            ui.label(RichText::new(label).monospace());
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                tool_button(
                    ui,
                    self,
                    Action::FitVideo,
                    egui::Button::new("Fit"),
                    commands,
                );
                let overlay = &mut self.settings.overlay;
                ui.menu_button("Overlay", |ui| {
                    ui.checkbox(&mut overlay.bones, "Skeleton");
                    ui.checkbox(&mut overlay.joints, "Joints");
                    ui.checkbox(&mut overlay.centre_of_mass, "Centre of mass");
                    ui.checkbox(&mut overlay.phase_label, "Phase label");
                })
                .response
                .on_hover_text("Layers painted over the video");
            });
        });
    }
}

/// The people in view at `frame` other than the one analysed, with their numbers (1 = left).
fn others_at(result: &VideoAnalysis, frame: usize) -> Vec<(usize, &[Landmark])> {
    result
        .people
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != result.person)
        .filter_map(|(i, p)| {
            let pose = p.poses.get(frame).filter(|pose| pose.tracked)?;
            Some((i + 1, pose.landmarks.as_slice()))
        })
        .collect()
}

/// A click on someone else in the video analyses them.
fn choose_by_click(
    result: &VideoAnalysis,
    frame: usize,
    at: (f32, f32),
    commands: &mut CommandQueue,
) {
    if let Some(person) = person_at(result, frame, at).filter(|p| *p != result.person) {
        commands.push(Command::ChoosePerson(person));
    }
}

/// Which person in view at `frame` a click at `at` (video pixels) points at: the one whose
/// body's box, with a margin of a tenth of its height, holds the point (the smallest such box
/// when they overlap).
fn person_at(result: &VideoAnalysis, frame: usize, at: (f32, f32)) -> Option<usize> {
    result
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let pose = p.poses.get(frame).filter(|pose| pose.tracked)?;
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for l in &pose.landmarks {
                (x0, y0, x1, y1) = (x0.min(l.x), y0.min(l.y), x1.max(l.x), y1.max(l.y));
            }
            let margin = (y1 - y0).max(0.0) * 0.1;
            let inside = (x0 - margin..=x1 + margin).contains(&at.0)
                && (y0 - margin..=y1 + margin).contains(&at.1);
            inside.then_some((i, (x1 - x0) * (y1 - y0)))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}
