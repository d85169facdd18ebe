//! `hangtime db backup|check|import`: looking after the athlete database.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use hangtime::report::read_report;
use hangtime::store::{AthleteRef, ClipInput, JumpInput, SessionClip};
use jiff::civil::Date;

use super::database::{
    athlete_or_new, content_hash, describe_save, open_store, parse_body_mass, parse_date,
    recording_date, today, total,
};

/// `hangtime db …`.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Write a consistent copy of the database (while others may use it).
    Backup {
        /// Where the copy goes.
        path: PathBuf,
    },
    /// Check the database file's integrity.
    Check,
    /// Store the trials of an earlier JSON report (`hangtime analyze --json`).
    Import(ImportArgs),
}

/// Options of `hangtime db import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON report.
    pub report: PathBuf,
    /// The athlete the jumps belong to (created when no athlete has this name; `#ID` names
    /// one by id).
    #[arg(long, value_name = "NAME")]
    pub athlete: String,
    /// Day of the session (YYYY-MM-DD); default: each video's recording date, else the day
    /// the report was written.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub session_date: Option<Date>,
    /// The athlete's body mass that day in kg (gives the Sayers peak power).
    #[arg(long, value_name = "KG", value_parser = parse_body_mass)]
    pub body_mass: Option<f64>,
}

/// Runs `hangtime db …`.
///
/// # Errors
/// A database that cannot be used, a report that cannot be read, a backup that cannot be
/// written.
pub fn run(command: &DbCommand) -> Result<bool> {
    match command {
        DbCommand::Backup { path } => {
            let store = open_store()?;
            store.backup(path)?;
            let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
            println!(
                "Backed up {} to {} ({:.1} MB)",
                store.path().display(),
                path.display(),
                bytes as f64 / 1e6
            );
            Ok(true)
        }
        DbCommand::Check => {
            let store = open_store()?;
            let problems = store.check()?;
            let athletes = store.athletes()?;
            let trials: usize = athletes.iter().map(|a| a.trials).sum();
            if problems.is_empty() {
                println!(
                    "{}: ok (schema {}, {} athletes, {trials} trials)",
                    store.path().display(),
                    store.schema_version()?,
                    athletes.len()
                );
                return Ok(true);
            }
            println!(
                "{}: {} problems found",
                store.path().display(),
                problems.len()
            );
            for p in problems {
                println!("  {p}");
            }
            Ok(false)
        }
        DbCommand::Import(args) => import(args),
    }
}

fn import(args: &ImportArgs) -> Result<bool> {
    let text = std::fs::read_to_string(&args.report)
        .with_context(|| format!("the report {} could not be read", args.report.display()))?;
    let report = read_report(&text)
        .with_context(|| format!("{} cannot be imported", args.report.display()))?;
    if !report.unknown_keys.is_empty() {
        eprintln!(
            "warning: {} was written by Hangtime {} with values this version does not know; they were left out: {}",
            args.report.display(),
            report.hangtime_version,
            report.unknown_keys.join(", ")
        );
    }
    let written = report_day(&args.report);
    let mut clips = Vec::new();
    let mut failed = 0;
    for video in &report.videos {
        let name = hangtime::util::file_name(&video.path);
        let analysis = match &video.outcome {
            Ok(a) => a,
            Err(e) => {
                eprintln!("error: {name}: it was not analysed ({e})");
                failed += 1;
                continue;
            }
        };
        let at_hand = video.path.is_file();
        let mut jumps = Vec::new();
        for j in &analysis.jumps {
            match JumpInput::from_reported(j) {
                Some(input) => jumps.push(input),
                None => {
                    eprintln!(
                        "warning: {name}: jump {} has no takeoff or landing and was left out",
                        j.index
                    );
                }
            }
        }
        let clip = ClipInput {
            video_path: video.path.clone(),
            video_sha256: at_hand.then(|| content_hash(&video.path)).flatten(),
            recorded_at: at_hand
                .then(|| hangtime::video::recorded_at(&video.path))
                .flatten(),
            hangtime_version: report.hangtime_version.clone(),
            model: analysis.model.clone(),
            settings: serde_json::json!({ "imported_from": args.report.display().to_string() }),
            jumps,
        };
        let date = args
            .session_date
            .or_else(|| at_hand.then(|| recording_date(&video.path)).flatten())
            .unwrap_or(written);
        clips.push((date, clip));
    }
    let mut store = open_store()?;
    let athlete = athlete_or_new(&store, &args.athlete)?;
    let sessions: Vec<SessionClip<'_>> = clips
        .iter()
        .map(|(date, clip)| SessionClip {
            date: *date,
            body_mass_kg: args.body_mass,
            clip,
        })
        .collect();
    let trials: usize = clips.iter().map(|(_, c)| c.jumps.len()).sum();
    {
        // The save starts now (one transaction); a line before it tells a watcher so.
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "Saving {trials} trial{} of {} video{} for {}…",
            if trials == 1 { "" } else { "s" },
            clips.len(),
            if clips.len() == 1 { "" } else { "s" },
            args.athlete
        )?;
        err.flush()?;
    }
    let (id, reports) = store.save_for_athlete(&athlete, &sessions)?;
    let created = matches!(athlete, AthleteRef::New(_));
    println!(
        "Saved for {}{} (#{id}): {}",
        args.athlete,
        if created { ", a new athlete," } else { "" },
        describe_save(&total(&reports))
    );
    Ok(failed == 0)
}

/// The day the report file was last written (local time), else today.
fn report_day(path: &Path) -> Date {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map_or_else(today, |t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system()).date()
        })
}
