//! `hangtime cache clear|info`: the cache of tracked poses.

use anyhow::{Context, Result};
use clap::Subcommand;
use hangtime::cache::PoseCache;

/// `hangtime cache …`.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Remove every cached pose file.
    Clear,
    /// Say where the cache is and how much it holds.
    Info,
}

/// Runs `hangtime cache …`.
///
/// # Errors
/// When there is no cache folder or it cannot be cleared.
pub fn run(command: &CacheCommand) -> Result<bool> {
    let cache = PoseCache::user()
        .context("there is no cache folder on this system (set HANGTIME_CACHE_DIR)")?;
    match command {
        CacheCommand::Clear => {
            let removed = cache.clear().with_context(|| {
                format!(
                    "the cache in {} could not be cleared",
                    cache.dir().display()
                )
            })?;
            println!(
                "Removed {} cached video{} ({}) from {}",
                removed.entries,
                if removed.entries == 1 { "" } else { "s" },
                megabytes(removed.bytes),
                cache.dir().display()
            );
        }
        CacheCommand::Info => {
            let usage = cache.usage();
            println!(
                "{}: {} cached video{}, {}",
                cache.dir().display(),
                usage.entries,
                if usage.entries == 1 { "" } else { "s" },
                megabytes(usage.bytes)
            );
        }
    }
    Ok(true)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
