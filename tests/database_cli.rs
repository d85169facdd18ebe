//! The athlete database through the command line: `athletes`, `history`, `db`, and
//! `analyze --save`, each with its own data folder.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use hangtime::analysis::{EventId, MetricId};
use serde_json::{Value, json};

/// A data folder of its own and the commands run in it.
struct Data {
    dir: tempfile::TempDir,
}

impl Data {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn database(&self) -> PathBuf {
        self.dir.path().join("data").join("hangtime.sqlite")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hangtime"));
        c.args(args)
            .env("HANGTIME_DATA_DIR", self.dir.path().join("data"))
            .env("HANGTIME_CACHE_DIR", self.dir.path().join("cache"))
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// A report (schema 2) of CMJs of the given heights (cm) in one video, plus a failed video
/// when asked.
fn report(dir: &Path, name: &str, heights: &[f64], with_failure: bool) -> PathBuf {
    let jumps: Vec<Value> = heights
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let takeoff = 2.0 + 3.0 * i as f64;
            let mut events = serde_json::Map::new();
            events.insert(EventId::Takeoff.key().to_owned(), json!(takeoff));
            events.insert(EventId::Landing.key().to_owned(), json!(takeoff + 0.57));
            let mut metrics = serde_json::Map::new();
            metrics.insert(MetricId::JumpHeight.key().to_owned(), json!(h / 100.0));
            let mut intervals = serde_json::Map::new();
            intervals.insert(
                MetricId::JumpHeight.key().to_owned(),
                json!({"low": h / 100.0 - 0.01, "high": h / 100.0 + 0.01}),
            );
            json!({
                "index": i + 1, "kind": "cmj", "takeoff_frame": 60, "landing_frame": 77,
                "events": events, "metrics": metrics, "intervals": intervals,
                "quality": {"score": 0.9, "warnings": []}, "edited": false,
            })
        })
        .collect();
    let mut results = vec![json!({
        "video": {"path": format!("/nowhere/{name}.mp4")},
        "model": "lite",
        "jumps": jumps,
        "timings": [],
        "warnings": [],
    })];
    if with_failure {
        results.push(json!({"video": {"path": "/nowhere/broken.mp4"}, "error": "not a video"}));
    }
    let doc = json!({"schema_version": 2, "hangtime_version": "0.1.0", "results": results});
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

const NAME: &str = "=HYPERLINK(\"x\") 'O''Brien'; DROP TABLE athlete;-- Zoë";

#[test]
fn athletes_history_import_backup_check_and_delete() {
    let data = Data::new();
    let out = data.run(&["athletes"]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No athletes yet"));

    // Two sessions: the worked example of the issue (TE 1.0 cm, threshold 1.60 cm).
    let first = report(data.dir.path(), "jan", &[40.0, 41.0, 42.0], true);
    let out = data.run(&[
        "db",
        "import",
        first.to_str().unwrap(),
        "--athlete",
        NAME,
        "--session-date",
        "2025-01-10",
        "--body-mass",
        "75",
    ]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), Some(1), "a failed video in the report: {err}");
    assert!(
        err.contains("broken.mp4") && err.contains("Saving 3 trials"),
        "{err}"
    );
    assert!(
        text(&out.stdout).contains("a new athlete"),
        "{}",
        text(&out.stdout)
    );
    let second = report(data.dir.path(), "feb", &[43.0, 44.0, 45.0], false);
    let out = data.run(&[
        "db",
        "import",
        second.to_str().unwrap(),
        "--athlete",
        NAME,
        "--session-date",
        "2025-02-10",
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 new trials"));
    // The same report again adds nothing.
    let out = data.run(&[
        "db",
        "import",
        second.to_str().unwrap(),
        "--athlete",
        NAME,
        "--session-date",
        "2025-02-10",
    ]);
    assert!(
        text(&out.stdout).contains("3 unchanged"),
        "{}",
        text(&out.stdout)
    );

    let out = data.run(&["athletes"]);
    let list = text(&out.stdout);
    assert!(list.contains(NAME) && list.contains("2025-02-10"), "{list}");

    let out = data.run(&["history", NAME, "--swc", "1.0"]);
    let page = text(&out.stdout);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(page.contains("Typical error 1.0 cm"), "{page}");
    assert!(
        page.contains("+3.0 cm vs 2025-01-10 (needs > 1.6): REAL CHANGE"),
        "{page}"
    );
    assert!(page.contains("1.0 cm, as set with --swc"), "{page}");
    assert!(page.contains("a single trial must move 2.8 cm"), "{page}");

    // Power from the body mass of the first session: 60.7·42 + 45.3·75 − 2055 = 3891.9 W.
    let out = data.run(&["history", NAME, "--metric", MetricId::PeakPowerSayers.key()]);
    assert!(
        text(&out.stdout).contains("3892 W"),
        "{}",
        text(&out.stdout)
    );
    let out = data.run(&["history", NAME, "--metric", "no_such_metric"]);
    assert_eq!(code(&out), Some(2));
    assert!(text(&out.stderr).contains("unknown metric"));

    let csv_path = data.dir.path().join("history.csv");
    let out = data.run(&[
        "history",
        NAME,
        "--csv",
        csv_path.to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let page: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["assessment"]["verdict"], "assessed");
    let te = page["assessment"]["typical_error"]["value"]
        .as_f64()
        .unwrap();
    assert!((te - 0.01).abs() < 1e-9, "{te}");
    assert_eq!(page["trials"].as_array().unwrap().len(), 6);
    assert_eq!(page["athlete"]["name"], NAME);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("athlete")], format!("'{NAME}"));
    assert_eq!(&rows[0][column(MetricId::JumpHeight.key())], "0.4");
    assert_eq!(&rows[0][column("body_mass_kg")], "75");
    assert_eq!(&rows[3][column("body_mass_kg")], "");

    // Excluding two trials of the second session leaves one session of two: not enough.
    let ids: Vec<String> = page["trials"].as_array().unwrap()[4..]
        .iter()
        .map(|t| t["trial"].to_string())
        .collect();
    for id in &ids {
        let out = data.run(&[
            "trials",
            "exclude",
            &format!("#{id}"),
            "--reason",
            "slipped",
        ]);
        assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    }
    let out = data.run(&["history", NAME]);
    let page_text = text(&out.stdout);
    assert!(page_text.contains("excluded: slipped"), "{page_text}");
    assert!(page_text.contains("Not enough trials"), "{page_text}");
    assert_eq!(code(&data.run(&["trials", "include", &ids[0]])), Some(0));
    assert!(text(&data.run(&["history", NAME]).stdout).contains("REAL CHANGE"));
    let out = data.run(&["trials", "exclude", "999"]);
    assert_eq!(code(&out), Some(2));
    assert!(
        text(&out.stderr).contains("trial 999 was not found"),
        "{}",
        text(&out.stderr)
    );

    let out = data.run(&["db", "check"]);
    assert_eq!(code(&out), Some(0));
    assert!(
        text(&out.stdout).contains(": ok (schema 2, 1 athletes, 6 trials)"),
        "{}",
        text(&out.stdout)
    );
    let backup = data.dir.path().join("copy.sqlite");
    let out = data.run(&["db", "backup", backup.to_str().unwrap()]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let copy = hangtime::store::Store::open(&backup).unwrap();
    assert_eq!(copy.athletes().unwrap()[0].trials, 6);
    drop(copy);

    // Deleting asks; a "no" (or no answer) keeps everything.
    let out = data.run_with_input(&["athletes", "delete", NAME], "n\n");
    assert_eq!(code(&out), Some(1));
    assert!(text(&out.stderr).contains("6 trials? This cannot be undone."));
    let out = data.run(&["athletes", "delete", NAME]);
    assert_eq!(code(&out), Some(1), "no answer is a no");
    assert!(text(&data.run(&["athletes"]).stdout).contains(NAME));
    let out = data.run_with_input(&["athletes", "delete", NAME], "y\n");
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Deleted"));
    let out = data.run(&["history", NAME]);
    assert_eq!(code(&out), Some(2));
    assert!(text(&out.stderr).contains("no athlete is named"));
    let conn = rusqlite::Connection::open(data.database()).unwrap();
    for table in [
        "athlete",
        "session",
        "trial",
        "revision",
        "metric_value",
        "video",
    ] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

#[test]
fn athletes_are_added_edited_and_named_by_id_when_names_repeat() {
    let data = Data::new();
    let out = data.run(&[
        "athletes",
        "add",
        "Sam",
        "--birth-year",
        "2001",
        "--sex",
        "male",
        "--height",
        "181",
        "--tag",
        "U23",
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let out = data.run(&["athletes", "add", "Sam"]);
    assert_eq!(code(&out), Some(2));
    assert!(text(&out.stderr).contains("--again"));
    assert_eq!(
        code(&data.run(&["athletes", "add", "Sam", "--again"])),
        Some(0)
    );
    let out = data.run(&["history", "Sam"]);
    assert_eq!(code(&out), Some(2));
    assert!(text(&out.stderr).contains("2 athletes are named \"Sam\" (#1, #2)"));
    let out = data.run(&[
        "athletes", "edit", "#2", "--rename", "Sam B", "--tag", "senior",
    ]);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let store = hangtime::store::Store::open(&data.database()).unwrap();
    let sam = store
        .athlete(hangtime::store::AthleteId(1))
        .unwrap()
        .unwrap();
    assert_eq!(sam.details.birth_year, Some(2001));
    assert_eq!(sam.details.standing_height_m, Some(1.81));
    assert_eq!(sam.details.tags, ["U23"]);
    let b = store
        .athlete(hangtime::store::AthleteId(2))
        .unwrap()
        .unwrap();
    assert_eq!(
        (b.details.name.as_str(), b.details.tags.as_slice()),
        ("Sam B", &["senior".to_owned()][..])
    );
}

#[test]
fn a_newer_database_is_refused_and_a_damaged_one_set_aside_each_in_one_sentence() {
    let data = Data::new();
    assert_eq!(code(&data.run(&["athletes"])), Some(0));
    {
        let conn = rusqlite::Connection::open(data.database()).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let out = data.run(&["athletes"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("newer Hangtime (schema 7") && err.contains("left untouched"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let damaged = Data::new();
    std::fs::create_dir_all(damaged.database().parent().unwrap()).unwrap();
    std::fs::write(damaged.database(), vec![0x5a; 8192]).unwrap();
    let out = damaged.run(&["athletes"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), Some(0), "{err}");
    assert!(err.contains("was damaged; it was moved to"), "{err}");
    let aside: Vec<PathBuf> = std::fs::read_dir(damaged.database().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), vec![0x5a; 8192]);
    assert!(err.contains(&aside[0].display().to_string()), "{err}");

    let bad = damaged.dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 1}").unwrap();
    let out = damaged.run(&["db", "import", bad.to_str().unwrap(), "--athlete", "X"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(
        err.contains("cannot be imported") && err.contains("schema version 1"),
        "{err}"
    );
}

#[test]
fn analyze_save_stores_a_shared_clips_jumps_on_its_recording_day() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let data = Data::new();
    let clip = clip.to_str().unwrap();
    let out = data.run(&[
        "analyze",
        clip,
        "--save",
        "--athlete",
        "Ann",
        "--body-mass",
        "61",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains("saved for Ann, a new athlete, (#1), session 2025-03-14: 1 new trial"),
        "{stdout}"
    );
    let out = data.run(&["analyze", clip, "--save", "--athlete", "Ann"]);
    assert!(
        text(&out.stdout).contains("1 unchanged"),
        "{}",
        text(&out.stdout)
    );
    let out = data.run(&["history", "Ann", "--json", "-"]);
    let page: Value = serde_json::from_slice(&out.stdout).unwrap();
    let trial = &page["trials"][0];
    assert_eq!(trial["date"], "2025-03-14");
    assert_eq!(trial["revision"], 1);
    assert_eq!(page["sessions"][0]["session"]["body_mass_kg"], 61.0);
    let keys: Vec<&str> = trial["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&MetricId::PeakPowerSayers.key()), "{keys:?}");
    // The video's content identifies it: the hash is stored.
    let conn = rusqlite::Connection::open(data.database()).unwrap();
    let hash: String = conn
        .query_row("SELECT sha256 FROM video", [], |r| r.get(0))
        .unwrap();
    assert_eq!(hash.len(), 64);
    let out = data.run(&["analyze", clip, "--athlete", "Ann"]);
    assert_eq!(code(&out), Some(2), "--athlete without --save is refused");
}
