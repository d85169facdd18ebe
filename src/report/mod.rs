//! Reports: the JSON document (and reading it back), the per-jump CSV, the per-frame series and
//! the overlay video, all written atomically, and the one-line summary of a jump.

mod csv_table;
mod json;
mod overlay;
mod read;
mod series;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use csv_table::{CsvDialect, CsvFormat, CsvHeaders, jumps_csv, spreadsheet_text};
pub use json::{VideoOutcome, document, jump_json, video_json};
pub use overlay::{MAX_LONG_EDGE, export_overlay};
pub use read::{ReadError, ReadReport, ReportedAnalysis, ReportedJump, ReportedVideo, read_report};
pub use series::series_csv;

use crate::analysis::Jump;
use crate::analysis::catalogue::HEADLINE;

/// A jump's kind and headline numbers on one line: `#1 CMJ  height 50.9 ± 2.1 cm  flight 644 ms`.
pub fn summary(j: &Jump) -> String {
    let mut line = format!("#{} {}", j.index, j.kind.name().to_uppercase());
    for id in HEADLINE {
        if let Some(value) = j.metric(id) {
            let spec = id.spec();
            write!(
                line,
                "  {} {}",
                spec.short,
                spec.format_with_interval(value, j.interval(id))
            )
            .ok();
        }
    }
    line
}

/// `dir/name.ext` → `dir/name_<stem>.ext`, for per-video files when several videos run.
pub fn with_stem_suffix(path: &Path, video: &Path) -> PathBuf {
    let stem = video
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("video");
    let base = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("series");
    let name = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{base}_{stem}.{ext}"),
        None => format!("{base}_{stem}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Interval, JumpKind, Metric, MetricId, Quality};

    #[test]
    fn series_paths_get_the_video_stem() {
        let p = with_stem_suffix(Path::new("/tmp/series.csv"), Path::new("/v/clip one.mp4"));
        assert_eq!(p, Path::new("/tmp/series_clip one.csv"));
    }

    #[test]
    fn a_summary_reads_the_headline_metrics_with_their_intervals() {
        let metric = |id, value, interval| Metric {
            id,
            value,
            interval,
        };
        let j = Jump {
            index: 2,
            kind: JumpKind::Dj,
            takeoff_frame: 0,
            landing_frame: 0,
            events: Vec::new(),
            metrics: vec![
                metric(
                    MetricId::JumpHeight,
                    0.3012,
                    Some(Interval {
                        low: 0.29,
                        high: 0.312,
                    }),
                ),
                metric(MetricId::FlightTime, 0.4956, None),
                metric(MetricId::GroundContactTime, 0.2104, None),
                metric(MetricId::Rsi, 1.43, None),
            ],
            quality: Quality::default(),
            detected_edges: None,
        };
        assert_eq!(
            summary(&j),
            "#2 DJ  height 30.1 ± 1.1 cm  flight 496 ms  contact 210 ms  RSI 1.43 m/s"
        );
    }
}
