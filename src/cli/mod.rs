//! The command line: `hangtime analyze VIDEO...` and friends. One file per command; this one
//! holds the argument types they share and the dispatch, `database.rs` what the commands that
//! use the athlete database share.

mod analyze;
mod athletes;
mod cache;
mod database;
mod db;
mod history;
mod trials;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use hangtime::analysis::JumpKind;
use hangtime::pose::ModelVariant;
use hangtime::report::{CsvDialect, CsvHeaders};

pub use analyze::AnalyzeArgs;
pub use athletes::AthletesArgs;
pub use cache::CacheCommand;
pub use db::DbCommand;
pub use history::HistoryArgs;
pub use trials::TrialsCommand;

/// Vertical-jump analysis from phone video.
#[derive(Debug, Parser)]
#[command(name = "hangtime", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without one, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Videos to open in the app.
    pub videos: Vec<PathBuf>,
}

/// What `hangtime` can do besides opening the app.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse videos and print one line per jump.
    Analyze(AnalyzeArgs),
    /// Look after the cache of tracked poses.
    #[command(subcommand)]
    Cache(CacheCommand),
    /// List, add, change or delete the athletes in the database.
    Athletes(AthletesArgs),
    /// An athlete's trials and session summaries, and which changes are real.
    History(HistoryArgs),
    /// Leave a trial out of the statistics, or count it again.
    #[command(subcommand)]
    Trials(TrialsCommand),
    /// Back up, check or import into the athlete database.
    #[command(subcommand)]
    Db(DbCommand),
}

/// Runs a subcommand; `Ok(false)` when some of its work failed (exit status 1).
///
/// # Errors
/// Failures outside any one input (models, runtime, output files): exit status 2.
pub fn run(command: &Command) -> Result<bool> {
    match command {
        Command::Analyze(a) => analyze::run(a),
        Command::Cache(c) => cache::run(c),
        Command::Athletes(a) => athletes::run(a),
        Command::History(h) => history::run(h),
        Command::Trials(t) => trials::run(t),
        Command::Db(d) => db::run(d),
    }
}

/// Jump kind on the command line: automatic or forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Classify each jump automatically.
    Auto,
    /// Countermovement jump.
    Cmj,
    /// Drop jump.
    Dj,
    /// Squat jump.
    Sj,
    /// Repeated hops.
    Hops,
}

impl KindArg {
    fn forced(self) -> Option<JumpKind> {
        match self {
            Self::Auto => None,
            Self::Cmj => Some(JumpKind::Cmj),
            Self::Dj => Some(JumpKind::Dj),
            Self::Sj => Some(JumpKind::Sj),
            Self::Hops => Some(JumpKind::Hops),
        }
    }
}

/// Pose landmark model on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// BlazePose GHUM lite: fastest.
    Lite,
    /// BlazePose GHUM full: more accurate, slower.
    Full,
}

impl From<ModelArg> for ModelVariant {
    fn from(m: ModelArg) -> Self {
        match m {
            ModelArg::Lite => Self::Lite,
            ModelArg::Full => Self::Full,
        }
    }
}

/// CSV separators and decimals on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DialectArg {
    /// Comma separator, decimal point.
    Standard,
    /// Semicolon separator, decimal comma (European Excel).
    ExcelEu,
}

impl From<DialectArg> for CsvDialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Standard => Self::Standard,
            DialectArg::ExcelEu => Self::ExcelEu,
        }
    }
}

/// CSV column names on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeadersArg {
    /// Stable keys with SI units in the names (`jump_height_m`).
    Keys,
    /// Force-plate style names in display units (`Jump Height (Flight Time) [cm]`).
    Field,
}

impl From<HeadersArg> for CsvHeaders {
    fn from(h: HeadersArg) -> Self {
        match h {
            HeadersArg::Keys => Self::Keys,
            HeadersArg::Field => Self::Field,
        }
    }
}
