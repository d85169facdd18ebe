//! The catalogue is the only place that spells a metric or event key, and the README's lists
//! are generated from it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

use std::path::{Path, PathBuf};

use hangtime::analysis::catalogue::{self, EVENTS, METRICS};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_metric_or_event_key_is_spelled_outside_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = root.join("src/analysis/catalogue.rs");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut keys: Vec<&str> = METRICS
        .iter()
        .flat_map(|m| std::iter::once(m.key).chain(m.former_keys.iter().copied()))
        .collect();
    keys.extend(EVENTS.iter().flat_map(|e| [e.key, e.csv_header]));
    let mut found = Vec::new();
    for file in files.iter().filter(|f| **f != catalogue) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for key in &keys {
                if line.contains(&format!("\"{key}\"")) {
                    found.push(format!("{}:{}: {key}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(files.len() > 20, "only {} source files found", files.len());
    assert!(
        found.is_empty(),
        "keys spelled outside the catalogue:\n{}",
        found.join("\n")
    );
}

/// The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in the README.
fn generated_section<'a>(readme: &'a str, name: &str) -> Option<(usize, usize, &'a str)> {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = readme.find(&begin)? + begin.len();
    let b = a + readme[a..].find(&end)?;
    Some((a, b, &readme[a..b]))
}

#[test]
fn the_readme_lists_every_metric_and_event_as_the_catalogue_defines_them() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let sections = [
        ("metrics", catalogue::metrics_markdown()),
        ("events", catalogue::events_markdown()),
    ];
    let update = std::env::var_os("HANGTIME_UPDATE_README").is_some();
    let mut stale = Vec::new();
    for (name, expected) in &sections {
        let (a, b, current) = generated_section(&readme, name)
            .unwrap_or_else(|| panic!("README.md has no <!-- {name}:begin/end --> section"));
        if current != expected {
            stale.push(*name);
            if update {
                readme.replace_range(a..b, expected);
            }
        }
    }
    if update && !stale.is_empty() {
        std::fs::write(&path, &readme).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README.md is out of date ({}); run HANGTIME_UPDATE_README=1 cargo test --test catalogue",
        stale.join(", ")
    );
}
