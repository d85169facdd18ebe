//! The athletes library in the app, driven headless with `egui_kittest`: assign a shared
//! clip's jumps to a new athlete, reopen the app, find the athlete, read the trials and the
//! session summary, exclude a trial and see the summary change.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]
#![cfg(feature = "app")]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use hangtime::analysis::MetricId;
use hangtime::app::{AnalysisStatus, AppConfig, Command, HangtimeApp, Settings, View};
use hangtime::cache::PoseCache;
use hangtime::store::Store;

const CLIP: &str = "cmj_side_multi6_29fps.mp4";
const TIMEOUT: Duration = Duration::from_mins(10);

fn harness(
    videos: Vec<PathBuf>,
    database: &Path,
    cache: &PoseCache,
) -> Harness<'static, HangtimeApp> {
    let database = database.to_path_buf();
    let cache = cache.clone();
    Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            HangtimeApp::new(
                cc,
                AppConfig {
                    videos,
                    settings: Some(Settings::default()),
                    cache: Some(cache.clone()),
                    database: Some(database.clone()),
                    ..AppConfig::default()
                },
            )
        })
}

fn step_until(h: &mut Harness<'_, HangtimeApp>, what: &str, done: impl Fn(&HangtimeApp) -> bool) {
    let started = Instant::now();
    while !done(h.state()) {
        assert!(started.elapsed() < TIMEOUT, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.step();
}

/// Steps a few frames: a window that opens is laid out in one frame and shown in the next.
fn settle(h: &mut Harness<'_, HangtimeApp>) {
    for _ in 0..4 {
        h.step();
    }
}

fn included(app: &HangtimeApp) -> usize {
    app.library()
        .page()
        .and_then(|p| p.sessions.first())
        .and_then(|s| s.summary)
        .map_or(0, |s| s.n)
}

#[test]
fn jumps_are_assigned_to_a_new_athlete_and_found_again_after_a_restart() {
    let Some(clip) = common::shared_video(CLIP) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("athletes.sqlite");
    let cache = PoseCache::at(&dir.path().join("cache"));
    // A name a spreadsheet or a careless query would trip over.
    let name = "Zoë \"Robert'); DROP TABLE athletes;--\" Ng";

    {
        let mut h = harness(vec![clip.clone()], &database, &cache);
        step_until(&mut h, "the analysis", |app| {
            app.current_entry()
                .is_some_and(|e| e.status == AnalysisStatus::Done)
        });
        let jumps = h.state().current_analysis().unwrap().analysis.jumps.len();
        assert_eq!(jumps, 6);
        // One shortcut opens the dialog with the search field focused; type, then one click.
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        settle(&mut h);
        assert!(
            h.state().library().assign_dialog().is_some(),
            "Ctrl+S asks whose jumps"
        );
        h.get_by_label("Athlete").type_text(name);
        h.step();
        h.get_by_label_contains("New athlete “").click();
        settle(&mut h);
        assert!(
            h.state().library().assign_dialog().is_none(),
            "the dialog closes once saved"
        );
        h.get_by_label_contains(&format!("Saved for {name}"));
    }

    let store = Store::open(&database).unwrap();
    let athletes = store.athletes().unwrap();
    assert_eq!(athletes.len(), 1);
    assert_eq!(athletes[0].name, name, "the name round-trips unchanged");
    assert_eq!(athletes[0].trials, 6);
    drop(store);

    // A second start: the library lists the athlete; its page shows the six trials.
    let mut h = harness(Vec::new(), &database, &cache);
    h.state_mut().push_command(Command::ShowView(View::Library));
    settle(&mut h);
    assert_eq!(h.state().view(), View::Library);
    h.get_by_label("Search").type_text("zoë");
    h.step();
    h.get_by_label_contains("(6 trials").click();
    settle(&mut h);
    let page = h
        .state()
        .library()
        .page()
        .expect("the athlete page is open");
    assert_eq!(page.athlete.details.name, name);
    assert_eq!(page.metric, MetricId::JumpHeight);
    assert_eq!(page.trials.len(), 6);
    assert_eq!(
        included(h.state()),
        6,
        "the session summary counts six trials"
    );
    assert_eq!(
        page.trials.iter().filter(|t| t.best_of_session).count(),
        1,
        "one best of the session"
    );
    h.get_by_label("Sessions");
    h.get_by_label("Trials");
    h.get_by_label_contains("Not enough trials");
    h.check_accessibility();

    // Exclude the first trial with a reason: it stays listed, the summary has five.
    let first = h.state().library().page().unwrap().trials[0].trial;
    h.query_all_by_label("Exclude…").next().unwrap().click();
    settle(&mut h);
    h.get_by_label("Reason").type_text("stumbled on landing");
    h.step();
    h.get_by_label("Exclude").click();
    settle(&mut h);
    let page = h.state().library().page().unwrap();
    assert_eq!(
        page.trials.len(),
        6,
        "an excluded trial stays in the history"
    );
    let excluded = page.trials.iter().find(|t| t.trial == first).unwrap();
    assert!(excluded.excluded);
    assert_eq!(excluded.exclusion_reason, "stumbled on landing");
    assert_eq!(included(h.state()), 5, "the summary leaves it out");
    h.get_by_label_contains("excluded: stumbled on landing");

    // Opening a trial opens its video at that jump.
    let takeoff = h.state().library().page().unwrap().trials[2].takeoff_s;
    h.query_all_by_label("Open").nth(2).unwrap().click();
    step_until(&mut h, "the trial's video", |app| {
        app.view() == View::Analysis
            && app
                .current_entry()
                .is_some_and(|e| e.status == AnalysisStatus::Done)
    });
    h.step();
    let app = h.state();
    let result = app.current_analysis().unwrap();
    let frame_time = result.analysis.signals.t[app.playback().frame];
    assert!(
        (frame_time - takeoff).abs() < 0.05,
        "shown at {frame_time} s, takeoff {takeoff} s"
    );
    assert_eq!(app.playback().selected_jump, 2);

    // Two saved trials compared: the first pick waits, the second opens the comparison of
    // those two jumps (found again in their video by takeoff time).
    h.state_mut().push_command(Command::ShowView(View::Library));
    settle(&mut h);
    let trials: Vec<f64> = h
        .state()
        .library()
        .page()
        .unwrap()
        .trials
        .iter()
        .map(|t| t.takeoff_s)
        .collect();
    // The trials' buttons are the last "Compare" labels (the view switcher has one too).
    let before = h.query_all_by_label("Compare").count() - trials.len();
    h.query_all_by_label("Compare")
        .nth(before + 1)
        .unwrap()
        .click();
    settle(&mut h);
    assert_ne!(
        h.state().view(),
        View::Compare,
        "one pick waits for the other"
    );
    h.get_by_label_contains("press Compare on the other trial");
    h.query_all_by_label("Compare")
        .nth(before + 4)
        .unwrap()
        .click();
    step_until(&mut h, "the comparison", |app| app.view() == View::Compare);
    settle(&mut h);
    let app = h.state();
    let state = app.compare().expect("two jumps are compared");
    let result = app.current_analysis().unwrap();
    for (side, trial) in [(&state.a, 1), (&state.b, 4)] {
        let takeoff = result.analysis.jumps[side.jump.jump]
            .event(hangtime::analysis::EventId::Takeoff)
            .unwrap();
        assert!(
            (takeoff - trials[trial]).abs() < 0.05,
            "trial {trial}: takeoff {takeoff} s, saved {} s",
            trials[trial]
        );
    }
    assert_ne!(state.a.jump, state.b.jump);
    h.get_by_label("B − A");
    h.check_accessibility();
}

#[test]
fn a_name_that_exists_asks_before_a_second_athlete_is_made() {
    let Some(clip) = common::shared_video("sj_oblique_portrait_30fps.mp4") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("athletes.sqlite");
    let cache = PoseCache::at(&dir.path().join("cache"));
    let mut h = harness(vec![clip], &database, &cache);
    step_until(&mut h, "the analysis", |app| {
        app.current_entry()
            .is_some_and(|e| e.status == AnalysisStatus::Done)
    });
    let jumps = h.state().current_analysis().unwrap().analysis.jumps.len();
    assert!(jumps >= 1, "the clip has a jump to assign");
    for round in 0..2 {
        h.state_mut().push_command(Command::ShowAssign);
        settle(&mut h);
        assert!(
            h.state().library().assign_dialog().is_some(),
            "round {round}: the dialog is open"
        );
        h.get_by_label("Athlete").type_text("Sam Lee");
        h.step();
        h.get_by_label("New athlete “Sam Lee”").click();
        settle(&mut h);
        if round == 1 {
            h.get_by_label_contains("An athlete named Sam Lee already exists");
            h.get_by_label("Add to Sam Lee").click();
            settle(&mut h);
        }
    }
    let store = Store::open(&database).unwrap();
    let athletes = store.athletes().unwrap();
    assert_eq!(athletes.len(), 1, "no second Sam Lee without asking");
    assert!(athletes[0].trials >= 1);
}
