//! `hangtime trials exclude|include ID`: leave a trial out of the statistics, or take it back.

use anyhow::Result;
use clap::Subcommand;
use hangtime::store::TrialId;

use super::database::open_store;

/// `hangtime trials …`.
#[derive(Debug, Subcommand)]
pub enum TrialsCommand {
    /// Leave a trial out of the session summaries and the verdict (it is kept and listed).
    Exclude {
        /// The trial's id, as `hangtime history` lists it (`#12` or `12`).
        id: String,
        /// Why (shown in the history).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Count an excluded trial again.
    Include {
        /// The trial's id.
        id: String,
    },
}

fn trial_id(text: &str) -> Result<TrialId> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    digits
        .parse()
        .map(TrialId)
        .map_err(|_| anyhow::anyhow!("{text:?} is not a trial id (`hangtime history` lists them)"))
}

/// Runs `hangtime trials …`.
///
/// # Errors
/// A database that cannot be used or a trial that does not exist.
pub fn run(command: &TrialsCommand) -> Result<bool> {
    let mut store = open_store()?;
    match command {
        TrialsCommand::Exclude { id, reason } => {
            let id = trial_id(id)?;
            store.set_excluded(id, Some(reason))?;
            println!("Trial #{id} is left out of the statistics.");
        }
        TrialsCommand::Include { id } => {
            let id = trial_id(id)?;
            store.set_excluded(id, None)?;
            println!("Trial #{id} counts again.");
        }
    }
    Ok(true)
}
