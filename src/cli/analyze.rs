//! `hangtime analyze VIDEO...`: analyse videos, print one line per jump, write reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use hangtime::analysis::AnalysisOptions;
use hangtime::analysis::people::PersonChoice;
use hangtime::cache::PoseCache;
use hangtime::pipeline::{
    PipelineError, PipelineOptions, VideoAnalysis, analyze_prepared, prepare_video,
};
use hangtime::pose::{Tracker, TrackerOptions};
use hangtime::report::{self, CsvFormat, VideoOutcome};
use hangtime::store::{AthleteRef, ClipInput, SessionClip, Store};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;

use super::database::{
    athlete_or_new, content_hash, describe_save, open_store, parse_body_mass, parse_date,
    recording_date, today,
};
use super::{DialectArg, HeadersArg, KindArg, ModelArg};

/// Options of `hangtime analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Video files.
    #[arg(required = true)]
    pub videos: Vec<PathBuf>,
    /// Jump kind, or auto to classify each jump.
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Pose landmark model.
    #[arg(long, value_enum, default_value_t = ModelArg::Lite)]
    pub model: ModelArg,
    /// Who to analyse when several people are in view: auto (the one who jumps), left,
    /// right, center, largest, or a number counting from the left (1 = leftmost).
    #[arg(long, value_name = "WHO", default_value = "auto")]
    pub person: PersonChoice,
    /// Write the JSON report here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write one CSV row per jump here.
    #[arg(long, value_name = "PATH")]
    pub csv: Option<PathBuf>,
    /// CSV conventions: standard (comma, decimal point) or excel-eu (semicolon, decimal comma).
    #[arg(long, value_enum, default_value_t = DialectArg::Standard)]
    pub csv_dialect: DialectArg,
    /// CSV column names: keys (stable, SI units) or field (force-plate style, cm and ms).
    #[arg(long, value_enum, default_value_t = HeadersArg::Keys)]
    pub csv_headers: HeadersArg,
    /// Write the per-frame series CSV here (the video's name is appended for several videos).
    #[arg(long, value_name = "PATH")]
    pub series: Option<PathBuf>,
    /// Write the overlay video (skeleton, phases, key numbers) here; the video's name is
    /// appended for several videos.
    #[arg(long, value_name = "PATH")]
    pub overlay: Option<PathBuf>,
    /// Track every frame again instead of reusing cached poses of an unchanged video.
    #[arg(long)]
    pub no_cache: bool,
    /// Videos analysed in parallel, each worker with its own preloaded tracker.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub jobs: u16,
    /// Store the jumps in the athlete database as trials of `--athlete`.
    #[arg(long, requires = "athlete")]
    pub save: bool,
    /// The athlete the saved jumps belong to (created when no athlete has this name; `#ID`
    /// names one by id).
    #[arg(long, value_name = "NAME", requires = "save")]
    pub athlete: Option<String>,
    /// Day of the session (YYYY-MM-DD); default: the video's recording date from its
    /// metadata, else today.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "save")]
    pub session_date: Option<Date>,
    /// The athlete's body mass that day in kg: adds the Sayers peak power estimate to CMJs
    /// and SJs (and to the session, with --save).
    #[arg(long, value_name = "KG", value_parser = parse_body_mass)]
    pub body_mass: Option<f64>,
}

/// Runs `hangtime analyze`; the exit code is 0 only when every video was analysed.
///
/// # Errors
/// Only for failures outside any one video (models, runtime, output files).
pub fn run(args: &AnalyzeArgs) -> Result<bool> {
    // The database and the athlete are checked before minutes of analysis, not after.
    let saving = open_saving(args)?;
    let options = PipelineOptions {
        analysis: AnalysisOptions {
            kind: args.kind.forced(),
            ..AnalysisOptions::default()
        },
        cache: (!args.no_cache).then(PoseCache::user).flatten(),
        person: args.person,
        ..PipelineOptions::default()
    };
    let jobs = usize::from(args.jobs).min(args.videos.len()).max(1);
    let tracker_options = TrackerOptions {
        variant: args.model.into(),
        // One worker: inference shares both cores with the decoder (multi6 2.87 → 2.4 s,
        // results identical). Several workers already fill the cores.
        intra_threads: if jobs == 1 { 2 } else { 1 },
    };
    let multi = MultiProgress::with_draw_target(if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let queue = Mutex::new(
        args.videos
            .iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>(),
    );
    let results: Mutex<Vec<(usize, Result<VideoAnalysis, PipelineError>)>> = Mutex::new(Vec::new());
    let summary_to_stderr = args.json.as_deref() == Some(Path::new("-"));
    let cancel = AtomicBool::new(false);

    std::thread::scope(|scope| -> Result<()> {
        let mut workers = Vec::new();
        for _ in 0..jobs {
            workers.push(scope.spawn(|| -> Result<()> {
                let next_job = || {
                    let (i, path) = queue.lock().ok().and_then(|mut q| q.pop())?;
                    Some((i, path, prepare_video(path, tracker_options, &options)))
                };
                // The first video starts decoding while the models load.
                let mut first = next_job();
                let mut tracker = Tracker::load(tracker_options)
                    .context("the pose tracker could not be loaded")?;
                let mut load_time = tracker.load_time();
                loop {
                    let Some((i, path, prepared)) = first.take().or_else(next_job) else {
                        break;
                    };
                    let bar = multi.add(ProgressBar::new(0));
                    bar.set_style(
                        ProgressStyle::with_template(
                            "{prefix:.bold} [{bar:30}] {pos}/{len} frames {eta}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    bar.set_prefix(hangtime::util::file_name(path));
                    let outcome = prepared.and_then(|prepared| {
                        analyze_prepared(
                            prepared,
                            &mut tracker,
                            &options,
                            load_time,
                            &cancel,
                            &mut |p| {
                                bar.set_length(p.frames_total as u64);
                                bar.set_position(p.frames_done as u64);
                            },
                        )
                    });
                    bar.finish_and_clear();
                    load_time = Duration::ZERO;
                    print_summary(path, &outcome, summary_to_stderr);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, outcome));
                    }
                }
                Ok(())
            }));
        }
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("an analysis worker stopped unexpectedly"))??;
        }
        Ok(())
    })?;

    let mut results = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("results were lost"))?;
    results.sort_by_key(|(i, _)| *i);
    finish(args, results, saving, summary_to_stderr)
}

/// Adds what the body mass gives, writes the reports and saves the jumps; `false` when some
/// video failed to be analysed or saved.
fn finish(
    args: &AnalyzeArgs,
    mut results: Vec<(usize, Result<VideoAnalysis, PipelineError>)>,
    mut saving: Option<(Store, AthleteRef, &str)>,
    summary_to_stderr: bool,
) -> Result<bool> {
    add_body_mass_metrics(&mut results, args.body_mass);
    let mut all_ok = results.iter().all(|(_, r)| r.is_ok());
    let done: Vec<&VideoAnalysis> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .collect();
    write_outputs(args, &results, &done)?;
    if let Some((store, athlete, name)) = &mut saving {
        // Every video is saved, whatever the one before did.
        for v in &done {
            all_ok &= save(store, athlete, name, v, args, summary_to_stderr);
        }
    }
    Ok(all_ok)
}

/// The open database and the athlete to save for, when `--save` was given.
fn open_saving(args: &AnalyzeArgs) -> Result<Option<(Store, AthleteRef, &str)>> {
    let (Some(name), true) = (&args.athlete, args.save) else {
        return Ok(None);
    };
    let store = open_store()?;
    let athlete = athlete_or_new(&store, name)?;
    Ok(Some((store, athlete, name.as_str())))
}

/// Adds the Sayers peak power estimates to the CMJs and SJs of the analysed videos when a
/// body mass is given.
fn add_body_mass_metrics(
    results: &mut [(usize, Result<VideoAnalysis, PipelineError>)],
    mass: Option<f64>,
) {
    let Some(mass) = mass else { return };
    for v in results.iter_mut().filter_map(|(_, r)| r.as_mut().ok()) {
        for j in &mut v.analysis.jumps {
            let power = hangtime::analysis::power::body_mass_metrics(j.kind, &j.metrics, mass);
            j.metrics.extend(power);
        }
    }
}

/// Stores one video's jumps for the athlete (one transaction); `false` when it failed.
fn save(
    store: &mut Store,
    athlete: &mut AthleteRef,
    name: &str,
    video: &VideoAnalysis,
    args: &AnalyzeArgs,
    to_stderr: bool,
) -> bool {
    let path = &video.info.path;
    let file = hangtime::util::file_name(path);
    let clip = ClipInput::from_analysis(
        video,
        content_hash(path),
        hangtime::video::recorded_at(path),
    );
    let date = args
        .session_date
        .or_else(|| recording_date(path))
        .unwrap_or_else(today);
    let session = SessionClip {
        date,
        body_mass_kg: args.body_mass,
        clip: &clip,
    };
    match store.save_for_athlete(athlete, &[session]) {
        Ok((id, reports)) => {
            let created = matches!(athlete, AthleteRef::New(_));
            *athlete = AthleteRef::Existing(id);
            let line = format!(
                "{file}: saved for {name}{} (#{id}), session {date}: {}",
                if created { ", a new athlete," } else { "" },
                reports.first().map(describe_save).unwrap_or_default()
            );
            if to_stderr {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
            true
        }
        Err(e) => {
            eprintln!("error: {file}: the jumps could not be saved: {e}");
            false
        }
    }
}

fn write_outputs(
    args: &AnalyzeArgs,
    results: &[(usize, Result<VideoAnalysis, PipelineError>)],
    done: &[&VideoAnalysis],
) -> Result<()> {
    if let Some(path) = &args.json {
        let outcomes: Vec<VideoOutcome<'_>> = results
            .iter()
            .map(|(i, r)| match r {
                Ok(v) => VideoOutcome::Done(v),
                Err(e) => VideoOutcome::Failed(&args.videos[*i], e.to_string()),
            })
            .collect();
        let text = serde_json::to_string_pretty(&report::document(&outcomes))?;
        if path == Path::new("-") {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
        } else {
            hangtime::util::atomic_write(path, text.as_bytes()).with_context(|| {
                format!("the JSON report could not be written to {}", path.display())
            })?;
        }
    }
    if let Some(path) = &args.csv {
        let format = CsvFormat {
            dialect: args.csv_dialect.into(),
            headers: args.csv_headers.into(),
        };
        let text = report::jumps_csv(done, format)?;
        hangtime::util::atomic_write(path, text.as_bytes())
            .with_context(|| format!("the CSV could not be written to {}", path.display()))?;
    }
    if let Some(path) = &args.overlay {
        for v in done {
            let target = if args.videos.len() > 1 {
                report::with_stem_suffix(path, &v.info.path)
            } else {
                path.clone()
            };
            report::export_overlay(v, &target, &AtomicBool::new(false), &mut |_, _| {})
                .with_context(|| {
                    format!(
                        "the overlay video could not be written to {}",
                        target.display()
                    )
                })?;
        }
    }
    if let Some(path) = &args.series {
        for v in done {
            let target = if args.videos.len() > 1 {
                report::with_stem_suffix(path, &v.info.path)
            } else {
                path.clone()
            };
            let text = report::series_csv(v, args.csv_dialect.into())?;
            hangtime::util::atomic_write(&target, text.as_bytes()).with_context(|| {
                format!("the series could not be written to {}", target.display())
            })?;
        }
    }
    Ok(())
}

fn print_summary(path: &Path, outcome: &Result<VideoAnalysis, PipelineError>, to_stderr: bool) {
    let name = hangtime::util::file_name(path);
    let mut lines = Vec::new();
    match outcome {
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return;
        }
        Ok(v) if v.analysis.jumps.is_empty() => {
            lines.push(format!(
                "{name}: no jump found ({} frames analysed)",
                v.poses.len()
            ));
        }
        Ok(v) => {
            for j in &v.analysis.jumps {
                lines.push(format!(
                    "{name}  {}  takeoff f{}  landing f{}  quality {:.2}",
                    report::summary(j),
                    j.takeoff_frame,
                    j.landing_frame,
                    j.quality.score
                ));
            }
        }
    }
    if let Ok(v) = outcome {
        for w in &v.warnings {
            eprintln!("warning: {name}: {w}");
        }
    }
    for line in lines {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}
