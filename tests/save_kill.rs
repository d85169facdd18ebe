//! Nothing lost: `hangtime db import` of a large report, killed (SIGKILL) at random moments
//! while it saves, leaves a sound database with whole trials only: all of the batch or none.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hangtime::analysis::catalogue::{METRICS, Need};
use hangtime::analysis::{EventId, JumpKind};
use serde_json::{Value, json};

const VIDEOS: usize = 200;
const JUMPS_PER_VIDEO: usize = 80;
const KILLS: usize = 20;
/// Kills that must land while the batch was partly written (the rest may land before the
/// first page reached the disk, or after the commit).
const MIN_PARTIAL: usize = 15;
/// Uninterrupted saves timed before the kills.
const CALIBRATION_RUNS: usize = 3;

/// Every CMJ metric a clip measures (the body-mass ones are not stored).
fn stored_metrics() -> Vec<&'static hangtime::analysis::catalogue::MetricSpec> {
    METRICS
        .iter()
        .filter(|m| m.applies_to(JumpKind::Cmj) && !m.needs(Need::BodyMass))
        .collect()
}

fn write_report(path: &Path) {
    let mut rng = fastrand::Rng::with_seed(7);
    let metrics = stored_metrics();
    let results: Vec<Value> = (0..VIDEOS)
        .map(|v| {
            let jumps: Vec<Value> = (0..JUMPS_PER_VIDEO)
                .map(|j| {
                    let takeoff = 2.0 + 3.0 * j as f64;
                    let mut events = serde_json::Map::new();
                    events.insert(EventId::Takeoff.key().to_owned(), json!(takeoff));
                    events.insert(EventId::Landing.key().to_owned(), json!(takeoff + 0.57));
                    let mut values = serde_json::Map::new();
                    let mut intervals = serde_json::Map::new();
                    for m in &metrics {
                        let value = 0.1 + rng.f64();
                        values.insert(m.key.to_owned(), json!(value));
                        if m.uncertainty {
                            intervals.insert(
                                m.key.to_owned(),
                                json!({"low": value - 0.01, "high": value + 0.01}),
                            );
                        }
                    }
                    json!({
                        "index": j + 1, "kind": "cmj", "takeoff_frame": 60, "landing_frame": 77,
                        "events": events, "metrics": values, "intervals": intervals,
                        "quality": {"score": 0.9, "warnings": ["a warning"]}, "edited": false,
                    })
                })
                .collect();
            json!({
                "video": {"path": format!("/nowhere/clip{v:03}.mp4")},
                "model": "lite", "jumps": jumps, "timings": [], "warnings": [],
            })
        })
        .collect();
    let doc = json!({"schema_version": 2, "hangtime_version": "0.1.0", "results": results});
    std::fs::write(path, doc.to_string()).unwrap();
}

/// An empty database in its own data folder, closed (no WAL left beside it).
fn fresh_data(root: &Path, name: &str) -> PathBuf {
    let data = root.join(name);
    drop(hangtime::store::Store::open(&data.join("hangtime.sqlite")).unwrap());
    data
}

/// Starts the import and returns once it says that its save has started.
fn start_import(data: &Path, report: &Path, stdout: Stdio) -> (Child, Instant) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .args(["db", "import"])
        .arg(report)
        .args(["--athlete", "Kill Test", "--session-date", "2025-05-05"])
        .env("HANGTIME_DATA_DIR", data)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let saving = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.starts_with("Saving "));
    // Whatever it says later must not meet a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    if !saving {
        let status = child.wait().unwrap();
        panic!("the import ended ({status}) before saving");
    }
    (child, Instant::now())
}

/// What a database holds after a kill.
#[derive(Debug)]
struct Found {
    integrity: String,
    athletes: i64,
    trials: i64,
    revisions: i64,
    values: i64,
    /// Trials without their latest revision, or revisions without every metric.
    half_trials: i64,
}

fn inspect(database: &Path) -> Found {
    let conn = rusqlite::Connection::open(database).unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let metrics = stored_metrics().len() as i64;
    let half = one(
        "SELECT count(*) FROM trial t WHERE NOT EXISTS (SELECT 1 FROM revision r
          WHERE r.trial_id = t.id AND r.number = t.latest_revision)",
    ) + conn
        .query_row(
            "SELECT count(*) FROM revision r WHERE (SELECT count(*) FROM metric_value m
              WHERE m.revision_id = r.id) != ?1",
            [metrics],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
    Found {
        integrity: conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap(),
        athletes: one("SELECT count(*) FROM athlete"),
        trials: one("SELECT count(*) FROM trial"),
        revisions: one("SELECT count(*) FROM revision"),
        values: one("SELECT count(*) FROM metric_value"),
        half_trials: half,
    }
}

fn wal_bytes(data: &Path) -> u64 {
    std::fs::metadata(data.join("hangtime.sqlite-wal")).map_or(0, |m| m.len())
}

#[test]
fn an_import_killed_while_saving_leaves_whole_trials_only() {
    let root = tempfile::tempdir().unwrap();
    let report = root.path().join("large.json");
    write_report(&report);
    let total = (VIDEOS * JUMPS_PER_VIDEO) as i64;

    // How long the save takes when nothing interrupts it.
    // The fastest of three: the first run also pays for a cold file cache, and a calibration
    // longer than the save aims kills after the commit.
    let mut save = Duration::MAX;
    let mut data = PathBuf::new();
    for run in 0..CALIBRATION_RUNS {
        data = fresh_data(root.path(), &format!("calibration{run}"));
        let (mut child, started) = start_import(&data, &report, Stdio::piped());
        // The import says what it saved right after the commit; closing the database
        // afterwards (moving the WAL into the file) is not part of the save.
        let stdout = child.stdout.take().unwrap();
        let said = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.starts_with("Saved for"));
        save = save.min(started.elapsed());
        let status = child.wait().unwrap();
        assert!(said, "the import reported no save");
        assert!(status.success(), "{status}");
    }
    let whole = inspect(&data.join("hangtime.sqlite"));
    assert_eq!(whole.trials, total, "{whole:?}");
    let metrics = stored_metrics().len() as i64;
    assert_eq!(whole.values, total * metrics);
    println!(
        "uninterrupted save of {total} trials ({} values): {:.2} s",
        whole.values,
        save.as_secs_f64()
    );

    let mut rng = fastrand::Rng::with_seed(20);
    let mut partial = 0;
    let mut lines = Vec::new();
    for k in 0..KILLS {
        let data = fresh_data(root.path(), &format!("kill{k}"));
        let at = save.mul_f64(0.05 + 0.9 * rng.f64());
        let (mut child, started) = start_import(&data, &report, Stdio::null());
        std::thread::sleep(at.saturating_sub(started.elapsed()));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let killed_at = started.elapsed();
        // What the killed transaction had written, measured before anything opens the file.
        let wal = wal_bytes(&data);
        let found = inspect(&data.join("hangtime.sqlite"));
        assert_eq!(found.integrity, "ok", "kill {k}: {found:?}");
        assert_eq!(found.half_trials, 0, "kill {k}: {found:?}");
        let landed = if found.trials == total {
            assert_eq!(found.revisions, total);
            assert_eq!(found.values, total * metrics);
            assert_eq!(found.athletes, 1);
            "after the commit: the whole batch"
        } else {
            assert_eq!(
                (found.trials, found.revisions, found.values, found.athletes),
                (0, 0, 0, 0),
                "kill {k}: a batch is all or nothing"
            );
            // Uncommitted pages in the WAL: the batch was partly written when it died.
            if wal > 0 {
                partial += 1;
                "inside a partial batch: rolled back"
            } else {
                "before the batch reached the disk: nothing"
            }
        };
        lines.push(format!(
            "kill {k:2} at {:5.2} s of {:.2} s ({status}): {:6.1} MB in the WAL; {landed}",
            killed_at.as_secs_f64(),
            save.as_secs_f64(),
            wal as f64 / 1e6,
        ));
    }
    println!("{}", lines.join("\n"));
    assert!(
        partial >= MIN_PARTIAL,
        "only {partial} of {KILLS} kills landed inside a partial batch:\n{}",
        lines.join("\n")
    );
}
