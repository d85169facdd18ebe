//! The `hangtime` executable: the desktop app, or the command line with a subcommand.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Environment variable that makes the app save a screenshot there once the first video is
/// analysed, then close (used by `scripts/screenshot`; not a user option).
#[cfg(feature = "app")]
const SCREENSHOT_ENV: &str = "HANGTIME_SCREENSHOT";

#[cfg(feature = "app")]
fn open_app(videos: Vec<std::path::PathBuf>) -> anyhow::Result<bool> {
    let config = hangtime::app::AppConfig {
        videos,
        screenshot: std::env::var_os(SCREENSHOT_ENV)
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from),
        cache: hangtime::cache::PoseCache::user(),
        ..hangtime::app::AppConfig::default()
    };
    hangtime::app::run(config)
        .map_err(|e| anyhow::anyhow!("the window could not be opened ({e})"))?;
    Ok(true)
}

#[cfg(not(feature = "app"))]
fn open_app(_videos: Vec<std::path::PathBuf>) -> anyhow::Result<bool> {
    Err(anyhow::anyhow!(
        "this build has no desktop app (built without the `app` feature); use `hangtime analyze VIDEO`"
    ))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = if std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == cli::PACKAGE_FILES)
    {
        cli::package_files(std::env::args_os().skip(1))
    } else {
        let args = cli::Cli::parse();
        match &args.command {
            _ if args.version => {
                cli::print_version();
                Ok(true)
            }
            Some(command) => cli::run(command),
            None => open_app(args.videos),
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
