//! The `hangtime` command line, run as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]

mod common;

use std::path::Path;
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

/// The source checkout's copy of a file, with links resolved as `--version` shows it.
fn checkout_file(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(relative)
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

/// The first 12 hex digits of a shipped model's SHA-256, from `models/SHA256SUMS`.
fn short_sha(file: &str) -> String {
    let sums = std::fs::read_to_string(checkout_file("models/SHA256SUMS")).unwrap();
    let line = sums.lines().find(|l| l.ends_with(file)).unwrap();
    line[..12].to_owned()
}

#[test]
fn version_and_help_work() {
    let out = hangtime(&["--version"]);
    assert!(out.status.success());
    let version = text(&out.stdout);
    let lines: Vec<&str> = version.lines().collect();
    assert_eq!(lines[0], format!("hangtime {}", env!("CARGO_PKG_VERSION")));
    // Found from the executable's place in the checkout (cargo names the checkout when the
    // target folder lies elsewhere): never a path fixed at build time.
    let models = format!("models: {} (source checkout", checkout_file("models"));
    assert!(lines[1].starts_with(&models), "{version}");
    for (i, (name, file)) in [
        ("detector", "pose_detector.onnx"),
        ("lite", "pose_landmark_lite.onnx"),
        ("full", "pose_landmark_full.onnx"),
    ]
    .into_iter()
    .enumerate()
    {
        let words: Vec<&str> = lines[2 + i].split_whitespace().collect();
        assert_eq!(
            words,
            [name, file, "sha256", short_sha(file).as_str()],
            "{version}"
        );
    }
    let runtime = format!(
        "ONNX Runtime 1.31.1: {} (source checkout",
        checkout_file(".runtime/onnxruntime/libonnxruntime.so.1.31.1")
    );
    assert!(lines[5].starts_with(&runtime), "{version}");
    assert_eq!(lines.len(), 6, "{version}");
    assert_eq!(text(&hangtime(&["-V"]).stdout), version);

    let out = hangtime(&["--help"]);
    let help = text(&out.stdout);
    assert!(out.status.success() && help.contains("analyze") && help.contains("doctor"));
    assert!(help.contains("Exit status: 0 when"), "{help}");
    assert!(
        !help.contains("package-files"),
        "the packaging command is hidden"
    );
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

/// `hangtime ARGS` with its own cache and data folders and without a display.
fn hangtime_in(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hangtime"));
    command
        .args(args)
        .env("HANGTIME_CACHE_DIR", home.join("cache"))
        .env("HANGTIME_DATA_DIR", home.join("data"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("ORT_DYLIB_PATH")
        .env_remove("HANGTIME_MODELS_DIR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn doctor_passes_here_and_only_warns_that_there_is_no_display() {
    let home = tempfile::tempdir().unwrap();
    let out = hangtime_in(home.path(), &["doctor"], &[]);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}{}", text(&out.stderr));
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines[0],
        format!("Hangtime {} doctor", env!("CARGO_PKG_VERSION"))
    );
    let expect = [
        format!(
            "ok       ONNX Runtime 1.31.1 loads from {} (source checkout",
            checkout_file(".runtime/onnxruntime/libonnxruntime.so.1.31.1")
        ),
        format!("ok       Pose models in {} (source checkout", checkout_file("models")),
        "ok       The pose tracker starts with the lite and the full model".to_owned(),
        "ok       FFmpeg (libavcodec 59.".to_owned(),
        format!(
            "ok       Cache folder (tracked poses) {} is writable",
            home.path().join("cache").display()
        ),
        format!(
            "ok       Data folder {} is writable",
            home.path().join("data").display()
        ),
        "warning  No display (neither DISPLAY nor WAYLAND_DISPLAY is set): the desktop app cannot open here, the command line works".to_owned(),
        "Hangtime can analyse videos here (1 warning).".to_owned(),
    ];
    assert_eq!(lines.len(), 1 + expect.len(), "{report}");
    for (line, expected) in lines[1..].iter().zip(&expect) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line:?} is not {expected:?}"
        );
    }
    assert!(lines[2].ends_with("match their checksums: detector, lite, full"));
    for decoder in ["H.264 (h264)", "HEVC (hevc)", "VP9 (", "AV1 ("] {
        assert!(
            lines[4].contains(decoder),
            "{decoder} missing: {}",
            lines[4]
        );
    }
    // The folders were created, and the probe file left nothing behind.
    for folder in ["cache", "data"] {
        let entries = std::fs::read_dir(home.path().join(folder)).unwrap().count();
        assert_eq!(entries, 0, "{folder}");
    }

    let out = hangtime_in(home.path(), &["doctor"], &[("DISPLAY", ":99")]);
    let report = text(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("ok       A display is available for the desktop app"));
    assert!(
        report.ends_with("Hangtime can analyse videos here (0 warnings).\n"),
        "{report}"
    );
}

#[test]
fn doctor_and_version_say_what_is_wrong_in_plain_words() {
    let home = tempfile::tempdir().unwrap();
    let models = home.path().join("models");
    std::fs::create_dir(&models).unwrap();
    std::fs::write(models.join("pose_detector.onnx"), b"not a model").unwrap();
    std::fs::copy(
        checkout_file("models/pose_landmark_lite.onnx"),
        models.join("pose_landmark_lite.onnx"),
    )
    .unwrap();
    // A file where the cache folder should be.
    std::fs::write(home.path().join("cache"), b"").unwrap();
    let env = [
        ("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so"),
        ("HANGTIME_MODELS_DIR", models.to_str().unwrap()),
    ];
    let out = hangtime_in(home.path(), &["doctor"], &env);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let failed: Vec<&str> = report
        .lines()
        .filter_map(|l| l.strip_prefix("FAILED   "))
        .collect();
    assert_eq!(failed.len(), 3, "{report}");
    assert_eq!(
        failed[0],
        "ORT_DYLIB_PATH names /nonexistent/libonnxruntime.so, which does not exist; unset it or point it at the ONNX Runtime library"
    );
    assert!(
        failed[1].starts_with("The pose model has the wrong checksum")
            && failed[1].contains("pose_detector.onnx")
            && failed[1].contains("the pose model could not be read")
            && failed[1].contains("pose_landmark_full.onnx")
            && !failed[1].contains("pose_landmark_lite.onnx"),
        "{}",
        failed[1]
    );
    assert!(
        failed[2].starts_with("The cache folder (tracked poses) cannot be written")
            && failed[2]
                .ends_with("fix its permissions or set HANGTIME_CACHE_DIR to another folder"),
        "{}",
        failed[2]
    );
    assert!(
        !report.contains("pose tracker"),
        "not tried without runtime and models"
    );
    assert!(report.contains("ok       FFmpeg"), "{report}");
    assert!(
        report.ends_with("Hangtime cannot work here until the 3 failed checks above are fixed.\n"),
        "{report}"
    );

    // --version still answers, and says the same.
    let out = hangtime_in(home.path(), &["--version"], &env);
    let version = text(&out.stdout);
    assert!(out.status.success(), "{version}");
    let lines: Vec<&str> = version.lines().collect();
    assert_eq!(
        lines[1],
        format!(
            "models: {} (set by HANGTIME_MODELS_DIR)",
            models.canonicalize().unwrap().display()
        )
    );
    assert!(
        lines[2].contains("(not the file this Hangtime was built with)"),
        "{version}"
    );
    assert!(lines[3].ends_with(&format!("sha256 {}", short_sha("pose_landmark_lite.onnx"))));
    assert!(lines[4].contains("could not be read"), "{version}");
    assert!(lines[5].starts_with("ONNX Runtime: ORT_DYLIB_PATH names /nonexistent"));
}

#[test]
fn man_pages_and_completions_come_from_the_command_line_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let out = hangtime(&["package-files", "--out", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let man = |name: &str| std::fs::read_to_string(dir.path().join("man").join(name)).unwrap();
    let main_page = man("hangtime.1");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
    ] {
        assert!(main_page.contains(section), "{section} missing");
    }
    assert!(!main_page.contains(".SH EXTRA"));
    // Every page the main one refers to exists.
    assert!(
        main_page.contains("hangtime\\-analyze(1)") && !main_page.contains("hangtime\\-help(1)")
    );
    assert!(man("hangtime-analyze.1").contains("csv\\-dialect"));
    assert!(man("hangtime-doctor.1").contains("Check that Hangtime can run here"));
    assert!(man("hangtime-cache-clear.1").contains("Remove every cached pose file"));
    let mut pages: Vec<String> = std::fs::read_dir(dir.path().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for page in [
        "hangtime.1",
        "hangtime-analyze.1",
        "hangtime-cache-clear.1",
        "hangtime-doctor.1",
        "hangtime-history.1",
        "hangtime-db-backup.1",
    ] {
        assert!(
            pages.iter().any(|p| p == page),
            "{page} missing from {pages:?}"
        );
    }
    assert!(
        pages
            .iter()
            .all(|p| p.starts_with("hangtime") && !p.contains("help") && !p.contains("package")),
        "{pages:?}"
    );
    let completions =
        |name: &str| std::fs::read_to_string(dir.path().join("completions").join(name)).unwrap();
    for file in ["hangtime.bash", "_hangtime", "hangtime.fish"] {
        let script = completions(file);
        assert!(
            script.contains("csv-dialect") && script.contains("doctor"),
            "{file}"
        );
        assert!(
            !script.contains("package-files"),
            "{file} offers the hidden command"
        );
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
        err.contains("ORT_DYLIB_PATH names /nonexistent/libonnxruntime.so, which does not exist"),
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
    // The cache in a folder of its own: the output folder must hold the overlay alone.
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
