//! Writing the metrics CSV and the JSON report of the video shown, through the report
//! module's contract and its atomic writes, and naming every kind of export (the overlay
//! video's job is in `video_export`). Dialogs are chosen by the caller.

use std::path::{Path, PathBuf};

use crate::pipeline::VideoAnalysis;
use crate::report::{self, CsvFormat, VideoOutcome};

/// Kinds of file the app exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// One CSV row per jump.
    MetricsCsv,
    /// The JSON report.
    Json,
    /// The clip with the analysis drawn in (MP4).
    OverlayVideo,
}

impl ExportKind {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::MetricsCsv => "csv",
            Self::Json => "json",
            Self::OverlayVideo => "mp4",
        }
    }

    /// Name of the file filter in the save dialog.
    pub fn filter_name(self) -> &'static str {
        match self {
            Self::MetricsCsv => "CSV spreadsheet",
            Self::Json => "JSON report",
            Self::OverlayVideo => "MP4 video",
        }
    }

    /// What the file holds, for messages.
    pub fn description(self) -> &'static str {
        match self {
            Self::MetricsCsv => "metrics CSV",
            Self::Json => "JSON report",
            Self::OverlayVideo => "overlay video",
        }
    }

    /// Suggested file name for a video, e.g. `clip_jumps.csv`.
    pub fn default_file_name(self, video: &Path) -> String {
        let stem = video
            .file_stem()
            .map_or_else(|| "video".into(), |s| s.to_string_lossy().into_owned());
        match self {
            Self::MetricsCsv => format!("{stem}_jumps.csv"),
            Self::Json => format!("{stem}_report.json"),
            Self::OverlayVideo => format!("{stem}_overlay.mp4"),
        }
    }
}

/// Writes a text export (CSV or JSON) to `path` atomically. The overlay video is written by a
/// background job instead (`video_export`).
///
/// # Errors
/// One sentence for the user, the path last.
pub fn write(
    kind: ExportKind,
    analysis: &VideoAnalysis,
    csv: CsvFormat,
    path: &Path,
) -> Result<PathBuf, String> {
    let text = match kind {
        ExportKind::MetricsCsv => report::jumps_csv(&[analysis], csv)
            .map_err(|e| format!("The CSV could not be made ({e})."))?,
        ExportKind::Json => {
            let document = report::document(&[VideoOutcome::Done(analysis)]);
            serde_json::to_string_pretty(&document)
                .map_err(|e| format!("The JSON report could not be made ({e})."))?
        }
        ExportKind::OverlayVideo => {
            return Err("The overlay video is written in the background, not here.".to_owned());
        }
    };
    crate::util::atomic_write(path, text.as_bytes()).map_err(|e| {
        format!(
            "The {} could not be written ({}): {}",
            kind.description(),
            e.kind(),
            path.display()
        )
    })?;
    Ok(path.to_path_buf())
}
