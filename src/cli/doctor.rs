//! `hangtime doctor`: checks that Hangtime can run here (runtime, models, FFmpeg's decoders,
//! the cache and data folders, a display) and says in plain words what is wrong.

use std::fmt;
use std::path::Path;

use hangtime::pose::{self, MODEL_FILES, ModelVariant, Tracker, TrackerOptions};
use hangtime::video::{PHONE_CODECS, decoder_identity, decoder_name};
use hangtime::{folders, runtime};

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Ok,
    /// Hangtime works, with a limit the user should know about.
    Warning,
    /// Hangtime cannot do its work until this is fixed.
    Failure,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ok => "ok     ",
            Self::Warning => "warning",
            Self::Failure => "FAILED ",
        })
    }
}

struct Check {
    level: Level,
    text: String,
}

impl Check {
    fn ok(text: String) -> Self {
        Self {
            level: Level::Ok,
            text,
        }
    }

    fn warning(text: String) -> Self {
        Self {
            level: Level::Warning,
            text,
        }
    }

    fn failure(text: String) -> Self {
        Self {
            level: Level::Failure,
            text,
        }
    }
}

/// Runs every check, prints one line each and a verdict; `false` (exit status 1) when a check
/// failed. Warnings alone pass.
pub fn run() -> bool {
    println!("Hangtime {} doctor", env!("CARGO_PKG_VERSION"));
    let mut checks = Vec::new();
    let mut print = |check: Check| {
        println!("{}  {}", check.level, capitalised(&check.text));
        checks.push(check.level);
    };
    let runtime_ok = {
        let check = check_runtime();
        let ok = check.level == Level::Ok;
        print(check);
        ok
    };
    let models_ok = {
        let check = check_models();
        let ok = check.level == Level::Ok;
        print(check);
        ok
    };
    if runtime_ok && models_ok {
        print(check_tracker());
    }
    print(check_decoders());
    print(check_folder(
        "cache folder (tracked poses)",
        folders::CACHE_ENV,
        folders::pose_cache_dir().as_deref(),
    ));
    print(check_folder(
        "data folder",
        folders::DATA_ENV,
        folders::data_dir().as_deref(),
    ));
    print(check_display());

    let failures = checks.iter().filter(|l| **l == Level::Failure).count();
    let warnings = checks.iter().filter(|l| **l == Level::Warning).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if failures == 0 {
        println!(
            "Hangtime can analyse videos here ({}).",
            plural(warnings, "warning")
        );
    } else {
        println!(
            "Hangtime cannot work here until the {} above {} fixed.",
            plural(failures, "failed check"),
            if failures == 1 { "is" } else { "are" }
        );
    }
    failures == 0
}

fn check_runtime() -> Check {
    match runtime::info() {
        Ok(info) => Check::ok(format!(
            "ONNX Runtime {} loads from {} ({})",
            info.version,
            info.library.path.display(),
            info.library.origin
        )),
        Err(e) => Check::failure(e.to_string()),
    }
}

fn check_models() -> Check {
    let models = match pose::find_models() {
        Ok(models) => models,
        Err(e) => return Check::failure(e.to_string()),
    };
    let problems: Vec<String> = MODEL_FILES
        .iter()
        .filter_map(|(_, file)| {
            pose::verify_model(&models.path.join(file))
                .err()
                .map(|e| e.to_string())
        })
        .collect();
    if problems.is_empty() {
        Check::ok(format!(
            "pose models in {} ({}) match their checksums: {}",
            models.path.display(),
            models.origin,
            MODEL_FILES.map(|(name, _)| name).join(", ")
        ))
    } else {
        Check::failure(problems.join("; "))
    }
}

fn check_tracker() -> Check {
    let failed: Vec<String> = [ModelVariant::Lite, ModelVariant::Full]
        .into_iter()
        .filter_map(|variant| {
            Tracker::load(TrackerOptions {
                variant,
                intra_threads: 1,
            })
            .err()
            .map(|e| format!("the {variant} model: {e}"))
        })
        .collect();
    if failed.is_empty() {
        Check::ok("the pose tracker starts with the lite and the full model".to_owned())
    } else {
        Check::failure(format!(
            "the pose tracker does not start with {}",
            failed.join("; ")
        ))
    }
}

fn check_decoders() -> Check {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (label, codec) in PHONE_CODECS {
        match decoder_name(codec) {
            Ok(Some(name)) => found.push(format!("{label} ({name})")),
            Ok(None) => missing.push(label),
            Err(e) => return Check::failure(format!("FFmpeg could not be started: {e}")),
        }
    }
    if missing.is_empty() {
        Check::ok(format!(
            "FFmpeg ({}) decodes {}",
            decoder_identity(),
            found.join(", ")
        ))
    } else {
        Check::failure(format!(
            "FFmpeg ({}) cannot decode {}, so such videos will not open; install an FFmpeg \
             build with these decoders (on Debian and Ubuntu: the libavcodec package of the \
             distribution, not a reduced one)",
            decoder_identity(),
            missing.join(", ")
        ))
    }
}

fn check_folder(what: &str, env: &str, dir: Option<&Path>) -> Check {
    let Some(dir) = dir else {
        return Check::failure(format!(
            "there is no {what} for this user on this system (no home folder?); set {env} to one"
        ));
    };
    match folders::check_writable(dir) {
        Ok(()) => Check::ok(format!("{what} {} is writable", dir.display())),
        Err(e) => Check::failure(format!(
            "the {what} cannot be written ({e}); fix its permissions or set {env} to another folder"
        )),
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn check_display() -> Check {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("WAYLAND_DISPLAY") || set("DISPLAY") {
        Check::ok("a display is available for the desktop app".to_owned())
    } else {
        Check::warning(
            "no display (neither DISPLAY nor WAYLAND_DISPLAY is set): the desktop app cannot \
             open here, the command line works"
                .to_owned(),
        )
    }
}

/// macOS and Windows always have their desktop session's display.
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn check_display() -> Check {
    Check::ok("the desktop app uses the system's display".to_owned())
}

/// Messages start in lower case to read well after a colon; a printed line starts upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
