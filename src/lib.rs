//! Hangtime: vertical-jump analysis from phone video.
//!
//! The pipeline is `video` (decode) → `pose` (tracker) → `analysis` (signals, jumps, events,
//! metrics, named by its catalogue) → `report` (JSON, CSV, series, overlay video); `cache`
//! keeps tracked poses and `util` holds the file helpers they share. `pipeline` runs one video
//! end to end. `store` keeps athletes, sessions and trials in a local database and
//! `reliability` judges whether a change between sessions is real. The command line and the
//! desktop app sit on top and hold no analysis of their own; nothing outside `app` knows about
//! the UI. `locate` finds Hangtime's own files (models, runtime) from the executable's place,
//! `folders` the user's cache and data folders.

pub mod analysis;
#[cfg(feature = "app")]
pub mod app;
pub mod cache;
pub mod folders;
pub mod locate;
pub mod pipeline;
pub mod pose;
pub mod reliability;
pub mod report;
pub mod runtime;
pub mod store;
pub mod timing;
pub mod util;
pub mod video;
