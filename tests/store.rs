//! The athlete database: round trips, revisions, deletion, damaged and newer files, the
//! committed first-schema file, and the athlete page's statistics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines,
    reason = "a test fails loudly and reads as one story"
)]

use std::path::{Path, PathBuf};

use hangtime::analysis::{EventId, Interval, JumpKind, Metric, MetricId, Quality};
use hangtime::reliability::{Assessment, SwcSource};
use hangtime::store::{
    AthleteDetails, ClipInput, JumpInput, PageRequest, SessionDetails, Sex, Store, StoreError,
};
use jiff::civil::date;

const HOSTILE: &[&str] = &[
    "Robert'); DROP TABLE athlete;--",
    "\"quoted\" and 'single' and `back`",
    "Zoë Ñúñez-Øvergård 李小龍 🏀",
    "  leading and trailing spaces  ",
    "line one\nline two\ttab",
    "%_ LIKE wildcards \\ backslash",
    "=HYPERLINK(\"http://x\")",
    "NULL",
    "nul\0inside",
];

fn db(dir: &Path) -> PathBuf {
    dir.join("data").join("hangtime.sqlite")
}

fn athlete(name: &str) -> AthleteDetails {
    AthleteDetails {
        name: name.to_owned(),
        ..AthleteDetails::default()
    }
}

/// A CMJ of the given height taking off at `takeoff_s`.
fn jump(index: usize, takeoff_s: f64, height_m: f64) -> JumpInput {
    let flight = (8.0 * height_m / 9.81).sqrt();
    JumpInput {
        index,
        kind: JumpKind::Cmj,
        events: vec![
            (EventId::Takeoff, takeoff_s),
            (EventId::Landing, takeoff_s + flight),
        ],
        takeoff_s,
        landing_s: takeoff_s + flight,
        detected_edges: None,
        automatic: vec![
            Metric {
                id: MetricId::JumpHeight,
                value: height_m,
                interval: Some(Interval {
                    low: height_m - 0.01,
                    high: height_m + 0.01,
                }),
            },
            Metric {
                id: MetricId::FlightTime,
                value: flight,
                interval: None,
            },
        ],
        edited: None,
        quality: Quality {
            score: 0.9,
            warnings: vec!["a warning".to_owned()],
        },
    }
}

fn clip(path: &str, hash: Option<&str>, jumps: Vec<JumpInput>) -> ClipInput {
    ClipInput {
        video_path: PathBuf::from(path),
        video_sha256: hash.map(str::to_owned),
        recorded_at: None,
        hangtime_version: "0.1.0".to_owned(),
        model: "lite".to_owned(),
        settings: serde_json::json!({"kind": "auto", "edges": []}),
        jumps,
    }
}

fn count(path: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn hostile_names_and_notes_round_trip_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let mut ids = Vec::new();
    for name in HOSTILE {
        let details = AthleteDetails {
            name: (*name).to_owned(),
            birth_year: Some(2004),
            sex: Some(Sex::Female),
            standing_height_m: Some(1.71),
            notes: format!("notes: {name}"),
            tags: vec![(*name).to_owned(), "U18".to_owned()],
        };
        let id = store.add_athlete(&details).unwrap();
        let session = store
            .add_session(
                id,
                &SessionDetails {
                    place: (*name).to_owned(),
                    notes: (*name).to_owned(),
                    body_mass_kg: Some(61.5),
                    ..SessionDetails::on(date(2025, 3, 14))
                },
            )
            .unwrap();
        ids.push((id, session, details));
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(count(&path, "athlete"), HOSTILE.len() as i64);
    for (id, session, details) in &ids {
        let back = store.athlete(*id).unwrap().unwrap();
        let mut tags = details.tags.clone();
        tags.sort();
        let mut expected = details.clone();
        expected.tags = tags
            .into_iter()
            .map(|t| t.trim().to_owned())
            .collect::<Vec<_>>();
        expected.tags.sort();
        expected.tags.dedup();
        assert_eq!(back.details, expected);
        assert_eq!(store.athletes_named(&details.name).unwrap().len(), 1);
        let s = store.session(*session).unwrap().unwrap();
        assert_eq!(s.details.place, details.name);
        assert_eq!(s.details.notes, details.name);
    }
    let list = store.athletes().unwrap();
    assert_eq!(list.len(), HOSTILE.len());
    assert!(list.iter().all(|a| a.sessions == 1 && a.trials == 0));
    assert!(store.athletes_named("Robert").unwrap().is_empty());
    assert!(store.athletes_named("%").unwrap().is_empty());
    assert!(matches!(
        Store::open(&path).unwrap().add_athlete(&athlete("   ")),
        Err(StoreError::Invalid(_))
    ));
}

#[test]
fn a_reanalysis_adds_a_revision_matched_by_takeoff_not_by_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let id = store.add_athlete(&athlete("Ada")).unwrap();
    let session = store.session_on(id, date(2025, 3, 14), None).unwrap().id;
    let first = clip(
        "/clips/a.mp4",
        Some("aa"),
        vec![jump(1, 2.00, 0.40), jump(2, 6.00, 0.42)],
    );
    let saved = store.save_clip(session, &first).unwrap();
    assert_eq!((saved.new_trials, saved.new_revisions), (2, 0));
    // The same again: nothing new.
    let again = store.save_clip(session, &first).unwrap();
    assert_eq!((again.new_trials, again.unchanged), (0, 2));
    assert_eq!(count(&path, "revision"), 2);
    // A newer version finds one more jump before the others and times them 30 ms later:
    // indices shift, takeoffs match.
    let mut newer = clip(
        "/clips/a.mp4",
        Some("aa"),
        vec![
            jump(1, 0.50, 0.20),
            jump(2, 2.03, 0.41),
            jump(3, 5.97, 0.42),
        ],
    );
    newer.hangtime_version = "0.2.0".to_owned();
    let re = store.save_clip(session, &newer).unwrap();
    assert_eq!((re.new_trials, re.new_revisions, re.unchanged), (1, 2, 0));
    assert_eq!(re.trials[1], saved.trials[0]);
    assert_eq!(re.trials[2], saved.trials[1]);
    let revisions = store.revisions(saved.trials[0]).unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0].hangtime_version, "0.1.0");
    assert_eq!(revisions[0].jump_index, 1);
    assert_eq!(revisions[1].hangtime_version, "0.2.0");
    assert_eq!(revisions[1].jump_index, 2);
    assert!((revisions[0].automatic[0].value - 0.40).abs() < 1e-12);
    assert!((revisions[1].automatic[0].value - 0.41).abs() < 1e-12);
    // The page shows the latest values.
    let page = store
        .athlete_page(&PageRequest::new(id, MetricId::JumpHeight))
        .unwrap();
    let heights: Vec<f64> = page
        .trials
        .iter()
        .map(|t| t.metric(MetricId::JumpHeight).unwrap())
        .collect();
    assert_eq!(heights, [0.20, 0.41, 0.42]);
    assert_eq!(page.trials[1].revision, 2);
    assert_eq!(page.trials[1].jump_index, 2);
}

#[test]
fn a_moved_video_is_found_by_its_content_and_corrections_keep_the_automatic_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let id = store.add_athlete(&athlete("Ben")).unwrap();
    let session = store.session_on(id, date(2025, 1, 2), Some(80.0)).unwrap();
    assert_eq!(session.details.body_mass_kg, Some(80.0));
    let saved = store
        .save_clip(
            session.id,
            &clip("/old/place/b.mp4", Some("bb"), vec![jump(1, 1.0, 0.40)]),
        )
        .unwrap();
    // The same video at a new path, its jump corrected by hand.
    let mut corrected = jump(1, 1.02, 0.38);
    corrected.detected_edges = Some((1.0, 1.0 + 0.571));
    corrected.automatic = jump(1, 1.0, 0.40).automatic;
    corrected.edited = Some(jump(1, 1.02, 0.38).automatic);
    let moved = store
        .save_clip(
            session.id,
            &clip("/new/place/b.mp4", Some("bb"), vec![corrected]),
        )
        .unwrap();
    assert_eq!(
        moved.video_moved_from.as_deref(),
        Some(Path::new("/old/place/b.mp4"))
    );
    assert_eq!(moved.trials, saved.trials);
    assert_eq!(count(&path, "video"), 1);
    let revisions = store.revisions(saved.trials[0]).unwrap();
    let latest = revisions.last().unwrap();
    assert!((latest.automatic[0].value - 0.40).abs() < 1e-12);
    assert!((latest.edited.as_ref().unwrap()[0].value - 0.38).abs() < 1e-12);
    let page = store
        .athlete_page(&PageRequest::new(id, MetricId::JumpHeight))
        .unwrap();
    let row = &page.trials[0];
    assert!(row.edited);
    assert_eq!(row.video_path, Path::new("/new/place/b.mp4"));
    assert!((row.metric(MetricId::JumpHeight).unwrap() - 0.38).abs() < 1e-12);
    // The session's body mass gives the Sayers power of the corrected height.
    let power = row.metric(MetricId::PeakPowerSayers).unwrap();
    assert!((power - (60.7 * 38.0 + 45.3 * 80.0 - 2055.0)).abs() < 1e-9);
    let per_kg = row.metric(MetricId::PeakPowerPerKgSayers).unwrap();
    assert!((per_kg - power / 80.0).abs() < 1e-12);
}

#[test]
fn deleting_an_athlete_removes_all_their_data_and_nobody_elses() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let gone = store.add_athlete(&athlete("Gone")).unwrap();
    let kept = store.add_athlete(&athlete("Kept")).unwrap();
    for (who, video) in [(gone, "g"), (kept, "k")] {
        for day in 1..=2 {
            let s = store.session_on(who, date(2025, 2, day), None).unwrap().id;
            let name = format!("/v/{video}{day}.mp4");
            let hash = format!("{video}{day}");
            store
                .save_clip(
                    s,
                    &clip(
                        &name,
                        Some(&hash),
                        vec![jump(1, 1.0, 0.4), jump(2, 3.0, 0.41)],
                    ),
                )
                .unwrap();
        }
    }
    let removed = store.delete_athlete(gone).unwrap();
    assert_eq!((removed.sessions, removed.trials), (2, 4));
    assert!(store.athlete(gone).unwrap().is_none());
    assert_eq!(count(&path, "session"), 2);
    assert_eq!(count(&path, "trial"), 4);
    assert_eq!(count(&path, "revision"), 4);
    assert_eq!(count(&path, "metric_value"), 8);
    assert_eq!(count(&path, "video"), 2);
    assert_eq!(store.athletes().unwrap()[0].trials, 4);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_newer_or_foreign_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "delete").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("newer Hangtime") && message.contains("left untouched"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let others = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&others).unwrap();
        conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&others).unwrap();
    let err = Store::open(&others).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert_eq!(std::fs::read(&others).unwrap(), before);
}

#[test]
fn a_damaged_file_is_renamed_aside_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..64 * 1024u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let mut store = Store::open(&path).unwrap();
    let aside = store.set_aside().unwrap().to_path_buf();
    assert_ne!(aside, path);
    assert_eq!(aside.parent(), path.parent());
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("hangtime.sqlite.damaged-")
    );
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);
    // The new database works.
    store.add_athlete(&athlete("Fresh")).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert!(store.set_aside().is_none());
    assert_eq!(store.athletes().unwrap().len(), 1);
}

#[test]
fn another_connections_commit_changes_the_data_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let viewer = Store::open(&path).unwrap();
    let mut writer = Store::open(&path).unwrap();
    let before = viewer.data_version().unwrap();
    assert_eq!(viewer.data_version().unwrap(), before);
    writer.add_athlete(&athlete("New")).unwrap();
    assert_ne!(viewer.data_version().unwrap(), before);
    assert_eq!(viewer.athletes().unwrap().len(), 1);
}

#[test]
fn a_backup_is_a_whole_consistent_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let id = store.add_athlete(&athlete(HOSTILE[2])).unwrap();
    let s = store.session_on(id, date(2025, 5, 1), None).unwrap().id;
    store
        .save_clip(s, &clip("/v/x.mp4", Some("xx"), vec![jump(1, 1.0, 0.45)]))
        .unwrap();
    let target = dir.path().join("backup.sqlite");
    store.backup(&target).unwrap();
    let copy = Store::open(&target).unwrap();
    assert!(copy.check().unwrap().is_empty());
    assert_eq!(copy.athletes().unwrap(), store.athletes().unwrap());
    let page = copy
        .athlete_page(&PageRequest::new(id, MetricId::JumpHeight))
        .unwrap();
    assert_eq!(page.trials.len(), 1);
}

/// Sessions of one athlete with the given jump heights (cm), one clip per session.
fn athlete_with_sessions(
    store: &mut Store,
    name: &str,
    tags: &[&str],
    sessions: &[&[f64]],
) -> hangtime::store::AthleteId {
    let id = store
        .add_athlete(&AthleteDetails {
            name: name.to_owned(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..AthleteDetails::default()
        })
        .unwrap();
    for (day, heights) in sessions.iter().enumerate() {
        let s = store
            .session_on(id, date(2025, 4, 1 + day as i8), None)
            .unwrap()
            .id;
        let jumps = heights
            .iter()
            .enumerate()
            .map(|(i, h)| jump(i + 1, 2.0 * i as f64 + 1.0, h / 100.0))
            .collect();
        let name = format!("/v/{name}-{day}.mp4");
        store.save_clip(s, &clip(&name, None, jumps)).unwrap();
    }
    id
}

#[test]
fn the_athlete_page_judges_the_worked_example_against_the_team() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&db(dir.path())).unwrap();
    let ada = athlete_with_sessions(
        &mut store,
        "Ada",
        &["team"],
        &[&[40.0, 41.0, 42.0], &[43.0, 44.0, 45.0]],
    );
    // Without a team of five: TE alone.
    let page = store
        .athlete_page(&PageRequest::new(ada, MetricId::JumpHeight))
        .unwrap();
    assert_eq!(page.kind, Some(JumpKind::Cmj));
    let Assessment::Assessed {
        typical_error, swc, ..
    } = &page.assessment
    else {
        panic!("{:?}", page.assessment);
    };
    assert!((typical_error.value - 0.01).abs() < 1e-9);
    assert_eq!(swc.source, SwcSource::TypicalErrorOnly);
    // Four teammates whose means with Ada's (42.5 over all her trials) have an SD of 5 cm.
    for (name, mean) in [("B", 37.5), ("C", 47.5), ("D", 37.5), ("E", 47.5)] {
        athlete_with_sessions(&mut store, name, &["team"], &[&[mean]]);
    }
    let page = store
        .athlete_page(&PageRequest::new(ada, MetricId::JumpHeight))
        .unwrap();
    let Assessment::Assessed { swc, .. } = &page.assessment else {
        panic!("{:?}", page.assessment);
    };
    assert!((swc.value - 0.01).abs() < 1e-9, "{swc:?}");
    assert!(matches!(&swc.source, SwcSource::Team { tag, athletes: 5, .. } if tag == "team"));
    let change = page.sessions[1].change.unwrap();
    assert!((change.delta - 0.03).abs() < 1e-9);
    assert!((change.threshold - 0.0160).abs() < 0.00005);
    assert!(change.real);
    let summary = page.sessions[1].summary.unwrap();
    assert_eq!(summary.n, 3);
    assert!((summary.best - 0.45).abs() < 1e-12);
    assert!((summary.mean - 0.44).abs() < 1e-12);
    let best: Vec<bool> = page.trials.iter().map(|t| t.best_of_session).collect();
    assert_eq!(best, [false, false, true, false, false, true]);
    // Excluding a trial changes the summary and leaves one session of two: not enough.
    let trials: Vec<_> = page.trials.iter().map(|t| t.trial).collect();
    store.set_excluded(trials[5], Some("stumbled")).unwrap();
    store.set_excluded(trials[4], Some("arms swung")).unwrap();
    let page = store
        .athlete_page(&PageRequest::new(ada, MetricId::JumpHeight))
        .unwrap();
    assert_eq!(page.sessions[1].summary.unwrap().n, 1);
    assert!((page.sessions[1].summary.unwrap().best - 0.43).abs() < 1e-12);
    assert_eq!(page.trials[5].exclusion_reason, "stumbled");
    assert!(page.trials[5].excluded && !page.trials[5].best_of_session);
    assert_eq!(
        page.assessment,
        Assessment::NotEnoughTrials {
            sessions_with_two_trials: 1
        }
    );
    store.set_excluded(trials[4], None).unwrap();
    let page = store
        .athlete_page(&PageRequest::new(ada, MetricId::JumpHeight))
        .unwrap();
    assert!(matches!(page.assessment, Assessment::Assessed { .. }));
    assert!(!page.trials[4].excluded);
}

/// The committed file of schema 1 (written by the first release's migration): it opens,
/// migrates to the latest schema and reads back what it holds.
#[test]
fn the_first_schema_file_is_migrated_and_reads_back() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store_v1.sqlite");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hangtime.sqlite");
    std::fs::copy(&fixture, &path).unwrap();
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        hangtime::store::LATEST_VERSION as i64
    );
    assert!(store.check().unwrap().is_empty());
    let list = store.athletes().unwrap();
    let names: Vec<&str> = list.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Robert'); DROP TABLE athlete;--", "Zoë 李"]);
    let zoe = &list[1];
    assert_eq!((zoe.sessions, zoe.trials), (2, 4));
    assert_eq!(zoe.tags, ["U18"]);
    let page = store
        .athlete_page(&PageRequest::new(zoe.id, MetricId::JumpHeight))
        .unwrap();
    assert_eq!(page.athlete.details.birth_year, Some(2006));
    assert_eq!(page.athlete.details.sex, Some(Sex::Female));
    assert_eq!(page.sessions[0].session.details.body_mass_kg, Some(58.5));
    let heights: Vec<f64> = page
        .trials
        .iter()
        .map(|t| t.metric(MetricId::JumpHeight).unwrap())
        .collect();
    assert_eq!(heights, [0.40, 0.42, 0.44, 0.46]);
    assert!(page.trials[1].edited);
    assert_eq!(page.trials[3].exclusion_reason, "fell");
    let revisions = store.revisions(page.trials[1].trial).unwrap();
    assert_eq!(revisions.len(), 1);
    assert!((revisions[0].automatic[0].value - 0.43).abs() < 1e-12);
    assert_eq!(
        revisions[0].automatic[0].interval,
        Some(Interval {
            low: 0.42,
            high: 0.44
        })
    );
}

#[test]
fn a_failed_save_leaves_nothing_not_even_the_new_athlete() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let mut store = Store::open(&path).unwrap();
    let good = clip("/v/good.mp4", Some("g1"), vec![jump(1, 1.0, 0.40)]);
    let mut broken = jump(1, 1.0, 0.40);
    broken.automatic[0].value = f64::NAN;
    let bad = clip("/v/bad.mp4", Some("b1"), vec![broken]);
    let new = hangtime::store::AthleteRef::New(athlete("Nobody yet"));
    let clips = [
        hangtime::store::SessionClip {
            date: date(2025, 6, 1),
            body_mass_kg: Some(70.0),
            clip: &good,
        },
        hangtime::store::SessionClip {
            date: date(2025, 6, 2),
            body_mass_kg: None,
            clip: &bad,
        },
    ];
    let err = store.save_for_athlete(&new, &clips).unwrap_err();
    assert!(err.to_string().contains("not a number"), "{err}");
    for table in [
        "athlete",
        "session",
        "trial",
        "revision",
        "metric_value",
        "video",
    ] {
        assert_eq!(count(&path, table), 0, "{table}");
    }
    let (id, reports) = store.save_for_athlete(&new, &clips[..1]).unwrap();
    assert_eq!(reports[0].new_trials, 1);
    assert_eq!(
        store.sessions(id).unwrap()[0].details.body_mass_kg,
        Some(70.0)
    );
}
