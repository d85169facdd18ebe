//! Hangtime: vertical-jump analysis from phone video.
//!
//! The pipeline is `video` (decode) → `pose` (tracker) → `analysis` (signals, jumps, events,
//! metrics) → `report` (JSON, CSV, series). `pipeline` runs it for one video; `cli` and `app`
//! are thin layers on top. Nothing outside `app` knows about the UI.

pub mod analysis;
#[cfg(feature = "app")]
pub mod app;
pub mod cache;
pub mod pipeline;
pub mod pose;
pub mod report;
pub mod runtime;
pub mod timing;
pub mod video;
