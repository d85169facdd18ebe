//! One CSV row per jump (RFC 4180). Columns come from the catalogue: every event's time, every
//! metric (with its 95 % interval where it has one), then quality. Two header styles: the
//! stable keys with SI units in their names (`jump_height_m`), or force-plate style headers in
//! display units (`Jump Height (Flight Time) [cm]`) for spreadsheets beside force-plate exports.

use serde::{Deserialize, Serialize};

use crate::analysis::catalogue::{EVENTS, METRICS};
use crate::pipeline::VideoAnalysis;

/// Spreadsheet conventions for separators and decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// Comma separator, decimal point.
    #[default]
    Standard,
    /// Semicolon separator, decimal comma (European Excel).
    ExcelEu,
}

impl CsvDialect {
    /// The field separator.
    pub fn delimiter(self) -> u8 {
        match self {
            Self::Standard => b',',
            Self::ExcelEu => b';',
        }
    }

    /// A number in this dialect's decimal notation.
    pub fn decimal(self, text: String) -> String {
        match self {
            Self::Standard => text,
            Self::ExcelEu => text.replace('.', ","),
        }
    }
}

/// Which names the columns get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CsvHeaders {
    /// The catalogue keys, values in SI units (the stable contract).
    #[default]
    Keys,
    /// Force-plate style names, values in display units (cm, ms).
    Field,
}

/// How a CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CsvFormat {
    /// Separators and decimals.
    pub dialect: CsvDialect,
    /// Column names and units.
    pub headers: CsvHeaders,
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return
/// first) gets a leading apostrophe, so text from file names or warnings stays text.
pub fn spreadsheet_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn number(v: f64, dialect: CsvDialect) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
    dialect.decimal(if s == "-0" { "0".to_owned() } else { s })
}

/// The header row.
fn header(style: CsvHeaders) -> Vec<String> {
    let field = style == CsvHeaders::Field;
    let fixed: [(&str, &str); 7] = [
        ("video", "Source File"),
        ("jump", "Trial"),
        ("kind", "Test Type"),
        ("model", "Pose Model"),
        ("edited", "Edited"),
        ("takeoff_frame", "Takeoff Frame"),
        ("landing_frame", "Landing Frame"),
    ];
    let mut out: Vec<String> = fixed
        .iter()
        .map(|(key, name)| (if field { *name } else { *key }).to_owned())
        .collect();
    for e in &EVENTS {
        out.push(if field {
            e.field_header()
        } else {
            e.csv_header.to_owned()
        });
    }
    for m in &METRICS {
        out.push(
            (if field {
                m.field_header
            } else {
                m.csv_header()
            })
            .to_owned(),
        );
        if m.uncertainty {
            out.extend(m.interval_headers(field));
        }
    }
    if field {
        out.extend(["Quality Score".to_owned(), "Quality Flags".to_owned()]);
    } else {
        out.extend(["quality_score".to_owned(), "warnings".to_owned()]);
    }
    out
}

/// The jumps of several videos as CSV text.
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub fn jumps_csv(videos: &[&VideoAnalysis], format: CsvFormat) -> Result<String, csv::Error> {
    let dialect = format.dialect;
    let field = format.headers == CsvHeaders::Field;
    let mut w = csv::WriterBuilder::new()
        .delimiter(dialect.delimiter())
        .from_writer(Vec::new());
    w.write_record(header(format.headers))?;
    for v in videos {
        for j in &v.analysis.jumps {
            let kind = if field {
                j.kind.name().to_uppercase()
            } else {
                j.kind.name().to_owned()
            };
            let mut row = vec![
                spreadsheet_text(&v.info.path.display().to_string()),
                j.index.to_string(),
                kind,
                v.model.name().to_owned(),
                j.edited().to_string(),
                j.takeoff_frame.to_string(),
                j.landing_frame.to_string(),
            ];
            for e in &EVENTS {
                row.push(
                    j.event(e.id)
                        .map(|t| number(t, dialect))
                        .unwrap_or_default(),
                );
            }
            let shown = |spec: &crate::analysis::catalogue::MetricSpec, x: f64| {
                number(if field { spec.to_display(x) } else { x }, dialect)
            };
            for m in &METRICS {
                row.push(j.metric(m.id).map(|x| shown(m, x)).unwrap_or_default());
                if m.uncertainty {
                    let ci = j.interval(m.id);
                    row.push(ci.map(|c| shown(m, c.low)).unwrap_or_default());
                    row.push(ci.map(|c| shown(m, c.high)).unwrap_or_default());
                }
            }
            row.push(number(j.quality.score, dialect));
            row.push(spreadsheet_text(&j.quality.warnings.join(" | ")));
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
        assert_eq!(number(-0.000_000_1, CsvDialect::Standard), "0");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_stays_text() {
        assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_text("+1"), "'+1");
        assert_eq!(spreadsheet_text("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_text("clip.mp4"), "clip.mp4");
    }

    #[test]
    fn every_column_comes_from_the_catalogue_once() {
        for style in [CsvHeaders::Keys, CsvHeaders::Field] {
            let h = header(style);
            let mut unique = h.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), h.len(), "{style:?}: a header twice");
            let with_interval = METRICS.iter().filter(|m| m.uncertainty).count();
            assert_eq!(
                h.len(),
                7 + EVENTS.len() + METRICS.len() + 2 * with_interval + 2
            );
        }
        let height = crate::analysis::MetricId::JumpHeight.spec();
        assert!(header(CsvHeaders::Keys).contains(&height.csv_header().to_owned()));
        assert!(header(CsvHeaders::Field).contains(&height.field_header.to_owned()));
    }
}
