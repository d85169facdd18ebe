//! Short messages in the corner of the window: confirmations fade, errors stay until
//! dismissed. Every error a user should know about ends up here as one sentence.

use egui::{Align2, Context, Id, RichText};

use super::theme;

/// Seconds an information or success message stays.
const FADE_AFTER_S: f64 = 5.0;
/// At most this many messages are kept.
const MAX_TOASTS: usize = 6;

/// How a message is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// Neutral information.
    Info,
    /// Something worked (a file was saved).
    Success,
    /// Something failed; stays until dismissed.
    Error,
}

/// One message.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// Kind.
    pub kind: ToastKind,
    /// One or two sentences.
    pub text: String,
    /// `ctx` time when it appeared (set on first show).
    shown_at: Option<f64>,
    id: u64,
}

/// The messages currently shown.
#[derive(Debug, Default)]
pub struct Toasts {
    items: Vec<Toast>,
    next_id: u64,
}

impl Toasts {
    /// Adds a message.
    pub fn push(&mut self, kind: ToastKind, text: impl Into<String>) {
        let text = text.into();
        if kind == ToastKind::Error {
            // Also in the log, so a user can copy it from the terminal when reporting.
            tracing::warn!("{text}");
        }
        self.next_id += 1;
        self.items.push(Toast {
            kind,
            text,
            shown_at: None,
            id: self.next_id,
        });
        if self.items.len() > MAX_TOASTS {
            self.items.remove(0);
        }
    }

    /// Information.
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Info, text);
    }

    /// Success.
    pub fn success(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Success, text);
    }

    /// Error.
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Error, text);
    }

    /// The messages shown now, oldest first.
    pub fn items(&self) -> &[Toast] {
        &self.items
    }

    /// Paints the messages below `top_right` (the corner of the video, so that they never
    /// cover the metrics table or the timing bars).
    pub fn show(&mut self, ctx: &Context, top_right: egui::Pos2) {
        let now = ctx.input(|i| i.time);
        self.items.retain(|t| {
            t.kind == ToastKind::Error || t.shown_at.is_none_or(|s| now - s < FADE_AFTER_S)
        });
        if self.items.is_empty() {
            return;
        }
        let mut dismissed = Vec::new();
        egui::Area::new(Id::unique("toasts"))
            .pivot(Align2::RIGHT_TOP)
            .fixed_pos(top_right)
            .order(egui::Order::Foreground)
            .interactable(true)
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                for toast in &mut self.items {
                    let shown_at = *toast.shown_at.get_or_insert(now);
                    let accent = match toast.kind {
                        ToastKind::Info => ui.visuals().widgets.active.bg_fill,
                        ToastKind::Success => theme::SUCCESS,
                        ToastKind::Error => theme::ERROR,
                    };
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(1.5, accent))
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                let title = match toast.kind {
                                    ToastKind::Info => "Note",
                                    ToastKind::Success => "Done",
                                    ToastKind::Error => "Error",
                                };
                                ui.label(RichText::new(title).color(accent).strong());
                                ui.add(egui::Label::new(&toast.text).wrap());
                                if toast.kind == ToastKind::Error
                                    && ui
                                        .small_button("Dismiss")
                                        .on_hover_text("Hide this message")
                                        .clicked()
                                {
                                    dismissed.push(toast.id);
                                }
                            });
                        });
                    if toast.kind != ToastKind::Error {
                        let left = FADE_AFTER_S - (now - shown_at);
                        ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                            left.max(0.05),
                        ));
                    }
                }
            });
        self.items.retain(|t| !dismissed.contains(&t.id));
    }
}
