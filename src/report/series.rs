//! Per-frame time series for re-analysis in spreadsheets: raw tracker output plus the
//! smoothed centre of mass.

use crate::pipeline::VideoAnalysis;
use crate::pose::LANDMARK_NAMES;

use super::CsvDialect;

fn fmt(v: f64, decimals: usize, dialect: CsvDialect) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let s = format!("{v:.decimals$}");
    match dialect {
        CsvDialect::Standard => s,
        CsvDialect::ExcelEu => s.replace('.', ","),
    }
}

/// The series CSV of one video: `frame, t_s, tracked, com_x, com_y, com_smooth_y`, then
/// `NAME_x, NAME_y, NAME_vis` for the 33 landmarks (displayed-frame pixels).
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn series_csv(v: &VideoAnalysis, dialect: CsvDialect) -> Result<String, csv::Error> {
    let delimiter = if dialect == CsvDialect::ExcelEu {
        b';'
    } else {
        b','
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut header: Vec<String> = ["frame", "t_s", "tracked", "com_x", "com_y", "com_smooth_y"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for name in LANDMARK_NAMES {
        header.extend([
            format!("{name}_x"),
            format!("{name}_y"),
            format!("{name}_vis"),
        ]);
    }
    w.write_record(&header)?;
    let s = &v.analysis.signals;
    for (i, pose) in v.poses.iter().enumerate() {
        let get = |series: &[f64]| series.get(i).copied().unwrap_or(f64::NAN);
        let mut row = vec![
            pose.index.to_string(),
            fmt(pose.time_s, 6, dialect),
            u8::from(pose.tracked).to_string(),
            fmt(get(&s.com_x), 2, dialect),
            fmt(get(&s.com_y), 2, dialect),
            fmt(get(&s.com.value), 2, dialect),
        ];
        for k in 0..LANDMARK_NAMES.len() {
            match pose.landmarks.get(k).filter(|_| pose.tracked) {
                Some(l) => row.extend([
                    fmt(f64::from(l.x), 2, dialect),
                    fmt(f64::from(l.y), 2, dialect),
                    fmt(f64::from(l.visibility), 3, dialect),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        w.write_record(&row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
