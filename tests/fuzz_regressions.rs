//! Replays the fuzz target's seeds (`fuzz/seeds/`) and the inputs it found
//! (`fuzz/regressions/`: a minimised corpus plus every crash once fixed) through the same
//! decoder and checks, so a fixed bug stays fixed. `fuzz/README.md` says how to fuzz and how to add to the corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly"
)]

#[path = "../fuzz/case.rs"]
#[allow(dead_code, clippy::pedantic)]
mod case;

#[test]
fn every_kept_fuzz_input_analyses_without_panic_and_with_finite_numbers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<_> = ["seeds", "regressions"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("fuzz input folder exists"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "only {} kept inputs", files.len());
    let mut jumps = 0;
    for file in &files {
        let bytes = std::fs::read(file).expect("readable input");
        let case = case::decode(&bytes);
        let outcome = std::panic::catch_unwind(|| case::run(&case));
        assert!(outcome.is_ok(), "{} fails", file.display());
        let analysis = hangtime::analysis::analyze(
            &case.poses,
            &case.facts,
            &case.options,
            &mut hangtime::timing::Timings::default(),
        );
        jumps += analysis.jumps.len();
    }
    eprintln!("{} kept inputs, {jumps} jumps found in them", files.len());
}
