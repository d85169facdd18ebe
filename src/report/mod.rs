//! Reports: the JSON document, the per-jump CSV and the per-frame series, written atomically.

mod csv_table;
mod json;
mod series;
mod write;

pub use csv_table::{CsvDialect, jumps_csv};
pub use json::{VideoOutcome, document, video_json};
pub use series::series_csv;
pub use write::{atomic_write, with_stem_suffix};
