//! Database benchmark (not part of CI): builds a database of 1 000 athletes (40 teams of 25)
//! with 50 000 trials (5 sessions of 10 CMJs each, every CMJ metric with intervals) and prints
//! the time of the queries behind the athlete list and an athlete page (target < 50 ms each)
//! and of saving one clip's trials in its own transaction (target < 20 ms).
//!
//! `cargo run --example store_bench [DATABASE]` (a temporary file unless a path is given; an
//! existing file at that path is reused as it is).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hangtime::analysis::catalogue::{METRICS, Need};
use hangtime::analysis::{EventId, Interval, JumpKind, Metric, MetricId, Quality};
use hangtime::store::{
    AthleteDetails, AthleteId, ClipInput, JumpInput, PageRequest, SessionId, Store,
};
use jiff::civil::date;

const ATHLETES: usize = 1000;
const TEAM_SIZE: usize = 25;
const SESSIONS: usize = 5;
const JUMPS_PER_SESSION: usize = 10;
/// Clips saved per transaction while building (the build is not what is measured).
const BUILD_BATCH: usize = 200;
const RUNS: usize = 30;
/// Jumps in the clip whose save is timed (a typical testing clip).
const CLIP_JUMPS: usize = 6;

fn jump(rng: &mut fastrand::Rng, index: usize, takeoff_s: f64) -> JumpInput {
    let height = 0.30 + 0.15 * rng.f64();
    let metrics = METRICS
        .iter()
        .filter(|m| m.applies_to(JumpKind::Cmj) && !m.needs(Need::BodyMass))
        .map(|m| {
            let value = if m.id == MetricId::JumpHeight {
                height
            } else {
                0.1 + rng.f64()
            };
            Metric {
                id: m.id,
                value,
                interval: m.uncertainty.then_some(Interval {
                    low: value * 0.97,
                    high: value * 1.03,
                }),
            }
        })
        .collect();
    JumpInput {
        index,
        kind: JumpKind::Cmj,
        events: vec![
            (EventId::MovementOnset, takeoff_s - 0.8),
            (EventId::LowestPoint, takeoff_s - 0.3),
            (EventId::Takeoff, takeoff_s),
            (EventId::Apex, takeoff_s + 0.28),
            (EventId::Landing, takeoff_s + 0.57),
        ],
        takeoff_s,
        landing_s: takeoff_s + 0.57,
        detected_edges: None,
        automatic: metrics,
        edited: None,
        quality: Quality {
            score: 0.9,
            warnings: Vec::new(),
        },
    }
}

fn clip(rng: &mut fastrand::Rng, name: &str, jumps: usize) -> ClipInput {
    ClipInput {
        video_path: PathBuf::from(format!("/videos/{name}.mp4")),
        video_sha256: Some(format!("{:064x}", rng.u128(..))),
        recorded_at: None,
        hangtime_version: env!("CARGO_PKG_VERSION").to_owned(),
        model: "lite".to_owned(),
        settings: serde_json::json!({"kind": "auto", "edges": []}),
        jumps: (0..jumps)
            .map(|i| jump(rng, i + 1, 2.0 + 4.0 * i as f64))
            .collect(),
    }
}

fn build(store: &mut Store, rng: &mut fastrand::Rng) -> Vec<AthleteId> {
    let started = Instant::now();
    let mut athletes = Vec::new();
    let mut pending: Vec<(SessionId, ClipInput)> = Vec::new();
    for a in 0..ATHLETES {
        let id = store
            .add_athlete(&AthleteDetails {
                name: format!("Athlete {a:04}"),
                birth_year: Some(1995 + (a % 15) as i32),
                tags: vec![format!("team {:02}", a / TEAM_SIZE)],
                ..AthleteDetails::default()
            })
            .unwrap();
        athletes.push(id);
        for s in 0..SESSIONS {
            let day = date(2025, 1 + s as i8, 1 + (a % 28) as i8);
            let session = store.session_on(id, day, Some(70.0)).unwrap().id;
            pending.push((session, clip(rng, &format!("a{a}-s{s}"), JUMPS_PER_SESSION)));
        }
        if pending.len() >= BUILD_BATCH || a + 1 == ATHLETES {
            let batch: Vec<(SessionId, &ClipInput)> =
                pending.iter().map(|(s, c)| (*s, c)).collect();
            store.save_clips(&batch).unwrap();
            pending.clear();
        }
    }
    println!(
        "built {ATHLETES} athletes, {} trials in {:.1} s",
        ATHLETES * SESSIONS * JUMPS_PER_SESSION,
        started.elapsed().as_secs_f64()
    );
    athletes
}

fn report(name: &str, target_ms: f64, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let worst = ms(*times.last().unwrap());
    println!(
        "{name:<34} median {median:7.2} ms  max {worst:7.2} ms  (target < {target_ms} ms: {})",
        if worst < target_ms {
            "met"
        } else if median < target_ms {
            "median met"
        } else {
            "MISSED"
        }
    );
}

fn main() {
    let temp = tempfile::tempdir().unwrap();
    let path = std::env::args_os()
        .nth(1)
        .map_or_else(|| temp.path().join("bench.sqlite"), PathBuf::from);
    let existed = path.exists();
    let opened = Instant::now();
    let mut store = Store::open(&path).unwrap();
    if existed {
        println!(
            "opened (and migrated) in {:.1} ms",
            opened.elapsed().as_secs_f64() * 1000.0
        );
    }
    let mut rng = fastrand::Rng::with_seed(16);
    let athletes = if existed {
        store
            .athletes()
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    } else {
        build(&mut store, &mut rng)
    };
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "database {} ({:.1} MB, schema {})",
        path.display(),
        bytes as f64 / 1e6,
        store.schema_version().unwrap()
    );

    let times = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let list = store.athletes().unwrap();
            assert_eq!(list.len(), athletes.len());
            t.elapsed()
        })
        .collect();
    report("athlete list (all athletes)", 50.0, times);

    let times = (0..RUNS)
        .map(|i| {
            let who = athletes[(i * 37) % athletes.len()];
            let t = Instant::now();
            let page = store
                .athlete_page(&PageRequest::new(who, MetricId::JumpHeight))
                .unwrap();
            assert!(page.trials.len() >= SESSIONS * JUMPS_PER_SESSION);
            t.elapsed()
        })
        .collect();
    report("athlete page (history + stats)", 50.0, times);

    let times = (0..RUNS)
        .map(|i| {
            let who = athletes[(i * 53) % athletes.len()];
            let session = store
                .session_on(who, date(2026, 1, 1 + (i % 28) as i8), Some(70.0))
                .unwrap()
                .id;
            let c = clip(&mut rng, &format!("timed{i}"), CLIP_JUMPS);
            let t = Instant::now();
            store.save_clip(session, &c).unwrap();
            t.elapsed()
        })
        .collect();
    report(
        &format!("save one clip ({CLIP_JUMPS} trials, 1 txn)"),
        20.0,
        times,
    );
    drop(store);
    library_frames(&path);
}

/// The app's Library view on this database, headless: the time of each UI frame with the
/// athlete list and a page shown, and how many times the queries ran (only when something
/// changed, so idle frames run none).
fn library_frames(path: &std::path::Path) {
    use egui_kittest::kittest::Queryable as _;
    use hangtime::app::{AppConfig, Command, HangtimeApp, Settings, View};

    let database = path.to_path_buf();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    settings: Some(Settings::default()),
                    database: Some(database.clone()),
                    ..AppConfig::default()
                },
            )
        });
    h.state_mut().push_command(Command::ShowView(View::Library));
    for _ in 0..4 {
        h.step();
    }
    let (first_query, _) = h.state().library().query_stats();
    println!(
        "library opened: list query {:.1} ms",
        first_query.as_secs_f64() * 1000.0
    );
    h.query_all_by_label_contains("(50 trials")
        .next()
        .unwrap()
        .click();
    // The click's command runs at the end of its frame, the page query in the next one.
    for _ in 0..3 {
        h.step();
    }
    let (page_query, before) = h.state().library().query_stats();
    println!(
        "athlete page shown: queries {:.1} ms",
        page_query.as_secs_f64() * 1000.0
    );
    let frames = (0..120)
        .map(|_| {
            let t = Instant::now();
            h.step();
            t.elapsed()
        })
        .collect();
    let (_, after) = h.state().library().query_stats();
    report("library frame (list + page)", 16.0, frames);
    println!("queries run in those 120 idle frames: {}", after - before);
}
