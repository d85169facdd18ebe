//! One CSV row per jump (RFC 4180), with units in the header names.

use serde::{Deserialize, Serialize};

use crate::pipeline::VideoAnalysis;

/// Spreadsheet conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// Comma separator, decimal point.
    #[default]
    Standard,
    /// Semicolon separator, decimal comma (European Excel).
    ExcelEu,
}

/// Metric columns in a fixed order, so files from different clips line up.
const METRIC_COLUMNS: [&str; 25] = [
    "jump_height_m",
    "flight_time_s",
    "takeoff_velocity_m_s",
    "jump_height_velocity_m",
    "jump_height_difference_m",
    "ground_contact_time_s",
    "rsi",
    "rsi_modified",
    "time_to_takeoff_s",
    "eccentric_duration_s",
    "concentric_duration_s",
    "unweighting_duration_s",
    "braking_duration_s",
    "countermovement_depth_m",
    "peak_eccentric_velocity_m_s",
    "peak_concentric_velocity_m_s",
    "hip_angle_lowest_deg",
    "knee_angle_lowest_deg",
    "ankle_angle_lowest_deg",
    "hip_angle_takeoff_deg",
    "knee_angle_takeoff_deg",
    "ankle_angle_takeoff_deg",
    "drop_height_m",
    "apex_s",
    "quality_score",
];

fn number(v: f64, dialect: CsvDialect) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    match dialect {
        CsvDialect::Standard => s,
        CsvDialect::ExcelEu => s.replace('.', ","),
    }
}

/// The jumps of several videos as CSV text.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn jumps_csv(videos: &[&VideoAnalysis], dialect: CsvDialect) -> Result<String, csv::Error> {
    let delimiter = match dialect {
        CsvDialect::Standard => b',',
        CsvDialect::ExcelEu => b';',
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut header = vec![
        "video",
        "jump",
        "kind",
        "model",
        "edited",
        "takeoff_frame",
        "landing_frame",
        "takeoff_s",
        "landing_s",
    ];
    header.extend(METRIC_COLUMNS);
    header.push("warnings");
    w.write_record(&header)?;
    for v in videos {
        for j in &v.analysis.jumps {
            let mut row = vec![
                v.info.path.display().to_string(),
                j.index.to_string(),
                j.kind.name().to_owned(),
                v.model.name().to_owned(),
                j.edited.to_string(),
                j.takeoff_frame.to_string(),
                j.landing_frame.to_string(),
                j.event("takeoff")
                    .map(|t| number(t, dialect))
                    .unwrap_or_default(),
                j.event("landing")
                    .map(|t| number(t, dialect))
                    .unwrap_or_default(),
            ];
            for col in METRIC_COLUMNS {
                let value = match col {
                    "quality_score" => Some(j.quality.score),
                    "apex_s" => j.event("apex"),
                    _ => j.metric(col),
                };
                row.push(value.map(|x| number(x, dialect)).unwrap_or_default());
            }
            row.push(j.quality.warnings.join(" | "));
            w.write_record(&row)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_dialect() {
        assert_eq!(number(0.4567, CsvDialect::Standard), "0.4567");
        assert_eq!(number(0.4567, CsvDialect::ExcelEu), "0,4567");
        assert_eq!(number(2.0, CsvDialect::Standard), "2");
        assert_eq!(number(0.25, CsvDialect::Standard), "0.25");
    }
}
