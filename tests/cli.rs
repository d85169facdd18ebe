//! The `hangtime` command line, run as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]

mod common;

use std::process::{Command, Output};

fn hangtime(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn version_and_help_work() {
    let out = hangtime(&["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        format!("hangtime {}", env!("CARGO_PKG_VERSION"))
    );
    let out = hangtime(&["--help"]);
    assert!(out.status.success() && text(&out.stdout).contains("analyze"));
    let out = hangtime(&["analyze", "--help"]);
    let help = text(&out.stdout);
    for flag in [
        "--kind",
        "--model",
        "--json",
        "--csv",
        "--csv-dialect",
        "--series",
        "--jobs",
    ] {
        assert!(help.contains(flag), "{flag} missing from help");
    }
}

#[test]
fn a_missing_runtime_is_one_clear_sentence_not_a_panic() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .args(["analyze"])
        .arg(&clip)
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ONNX Runtime was not found") && err.contains("scripts/setup"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn analyze_writes_json_csv_and_series_and_fails_only_for_bad_videos() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (json, csv, series) = (
        dir.path().join("r.json"),
        dir.path().join("r.csv"),
        dir.path().join("s.csv"),
    );
    let missing = dir.path().join("missing.mp4");
    let out = Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .arg("analyze")
        .arg(&clip)
        .arg(&missing)
        .args([
            "--json",
            json.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ])
        .args(["--series", series.to_str().unwrap(), "--jobs", "2"])
        // A fresh cache: this test checks the timings of a real run.
        .env("HANGTIME_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "one video failed: {stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.mp4") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(
        stdout.contains("#1 CMJ") && stdout.contains("height"),
        "{stdout}"
    );

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["hangtime_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["schema_version"], 2);
    let results = doc["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let ok = &results[0];
    assert_eq!(ok["video"]["frames"], 54);
    assert_eq!(ok["video"]["width"], 720);
    assert_eq!(ok["model"], "lite");
    let jump = &ok["jumps"][0];
    assert_eq!(jump["index"], 1);
    assert_eq!(jump["kind"], "cmj");
    let height = jump["metrics"]["jump_height_m"].as_f64().unwrap();
    assert!((0.6..0.9).contains(&height), "{height}");
    assert!(
        jump["events"]["takeoff"].as_f64().unwrap() < jump["events"]["landing"].as_f64().unwrap()
    );
    assert!(jump["quality"]["score"].as_f64().unwrap() > 0.0);
    let stages: Vec<&str> = ok["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["stage"].as_str().unwrap())
        .collect();
    for stage in [
        "decode",
        "landmark_inference",
        "smoothing",
        "events",
        "metrics",
        "analysis",
    ] {
        assert!(stages.contains(&stage), "{stage} missing from {stages:?}");
    }
    assert!(
        results[1]["error"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
    assert!(results[1].get("jumps").is_none());

    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert!(
        headers.iter().any(|h| h == "jump_height_m")
            && headers.iter().any(|h| h == "flight_time_s")
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let col = headers.iter().position(|h| h == "jump_height_m").unwrap();
    let csv_height: f64 = rows[0][col].parse().unwrap();
    assert!((csv_height - height).abs() < 1e-3);

    // With several videos the series file name carries the video's stem.
    assert!(!series.exists());
    let series = dir
        .path()
        .join("s_cmj_jumpmat_frontoblique_tiltcam_30fps.csv");
    let series_text = std::fs::read_to_string(&series).unwrap();
    let mut lines = series_text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("frame,t_s,tracked,com_x,com_y,com_smooth_y,nose_x,nose_y,nose_vis")
    );
    assert!(header.ends_with("right_foot_index_x,right_foot_index_y,right_foot_index_vis"));
    assert_eq!(lines.count(), 54);
}

#[test]
fn excel_dialect_uses_semicolons_and_decimal_commas() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("eu.csv");
    let out = Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .env("HANGTIME_CACHE_DIR", dir.path().join("cache"))
        .arg("analyze")
        .arg(&clip)
        .args([
            "--csv",
            csv.to_str().unwrap(),
            "--csv-dialect",
            "excel-eu",
            "--json",
            "-",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is pure JSON with --json -");
    assert_eq!(doc["results"][0]["jumps"].as_array().unwrap().len(), 1);
    let body = std::fs::read_to_string(&csv).unwrap();
    let header = body.lines().next().unwrap();
    assert!(header.starts_with("video;jump;kind"), "{header}");
    let row = body.lines().nth(1).unwrap();
    let fields: Vec<&str> = row.split(';').collect();
    let col = header
        .split(';')
        .position(|h| h == "jump_height_m")
        .unwrap();
    assert!(fields[col].starts_with("0,"), "{row}");
}

#[test]
fn a_second_run_is_answered_from_the_cache_and_a_changed_file_is_not() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let run = |video: &std::path::Path, extra: &[&str]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_hangtime"))
            .arg("analyze")
            .arg(video)
            .args(["--json", "-"])
            .args(extra)
            .env("HANGTIME_CACHE_DIR", cache.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let stages = |doc: &serde_json::Value| -> Vec<String> {
        doc["results"][0]["timings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["stage"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = run(&clip, &[]);
    let second = run(&clip, &[]);
    assert!(stages(&first).contains(&"decode".to_owned()));
    assert!(
        !stages(&second).contains(&"decode".to_owned()),
        "{:?}",
        stages(&second)
    );
    assert!(stages(&second).contains(&"cache".to_owned()));
    assert_eq!(first["results"][0]["jumps"], second["results"][0]["jumps"]);
    // A setting is never stale: the cached poses are re-analysed with the new kind.
    let forced = run(&clip, &["--kind", "sj"]);
    assert_eq!(forced["results"][0]["jumps"][0]["kind"], "sj");
    // --no-cache tracks again; a changed file misses the cache.
    assert!(stages(&run(&clip, &["--no-cache"])).contains(&"decode".to_owned()));
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("changed.mp4");
    let mut bytes = std::fs::read(&clip).unwrap();
    bytes.extend_from_slice(&[0u8; 16]);
    std::fs::write(&changed, bytes).unwrap();
    assert!(stages(&run(&changed, &[])).contains(&"decode".to_owned()));
}

#[test]
fn overlay_export_is_an_mp4_that_ffprobe_reads_with_the_source_timing() {
    let Some(clip) = common::shared_video("sj_oblique_rot90meta_derived_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let overlay = dir.path().join("overlay.mp4");
    let out = Command::new(env!("CARGO_BIN_EXE_hangtime"))
        .env("HANGTIME_CACHE_DIR", cache.path())
        .arg("analyze")
        .arg(&clip)
        .args(["--overlay", overlay.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-count_frames"])
        .args([
            "-show_entries",
            "stream=codec_name,width,height,nb_read_frames,duration",
            "-of",
            "default=nw=1",
        ])
        .arg(&overlay)
        .output()
        .unwrap();
    let info = text(&probe.stdout);
    assert!(
        probe.status.success() && probe.stderr.is_empty(),
        "{}",
        text(&probe.stderr)
    );
    assert!(info.contains("codec_name=h264"), "{info}");
    // Displayed 478×850 (rotation applied), long edge capped at 720, even sides.
    assert!(
        info.contains("width=404") && info.contains("height=720"),
        "{info}"
    );
    assert!(info.contains("nb_read_frames=438"), "{info}");
    let duration: f64 = info
        .lines()
        .find_map(|l| l.strip_prefix("duration="))
        .and_then(|d| d.parse().ok())
        .unwrap();
    assert!((duration - 14.6).abs() < 0.1, "{duration}");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}
