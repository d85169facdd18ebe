//! Reports: the JSON document, the per-jump CSV, the per-frame series and the overlay video,
//! all written atomically.

mod csv_table;
mod json;
mod overlay;
mod series;
mod write;

pub use csv_table::{CsvDialect, jumps_csv};
pub use json::{VideoOutcome, document, video_json};
pub use overlay::{MAX_LONG_EDGE, export_overlay};
pub use series::series_csv;
pub use write::{atomic_write, file_name, with_stem_suffix};
