//! The command line: `hangtime analyze VIDEO...` and friends. One file per command; this one
//! holds the argument types they share and the dispatch, `database.rs` what the commands that
//! use the athlete database share.

mod analyze;
mod athletes;
mod cache;
mod database;
mod db;
mod doctor;
mod history;
mod package_files;
mod trials;
mod version;

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

/// What `--help` says after the options, and the man page in sections of their own.
pub const HELP_SECTIONS: [(&str, &str); 2] = [
    (
        "Exit status",
        "0 when everything asked for was done; 1 when some of it failed (a video that could not \
be analysed, a failed doctor check); 2 when nothing could run (missing runtime or models, an \
unwritable output file, a wrong option).",
    ),
    (
        "Environment",
        "HANGTIME_CACHE_DIR and HANGTIME_DATA_DIR replace the cache and data folders; \
HANGTIME_MODELS_DIR and ORT_DYLIB_PATH name the pose models folder and the ONNX Runtime library \
to use instead of the ones installed with Hangtime; RUST_LOG=info shows more of what happens.",
    ),
];

fn after_help() -> String {
    HELP_SECTIONS
        .map(|(heading, text)| format!("{heading}: {text}"))
        .join("\n\n")
}

/// Vertical-jump analysis from phone video.
#[derive(Debug, Parser)]
#[command(
    name = "hangtime",
    version,
    about,
    long_about = "Vertical-jump analysis from phone video: finds every jump in a clip, times \
takeoff and landing between frames, and reports jump height, flight and contact time, RSI, \
phase durations and joint angles. Everything runs on this computer. Without a subcommand the \
desktop app opens, with the given videos.",
    after_long_help = after_help(),
    disable_version_flag = true
)]
pub struct Cli {
    /// What to do; without one, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Videos to open in the app.
    pub videos: Vec<PathBuf>,
    /// Print the version, and which models and ONNX Runtime this Hangtime uses.
    #[arg(short = 'V', long, action = clap::ArgAction::SetTrue)]
    pub version: bool,
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
    /// Check that Hangtime can run here and say what is wrong if not.
    Doctor,
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
        Command::Doctor => Ok(doctor::run()),
    }
}

/// `hangtime package-files --out DIR` writes the man pages and shell completions when
/// packaging. It is parsed before (and apart from) [`Cli`], so `--help`, the man pages and the
/// completions, which are all made from `Cli`, never offer it.
pub const PACKAGE_FILES: &str = "package-files";

/// Runs `hangtime package-files`; `args` start with the command's own name.
///
/// # Errors
/// When a folder or file cannot be written.
pub fn package_files(args: impl Iterator<Item = std::ffi::OsString>) -> Result<bool> {
    package_files::run(&package_files::PackageFilesArgs::parse_from(args))
}

/// Prints `hangtime --version`: the version, and which models and runtime are used.
pub fn print_version() {
    version::run();
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
