//! The athletes library: the app's side of the local database. It keeps the athlete list and
//! the open athlete page, queried only when something changed (a save here, or another
//! program such as the command line committing to the same file, seen through SQLite's
//! `data_version`), and the state of its dialogs (assigning jumps, excluding a trial,
//! deleting an athlete).

mod assign;
mod view;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::analysis::MetricId;
use crate::store::{
    AthleteDetails, AthleteId, AthletePage, AthleteRef, AthleteSummary, ClipInput, PageRequest,
    SessionClip, Store, TrialId, content_hash, describe_save, recording_date, today,
};

use super::HangtimeApp;
use super::commands::View;
use super::toasts::Toasts;

pub use assign::AssignDialog;
pub use view::CHANGE_RULES;

/// How often the database is asked whether another program changed it.
const CHANGE_CHECK_INTERVAL: Duration = Duration::from_millis(500);

/// Who the jumps are assigned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssignTarget {
    /// An athlete already in the database.
    Existing(AthleteId),
    /// A new athlete of this name.
    New {
        /// The name as typed.
        name: String,
        /// The person confirmed a second athlete of a name that exists.
        confirmed: bool,
    },
}

/// What the library's widgets ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum LibraryCommand {
    /// Show this athlete's page.
    SelectAthlete(AthleteId),
    /// Summarise and judge this metric.
    SetMetric(MetricId),
    /// A smallest worthwhile change set by the user, in the metric's stored unit.
    SetUserSwc(Option<f64>),
    /// Save the open clip's jumps (by 0-based index) for an athlete.
    Assign {
        /// Whose jumps they are.
        target: AssignTarget,
        /// Which jumps of the clip.
        jumps: Vec<usize>,
        /// The athlete's body mass that day, in kg.
        body_mass_kg: Option<f64>,
    },
    /// Close the assign dialog.
    CloseAssign,
    /// Leave a trial out of the statistics with a reason (`None`: take it back in).
    SetExcluded {
        /// The trial.
        trial: TrialId,
        /// Why; `None` includes it again.
        reason: Option<String>,
    },
    /// Ask for a reason to exclude this trial (`None` closes the question).
    AskExclude(Option<TrialId>),
    /// Open a trial's video at its jump.
    OpenTrial {
        /// The video's last known path.
        path: PathBuf,
        /// Takeoff time of the jump in the video.
        takeoff_s: f64,
    },
    /// Pick a saved trial for comparison: the first pick waits for a second, the second opens
    /// both videos and compares the two jumps once they are analysed.
    CompareTrial(SavedJump),
    /// Ask to confirm deleting an athlete (`None` closes the question).
    AskDelete(Option<AthleteId>),
    /// Delete an athlete with every session and trial (confirmed).
    DeleteAthlete(AthleteId),
}

/// A saved trial's jump, found again in its video.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedJump {
    /// The video's last known path.
    pub path: PathBuf,
    /// Takeoff time of the jump in the video.
    pub takeoff_s: f64,
    /// How the trial is named to the user, e.g. "2026-12-01 multi6.mp4 #2".
    pub label: String,
    /// Whether its saved values carry a correction by hand (the video's analysis does not).
    pub edited: bool,
}

/// The library as the app keeps it.
pub struct LibraryState {
    path: Option<PathBuf>,
    store: Option<Store>,
    /// Why the database cannot be used, or what happened when opening it; told once.
    opening_note: Option<(bool, String)>,
    unavailable: Option<String>,
    data_version: Option<i64>,
    last_check: Option<Instant>,
    dirty: bool,
    athletes: Vec<AthleteSummary>,
    /// The athlete list's filter, as typed.
    pub search: String,
    selected: Option<AthleteId>,
    metric: MetricId,
    user_swc: Option<f64>,
    /// The SWC field, as typed.
    pub swc_text: String,
    page: Option<AthletePage>,
    assign: Option<AssignDialog>,
    excluding: Option<(TrialId, String)>,
    deleting: Option<AthleteId>,
    pending_open: Option<(PathBuf, f64)>,
    /// The first saved trial picked for comparison.
    compare_pick: Option<SavedJump>,
    /// Two saved trials whose videos are being opened to be compared.
    pending_compare: Option<[SavedJump; 2]>,
    last_query: Duration,
    queries: usize,
    tried: bool,
}

impl std::fmt::Debug for LibraryState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryState")
            .field("path", &self.path)
            .field("athletes", &self.athletes.len())
            .field("selected", &self.selected)
            .finish_non_exhaustive()
    }
}

impl LibraryState {
    /// The library of the database at `path` (`None`: the user's, in the data folder).
    pub fn new(path: Option<PathBuf>) -> Self {
        let path = path.or_else(Store::user_path);
        let mut state = Self {
            path,
            store: None,
            opening_note: None,
            unavailable: None,
            data_version: None,
            last_check: None,
            dirty: true,
            athletes: Vec::new(),
            search: String::new(),
            selected: None,
            metric: MetricId::JumpHeight,
            user_swc: None,
            swc_text: String::new(),
            page: None,
            assign: None,
            excluding: None,
            deleting: None,
            pending_open: None,
            compare_pick: None,
            pending_compare: None,
            last_query: Duration::ZERO,
            queries: 0,
            tried: false,
        };
        if state.path.is_none() {
            state.ensure_open();
        }
        state
    }

    /// Opens the database the first time it is needed: an app that never uses the library
    /// never creates one.
    pub(super) fn ensure_open(&mut self) {
        if std::mem::replace(&mut self.tried, true) {
            return;
        }
        let Some(path) = self.path.clone() else {
            self.unavailable = Some(
                "There is no data folder on this system, so athletes cannot be kept (set HANGTIME_DATA_DIR)."
                    .to_owned(),
            );
            return;
        };
        match Store::open(&path) {
            Ok(store) => {
                if let Some(aside) = store.set_aside() {
                    self.opening_note = Some((
                        true,
                        format!(
                            "The athletes database was damaged; it was moved to {} and a new one started.",
                            aside.display()
                        ),
                    ));
                }
                // Changes are what comes after this; the first query runs anyway.
                self.data_version = store.data_version().ok();
                self.store = Some(store);
            }
            Err(e) => {
                let message = format!("The athletes database cannot be used: {e}.");
                self.opening_note = Some((true, message.clone()));
                self.unavailable = Some(message);
            }
        }
    }

    /// Whether the database can be used (as far as is known before it is first opened).
    pub fn is_available(&self) -> bool {
        self.unavailable.is_none()
    }

    /// Why it cannot be used.
    pub fn unavailable_reason(&self) -> Option<&str> {
        self.unavailable.as_deref()
    }

    /// Every athlete, by name.
    pub fn athletes(&self) -> &[AthleteSummary] {
        &self.athletes
    }

    /// The athlete page shown.
    pub fn page(&self) -> Option<&AthletePage> {
        self.page.as_ref()
    }

    /// The assign dialog, when open.
    pub fn assign_dialog(&self) -> Option<&AssignDialog> {
        self.assign.as_ref()
    }

    /// How long the last refresh's queries took, and how many refreshes ran.
    pub fn query_stats(&self) -> (Duration, usize) {
        (self.last_query, self.queries)
    }

    /// Opens the database if need be and queries again at the next poll.
    pub fn refresh_soon(&mut self) {
        self.ensure_open();
        self.dirty = true;
    }

    pub(super) fn show_assign(&mut self, jumps: usize) {
        self.ensure_open();
        if jumps > 0 && self.store.is_some() {
            self.assign = Some(AssignDialog::new(jumps));
        }
    }

    /// Tells what opening found, notices other programs' saves, and queries again when
    /// anything changed.
    pub fn poll(&mut self, toasts: &mut Toasts) {
        if let Some((error, note)) = self.opening_note.take() {
            if error {
                toasts.error(note);
            } else {
                toasts.info(note);
            }
        }
        let Some(store) = &self.store else { return };
        let due = self
            .last_check
            .is_none_or(|t| t.elapsed() >= CHANGE_CHECK_INTERVAL);
        if due {
            self.last_check = Some(Instant::now());
            if let Ok(version) = store.data_version()
                && self.data_version.replace(version) != Some(version)
            {
                self.dirty = true;
            }
        }
        if self.dirty {
            self.dirty = false;
            self.query(toasts);
        }
    }

    /// Runs the queries behind the list and the page.
    fn query(&mut self, toasts: &mut Toasts) {
        let Some(store) = &self.store else { return };
        let started = Instant::now();
        match store.athletes() {
            Ok(list) => self.athletes = list,
            Err(e) => toasts.error(format!("The athletes could not be read: {e}.")),
        }
        if self
            .selected
            .is_some_and(|id| !self.athletes.iter().any(|a| a.id == id))
        {
            self.selected = None;
        }
        self.page = self.selected.and_then(|athlete| {
            let request = PageRequest {
                user_swc: self.user_swc,
                ..PageRequest::new(athlete, self.metric)
            };
            match store.athlete_page(&request) {
                Ok(page) => Some(page),
                Err(e) => {
                    toasts.error(format!("The athlete's page could not be read: {e}."));
                    None
                }
            }
        });
        self.last_query = started.elapsed();
        self.queries += 1;
    }

    /// The athletes whose name contains the search text (any case).
    pub fn filtered(&self) -> Vec<&AthleteSummary> {
        let needle = self.search.trim().to_lowercase();
        self.athletes
            .iter()
            .filter(|a| needle.is_empty() || a.name.to_lowercase().contains(&needle))
            .collect()
    }
}

impl HangtimeApp {
    pub(super) fn run_library_command(&mut self, command: LibraryCommand) {
        let library = &mut self.library;
        match command {
            LibraryCommand::SelectAthlete(id) => {
                library.selected = Some(id);
                library.dirty = true;
            }
            LibraryCommand::SetMetric(metric) => {
                library.metric = metric;
                library.dirty = true;
            }
            LibraryCommand::SetUserSwc(swc) => {
                library.user_swc = swc;
                library.dirty = true;
            }
            LibraryCommand::Assign {
                target,
                jumps,
                body_mass_kg,
            } => self.assign(&target, &jumps, body_mass_kg),
            LibraryCommand::CloseAssign => library.assign = None,
            LibraryCommand::AskExclude(trial) => {
                library.excluding = trial.map(|t| (t, String::new()));
            }
            LibraryCommand::SetExcluded { trial, reason } => {
                library.excluding = None;
                if let Some(store) = library.store.as_mut() {
                    match store.set_excluded(trial, reason.as_deref()) {
                        Ok(()) => library.dirty = true,
                        Err(e) => self
                            .toasts
                            .error(format!("The trial could not be changed: {e}.")),
                    }
                }
            }
            LibraryCommand::OpenTrial { path, takeoff_s } => {
                if path.exists() {
                    library.pending_open = Some((path.clone(), takeoff_s));
                    self.commands.push(super::Command::Open(path));
                } else {
                    self.toasts.error(format!(
                        "The video is no longer at {}. Open it from where it is now; its trials are found again by its content when it is assigned.",
                        path.display()
                    ));
                }
            }
            LibraryCommand::CompareTrial(picked) => self.pick_saved_for_compare(picked),
            LibraryCommand::AskDelete(id) => library.deleting = id,
            LibraryCommand::DeleteAthlete(id) => {
                library.deleting = None;
                if let Some(store) = library.store.as_mut() {
                    match store.delete_athlete(id) {
                        Ok(removed) => {
                            library.dirty = true;
                            self.toasts.success(format!(
                                "Deleted the athlete with {} session{} and {} trial{}.",
                                removed.sessions,
                                if removed.sessions == 1 { "" } else { "s" },
                                removed.trials,
                                if removed.trials == 1 { "" } else { "s" },
                            ));
                        }
                        Err(e) => self
                            .toasts
                            .error(format!("The athlete could not be deleted: {e}.")),
                    }
                }
            }
        }
    }

    /// Saves the chosen jumps of the clip shown for an athlete, in one transaction.
    fn assign(&mut self, target: &AssignTarget, jumps: &[usize], body_mass_kg: Option<f64>) {
        let Some(video) = self
            .current
            .and_then(|i| self.entries.get(i))
            .and_then(|e| e.result.as_deref())
        else {
            return;
        };
        let Some(store) = self.library.store.as_mut() else {
            return;
        };
        let athlete = match target {
            AssignTarget::Existing(id) => AthleteRef::Existing(*id),
            AssignTarget::New { name, confirmed } => {
                let name = name.trim();
                if name.is_empty() {
                    return;
                }
                if !confirmed {
                    match store.athletes_named(name) {
                        Ok(same) if !same.is_empty() => {
                            if let Some(dialog) = self.library.assign.as_mut() {
                                dialog.ask_duplicate(name, same.iter().map(|a| a.id).collect());
                            }
                            return;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.toasts
                                .error(format!("The athletes could not be read: {e}."));
                            return;
                        }
                    }
                }
                AthleteRef::New(AthleteDetails {
                    name: name.to_owned(),
                    ..AthleteDetails::default()
                })
            }
        };
        let path = &video.info.path;
        let mut clip =
            ClipInput::from_analysis(video, content_hash(path), crate::video::recorded_at(path));
        let all = clip.jumps.len();
        clip.jumps = std::mem::take(&mut clip.jumps)
            .into_iter()
            .enumerate()
            .filter_map(|(i, j)| jumps.contains(&i).then_some(j))
            .collect();
        let kept = clip.jumps.len();
        if clip.jumps.is_empty() {
            self.toasts.error("Choose at least one jump to assign.");
            return;
        }
        let date = recording_date(path).unwrap_or_else(today);
        let session = SessionClip {
            date,
            body_mass_kg,
            clip: &clip,
        };
        match store.save_for_athlete(&athlete, &[session]) {
            Ok((id, reports)) => {
                let name = store
                    .athlete(id)
                    .ok()
                    .flatten()
                    .map_or_else(String::new, |a| a.details.name);
                let what = reports.first().map(describe_save).unwrap_or_default();
                let of = if kept == all {
                    String::new()
                } else {
                    format!(" ({kept} of {all} jumps)")
                };
                self.toasts
                    .success(format!("Saved for {name}, session {date}{of}: {what}."));
                self.library.assign = None;
                self.library.selected = Some(id);
                self.library.dirty = true;
            }
            Err(e) => self.toasts.error(format!(
                "The jumps could not be saved; nothing was changed: {e}."
            )),
        }
    }

    /// After a trial was opened from the library: once its video is analysed, show the jump.
    pub(super) fn apply_pending_open(&mut self) {
        let Some((path, takeoff_s)) = self.library.pending_open.clone() else {
            return;
        };
        let Some(entry) = self.current.and_then(|i| self.entries.get(i)) else {
            return;
        };
        if entry.path != path {
            return;
        }
        if !entry.is_busy() {
            self.library.pending_open = None;
        }
        let Some(result) = entry.result.as_deref() else {
            return;
        };
        let analysis = &result.analysis;
        let jump = nearest_jump(&analysis.jumps, takeoff_s);
        let frame = crate::analysis::nearest_frame(&analysis.signals.t, takeoff_s);
        let times = analysis.signals.t.clone();
        self.view = View::Analysis;
        if let Some(j) = jump {
            self.playback.selected_jump = j;
        }
        self.playback.seek(frame, &times);
    }

    /// The first saved trial picked waits; the second opens both videos (each analysed once,
    /// or shown if open already) to compare the two jumps.
    fn pick_saved_for_compare(&mut self, picked: SavedJump) {
        let Some(first) = self.library.compare_pick.take().filter(|f| *f != picked) else {
            self.toasts.info(format!(
                "Comparing {}: press Compare on the other trial.",
                picked.label
            ));
            self.library.compare_pick = Some(picked);
            return;
        };
        if let Some(missing) = [&first, &picked].into_iter().find(|j| !j.path.exists()) {
            self.toasts.error(format!(
                "The video of {} is no longer at {}. Open it from where it is now.",
                missing.label,
                missing.path.display()
            ));
            return;
        }
        let edited: Vec<&str> = [&first, &picked]
            .into_iter()
            .filter(|j| j.edited)
            .map(|j| j.label.as_str())
            .collect();
        if !edited.is_empty() {
            self.toasts.info(format!(
                "{} was corrected by hand when saved; the comparison shows its video's own analysis (correct it again with T / L).",
                edited.join(" and ")
            ));
        }
        for path in [&first.path, &picked.path] {
            self.commands.push(super::Command::Open(path.clone()));
        }
        self.library.pending_compare = Some([first, picked]);
    }

    /// Once both saved trials picked for comparison are analysed, compares their jumps.
    pub(super) fn apply_pending_compare(&mut self) {
        let Some(picked) = self.library.pending_compare.clone() else {
            return;
        };
        let mut found = Vec::with_capacity(2);
        for saved in &picked {
            let Some(entry) = self.entries.iter().position(|e| e.path == saved.path) else {
                return;
            };
            let e = &self.entries[entry];
            if e.is_busy() {
                return;
            }
            let jump = e
                .result
                .as_deref()
                .and_then(|r| nearest_jump(&r.analysis.jumps, saved.takeoff_s));
            let Some(jump) = jump else {
                self.library.pending_compare = None;
                self.toasts.error(format!(
                    "{} could not be found again in its video, so the two trials are not compared.",
                    saved.label
                ));
                return;
            };
            found.push(super::compare::JumpRef { entry, jump });
        }
        self.library.pending_compare = None;
        if let [a, b] = found[..] {
            self.start_compare(a, b);
        }
    }
}

/// The jump whose takeoff is nearest a saved takeoff time.
fn nearest_jump(jumps: &[crate::analysis::Jump], takeoff_s: f64) -> Option<usize> {
    jumps
        .iter()
        .enumerate()
        .filter_map(|(i, j)| {
            Some((
                i,
                (j.event(crate::analysis::EventId::Takeoff)? - takeoff_s).abs(),
            ))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}
