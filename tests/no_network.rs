//! Hangtime makes no network connection at run time. Checked two ways: a whole analysis with
//! every export runs under `strace` and opens no internet socket (IPv4 or IPv6) at all, and
//! the dependency tree holds no HTTP or download client (ONNX Runtime is loaded from disk with
//! `ort`'s `load-dynamic`; nothing downloads models or binaries).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

mod common;

use std::process::Command;

/// Crates whose presence would mean the program can reach the network by itself.
const NETWORK_CLIENTS: [&str; 9] = [
    "reqwest",
    "ureq",
    "hyper",
    "curl",
    "isahc",
    "attohttpc",
    "surf",
    "minreq",
    "ureq-proto",
];

#[test]
fn an_analysis_with_every_export_opens_no_internet_socket() {
    let Some(clip) = common::shared_video("cmj_jumpmat_frontoblique_tiltcam_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_hangtime"))
        .args(["analyze", "--no-cache", "--json"])
        .arg(dir.path().join("r.json"))
        .arg("--csv")
        .arg(dir.path().join("r.csv"))
        .arg("--overlay")
        .arg(dir.path().join("o.mp4"))
        .arg(&clip)
        .output()
        .expect("strace runs (scripts/setup installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls = std::fs::read_to_string(&trace).unwrap();
    let inet: Vec<&str> = calls
        .lines()
        .filter(|l| l.contains("AF_INET") || l.contains("sin_port") || l.contains("sin6_port"))
        .collect();
    assert!(inet.is_empty(), "internet sockets: {inet:?}");
    assert!(dir.path().join("o.mp4").is_file(), "the run did its work");
}

#[test]
fn no_network_client_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(packages.contains(&"ort"), "the lock file was read");
    for client in NETWORK_CLIENTS {
        assert!(!packages.contains(&client), "{client} is a dependency");
    }
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    assert!(manifest.contains("load-dynamic") && !manifest.contains("download-binaries"));
}
