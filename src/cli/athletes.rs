//! `hangtime athletes [list|add|edit|delete]`: the athletes in the database.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use hangtime::store::{AthleteDetails, Sex};

use super::database::{find_athlete, open_store};

/// Options of `hangtime athletes`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AthletesArgs {
    /// What to do; without one, the athletes are listed.
    #[command(subcommand)]
    pub action: Option<AthletesAction>,
}

/// What `hangtime athletes` can do.
#[derive(Debug, Subcommand)]
pub enum AthletesAction {
    /// List every athlete with sessions, trials and the latest session's date.
    List,
    /// Add an athlete.
    Add(AddArgs),
    /// Change an athlete's details (only the options given).
    Edit(EditArgs),
    /// Delete an athlete with all their sessions and trials, after a confirmation.
    Delete(DeleteArgs),
}

/// An athlete's sex on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SexArg {
    /// The athlete is a woman or a girl.
    Female,
    /// The athlete is a man or a boy.
    Male,
    /// Neither, or not said that way.
    Other,
}

impl From<SexArg> for Sex {
    fn from(s: SexArg) -> Self {
        match s {
            SexArg::Female => Self::Female,
            SexArg::Male => Self::Male,
            SexArg::Other => Self::Other,
        }
    }
}

/// The details an athlete can be given on the command line.
#[derive(Debug, Args)]
pub struct DetailArgs {
    /// Year of birth.
    #[arg(long, value_name = "YEAR")]
    pub birth_year: Option<i32>,
    /// Sex, as the athlete states it.
    #[arg(long, value_enum)]
    pub sex: Option<SexArg>,
    /// Standing height in centimetres.
    #[arg(long, value_name = "CM")]
    pub height: Option<f64>,
    /// Free notes about the athlete.
    #[arg(long)]
    pub notes: Option<String>,
    /// A team or group tag (repeat for several); athletes sharing a tag give the smallest
    /// worthwhile change.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

/// Options of `hangtime athletes add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The athlete's name.
    pub name: String,
    /// Add a second athlete of a name that is already used.
    #[arg(long)]
    pub again: bool,
    /// The athlete's details.
    #[command(flatten)]
    pub details: DetailArgs,
}

/// Options of `hangtime athletes edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The athlete (name, or `#ID`).
    pub name: String,
    /// A new name.
    #[arg(long, value_name = "NAME")]
    pub rename: Option<String>,
    /// Remove every tag before adding the `--tag`s given.
    #[arg(long)]
    pub clear_tags: bool,
    /// The details to change.
    #[command(flatten)]
    pub details: DetailArgs,
}

/// Options of `hangtime athletes delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The athlete (name, or `#ID`).
    pub name: String,
    /// Delete without asking.
    #[arg(long)]
    pub yes: bool,
}

/// Runs `hangtime athletes …`.
///
/// # Errors
/// A database that cannot be used, or an athlete that cannot be found or stored.
pub fn run(args: &AthletesArgs) -> Result<bool> {
    match &args.action {
        None | Some(AthletesAction::List) => list(),
        Some(AthletesAction::Add(a)) => add(a),
        Some(AthletesAction::Edit(e)) => edit(e),
        Some(AthletesAction::Delete(d)) => delete(d),
    }
}

fn list() -> Result<bool> {
    let store = open_store()?;
    let athletes = store.athletes()?;
    if athletes.is_empty() {
        println!(
            "No athletes yet: `hangtime analyze VIDEO --athlete NAME --save` stores the jumps of a video."
        );
        return Ok(true);
    }
    println!(
        "{:>5}  {:<28} {:>8} {:>7}  {:<10}  tags",
        "id", "name", "sessions", "trials", "last"
    );
    for a in athletes {
        println!(
            "{:>5}  {:<28} {:>8} {:>7}  {:<10}  {}",
            format!("#{}", a.id),
            a.name,
            a.sessions,
            a.trials,
            a.last_session.map(|d| d.to_string()).unwrap_or_default(),
            a.tags.join(", ")
        );
    }
    Ok(true)
}

fn apply(details: &mut AthleteDetails, args: &DetailArgs) {
    if let Some(year) = args.birth_year {
        details.birth_year = Some(year);
    }
    if let Some(sex) = args.sex {
        details.sex = Some(sex.into());
    }
    if let Some(cm) = args.height {
        details.standing_height_m = Some(cm / 100.0);
    }
    if let Some(notes) = &args.notes {
        details.notes.clone_from(notes);
    }
    details.tags.extend(args.tags.iter().cloned());
}

fn add(args: &AddArgs) -> Result<bool> {
    let mut store = open_store()?;
    let existing = store.athletes_named(&args.name)?;
    if !existing.is_empty() && !args.again {
        bail!(
            "an athlete is already named {:?} (#{}); add --again to add a second one",
            args.name,
            existing[0].id
        );
    }
    let mut details = AthleteDetails {
        name: args.name.clone(),
        ..AthleteDetails::default()
    };
    apply(&mut details, &args.details);
    let id = store.add_athlete(&details)?;
    println!("Added {} (#{id})", details.name);
    Ok(true)
}

fn edit(args: &EditArgs) -> Result<bool> {
    let mut store = open_store()?;
    let athlete = find_athlete(&store, &args.name)?;
    let mut details = athlete.details;
    if args.clear_tags {
        details.tags.clear();
    }
    apply(&mut details, &args.details);
    if let Some(name) = &args.rename {
        details.name.clone_from(name);
    }
    store.update_athlete(athlete.id, &details)?;
    println!("Changed {} (#{})", details.name, athlete.id);
    Ok(true)
}

fn delete(args: &DeleteArgs) -> Result<bool> {
    let mut store = open_store()?;
    let athlete = find_athlete(&store, &args.name)?;
    let contents = store.athlete_contents(athlete.id)?;
    let what = format!(
        "{} (#{}) with {} session{} and {} trial{}",
        athlete.details.name,
        athlete.id,
        contents.sessions,
        if contents.sessions == 1 { "" } else { "s" },
        contents.trials,
        if contents.trials == 1 { "" } else { "s" },
    );
    if !args.yes && !confirm(&format!("Delete {what}? This cannot be undone. [y/N] "))? {
        println!("Nothing was deleted.");
        return Ok(false);
    }
    store.delete_athlete(athlete.id)?;
    println!("Deleted {what}.");
    Ok(true)
}

/// Asks on standard error and reads the answer from standard input: a pipe may answer, an
/// empty or closed input is a no.
fn confirm(question: &str) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question}")?;
    err.flush()?;
    let stdin = std::io::stdin();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if !stdin.is_terminal() {
        // A piped answer is not echoed: end the question's line.
        writeln!(err)?;
    }
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
