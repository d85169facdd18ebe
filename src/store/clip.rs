//! Facts about a clip that a save records: its content hash (a moved file is found again by
//! it), its recording day, and a save's outcome in words. Shared by the CLI and the app.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;

use super::SaveReport;

/// The day a video was recorded, in this computer's time zone, from its metadata.
pub fn recording_date(video: &Path) -> Option<Date> {
    let time = crate::video::recorded_at(video)?;
    Some(time.to_zoned_datetime(jiff::tz::TimeZone::system()).date())
}

/// Today in this computer's time zone.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Lower-case hex SHA-256 of a file's bytes, `None` when it cannot be read.
pub fn content_hash(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    crate::util::sha256_of(std::io::BufReader::new(file))
        .ok()
        .map(|d| crate::util::hex(&d))
}

/// "3 new trials, 1 new revision, 2 unchanged" for a save.
pub fn describe_save(report: &SaveReport) -> String {
    let mut parts = Vec::new();
    let mut add = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    add(report.new_trials, "new trial", "new trials");
    add(report.new_revisions, "new revision", "new revisions");
    add(report.unchanged, "unchanged", "unchanged");
    add(
        report.reassigned,
        "moved from another session",
        "moved from other sessions",
    );
    if parts.is_empty() {
        parts.push("no jumps".to_owned());
    }
    let mut text = parts.join(", ");
    if let Some(old) = &report.video_moved_from {
        write!(text, " (video found again, formerly at {})", old.display()).ok();
    }
    text
}
