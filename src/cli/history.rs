//! `hangtime history NAME`: an athlete's trials, session summaries and which changes are real.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use hangtime::analysis::catalogue::{METRICS, MetricSpec};
use hangtime::analysis::{EventId, MetricId};
use hangtime::report::spreadsheet_text;
use hangtime::store::{AthletePage, PageRequest, SessionRow};
use jiff::civil::Date;

use super::KindArg;
use super::database::{find_athlete, open_store, parse_date, parse_metric};

/// Options of `hangtime history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The athlete (name, or `#ID` as `hangtime athletes` lists them).
    pub name: String,
    /// The metric summarised and judged, by its key in the JSON report (default: the jump
    /// height from flight time).
    #[arg(long, value_name = "KEY", value_parser = parse_metric)]
    pub metric: Option<MetricId>,
    /// The jump kind judged (default: the athlete's most frequent kind).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Compare every session with the session of this day (YYYY-MM-DD) instead of the
    /// previous one.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub baseline: Option<Date>,
    /// Smallest worthwhile change in the metric's display unit (cm, ms, …), used when no team
    /// tag of at least five athletes gives one.
    #[arg(long, value_name = "VALUE")]
    pub swc: Option<f64>,
    /// Write one CSV row per trial here (every metric, stored units).
    #[arg(long, value_name = "PATH")]
    pub csv: Option<PathBuf>,
    /// Write the whole page as JSON here (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
}

/// Runs `hangtime history`.
///
/// # Errors
/// A database that cannot be used, an unknown athlete or baseline, or an output that cannot
/// be written.
pub fn run(args: &HistoryArgs) -> Result<bool> {
    let store = open_store()?;
    let athlete = find_athlete(&store, &args.name)?;
    let metric = args.metric.unwrap_or(MetricId::JumpHeight);
    let spec = metric.spec();
    let baseline = match args.baseline {
        Some(day) => Some(
            store
                .sessions(athlete.id)?
                .into_iter()
                .find(|s| s.details.date == day)
                .map(|s| s.id)
                .with_context(|| format!("{} has no session on {day}", athlete.details.name))?,
        ),
        None => None,
    };
    let request = PageRequest {
        athlete: athlete.id,
        metric,
        kind: args.kind.and_then(KindArg::forced),
        baseline,
        user_swc: args.swc.map(|v| v / spec.display.scale),
    };
    let page = store.athlete_page(&request)?;
    let json_to_stdout = args.json.as_deref() == Some(Path::new("-"));
    if !json_to_stdout {
        print!("{}", text(&page));
    }
    if let Some(path) = &args.json {
        let mut value = serde_json::to_value(&page)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "hangtime_version".to_owned(),
                env!("CARGO_PKG_VERSION").into(),
            );
        }
        let text = serde_json::to_string_pretty(&value)?;
        if json_to_stdout {
            writeln!(std::io::stdout().lock(), "{text}")?;
        } else {
            hangtime::util::atomic_write(path, text.as_bytes())
                .with_context(|| format!("the JSON could not be written to {}", path.display()))?;
        }
    }
    if let Some(path) = &args.csv {
        let text = csv(&page)?;
        hangtime::util::atomic_write(path, text.as_bytes())
            .with_context(|| format!("the CSV could not be written to {}", path.display()))?;
    }
    Ok(true)
}

fn shown(spec: &MetricSpec, value: f64) -> String {
    spec.format_number(value)
}

/// The page as a person reads it in a terminal.
fn text(page: &AthletePage) -> String {
    use std::fmt::Write as _;
    let spec = page.metric.spec();
    let kind = page
        .kind
        .map_or_else(|| "no trials".to_owned(), |k| k.name().to_uppercase());
    let mut out = String::new();
    let unit_label = if spec.display.symbol.is_empty() {
        String::new()
    } else {
        format!(" [{}]", spec.display.symbol)
    };
    writeln!(
        out,
        "{} (#{}): {}{unit_label}, {kind}",
        page.athlete.details.name, page.athlete.id, spec.label
    )
    .ok();
    if page.trials.is_empty() {
        writeln!(out, "No trials yet.").ok();
        return out;
    }
    writeln!(
        out,
        "\n{:<10}  {:>6}  {:<24} {:>4}  {:<4}  {:>14}  notes",
        "date", "trial", "video", "jump", "kind", "value"
    )
    .ok();
    for t in &page.trials {
        let value = t.metric(page.metric).map_or_else(
            || "–".to_owned(),
            |v| spec.format_with_interval(v, t.interval(page.metric)),
        );
        writeln!(
            out,
            "{:<10}  {:>6}  {:<24} {:>4}  {:<4}  {:>14}  {}",
            t.date.to_string(),
            format!("#{}", t.trial),
            hangtime::util::file_name(&t.video_path),
            t.jump_index,
            t.kind.name(),
            value,
            t.notes()
        )
        .ok();
    }
    writeln!(
        out,
        "\n{:<10}  {:>3}  {:>8}  {:>8}  {:>7}  {:>6}  change",
        "session", "n", "best", "mean", "SD", "CV %"
    )
    .ok();
    for row in &page.sessions {
        writeln!(out, "{}", session_line(page, row)).ok();
    }
    out.push('\n');
    out.push_str(&verdict(page));
    out
}

fn session_line(page: &AthletePage, row: &SessionRow) -> String {
    let spec = page.metric.spec();
    let date = row.session.details.date.to_string();
    let Some(s) = row.summary else {
        return format!("{date:<10}  {:>3}", 0);
    };
    let sd = s.sd.map_or_else(|| "–".to_owned(), |v| shown(spec, v));
    let cv = s
        .cv_percent
        .map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"));
    format!(
        "{date:<10}  {:>3}  {:>8}  {:>8}  {:>7}  {:>6}  {}",
        s.n,
        shown(spec, s.best),
        shown(spec, s.mean),
        sd,
        cv,
        page.change_text(row)
    )
}

fn verdict(page: &AthletePage) -> String {
    page.verdict_text("as set with --swc")
}

/// One CSV row per trial: the athlete, session and trial facts, then every metric in stored
/// units with its interval. Text cells a spreadsheet would run as a formula are escaped.
fn csv(page: &AthletePage) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "athlete",
        "athlete_id",
        "date",
        "session_id",
        "place",
        "body_mass_kg",
        "trial_id",
        "video",
        "jump",
        "kind",
        EventId::Takeoff.spec().csv_header,
        "edited",
        "revision",
        "hangtime_version",
        "model",
        "quality_score",
        "excluded",
        "exclusion_reason",
        "best_of_session",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for m in &METRICS {
        header.push(m.csv_header().to_owned());
        if m.uncertainty {
            header.extend(m.interval_headers(false));
        }
    }
    w.write_record(&header)?;
    let sessions: std::collections::HashMap<_, _> = page
        .sessions
        .iter()
        .map(|s| (s.session.id, &s.session))
        .collect();
    let number = |v: f64| format!("{v}");
    for t in &page.trials {
        let session = sessions.get(&t.session);
        let mut row = vec![
            spreadsheet_text(&page.athlete.details.name),
            page.athlete.id.to_string(),
            t.date.to_string(),
            t.session.to_string(),
            spreadsheet_text(session.map_or("", |s| s.details.place.as_str())),
            session
                .and_then(|s| s.details.body_mass_kg)
                .map(number)
                .unwrap_or_default(),
            t.trial.to_string(),
            spreadsheet_text(&t.video_path.display().to_string()),
            t.jump_index.to_string(),
            t.kind.name().to_owned(),
            number(t.takeoff_s),
            t.edited.to_string(),
            t.revision.to_string(),
            spreadsheet_text(&t.hangtime_version),
            spreadsheet_text(&t.model),
            number(t.quality_score),
            t.excluded.to_string(),
            spreadsheet_text(&t.exclusion_reason),
            t.best_of_session.to_string(),
        ];
        for m in &METRICS {
            row.push(t.metric(m.id).map(number).unwrap_or_default());
            if m.uncertainty {
                let ci = t.interval(m.id);
                row.push(ci.map(|c| number(c.low)).unwrap_or_default());
                row.push(ci.map(|c| number(c.high)).unwrap_or_default());
            }
        }
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(csv::IntoInnerError::into_error)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
