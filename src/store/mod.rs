//! The local database of athletes, sessions and trials (SQLite, in one file).
//!
//! A layer beside `report`: it stores what the analysis found and reads it back as plain
//! structs for the command line and the app; it knows nothing of either. The caller gives the
//! file's path ([`Store::user_path`] is for the edges to call).
//!
//! - **Safe to share.** WAL journal, `synchronous=FULL`, foreign keys on, and a busy timeout, so
//!   the app and the command line can use one file at once; [`Store::data_version`] changes
//!   when another connection commits, so a view knows when to read again.
//! - **Every save is one transaction**: a process killed at any moment leaves whole trials or
//!   none.
//! - **Versioned schema** (`rusqlite_migration`, the version in `PRAGMA user_version`; see
//!   `docs/STORAGE.md`). A database from a newer Hangtime is refused and left untouched; a file
//!   that is not a database (damaged) is renamed aside, never deleted, and a new one started.
//! - **Parameterised queries only**: names and notes are free text.

mod athletes;
mod clip;
mod page;
mod save;
mod schema;

pub mod model;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use clip::{content_hash, describe_save, recording_date, today};
pub use model::{
    Athlete, AthleteDetails, AthleteId, AthleteSummary, Removed, Session, SessionDetails,
    SessionId, Sex, TrialId,
};
pub use page::{AthletePage, HistoryRow, PageRequest, Revision, SessionRow};
pub use save::{AthleteRef, ClipInput, JumpInput, SaveReport, SessionClip, settings_json};
pub use schema::LATEST_VERSION;

/// The database's file name in the data folder.
pub const FILE_NAME: &str = "hangtime.sqlite";
/// How long a write waits for another process's write to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// `PRAGMA application_id` of a Hangtime database ("Hang").
const APPLICATION_ID: i64 = 0x4861_6E67;

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Written by a newer Hangtime.
    #[error(
        "the database {path} was written by a newer Hangtime (schema {found}; this one knows up to {known}) and was left untouched; update Hangtime to use it"
    )]
    Newer {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: usize,
    },
    /// Another program's SQLite file.
    #[error("{path} is not a Hangtime database; it was left untouched")]
    Foreign {
        /// The SQLite file that is not Hangtime's.
        path: PathBuf,
    },
    /// The file or its folder cannot be opened.
    #[error("the database {path} could not be opened: {reason}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// The system's reason, for the message.
        reason: String,
    },
    /// A damaged file could not be moved out of the way.
    #[error("the database {path} is damaged and could not be moved aside: {reason}")]
    SetAside {
        /// The damaged database file.
        path: PathBuf,
        /// Why the rename failed, for the message.
        reason: String,
    },
    /// A schema migration failed (nothing of it was applied).
    #[error("the database {path} could not be brought up to date: {reason}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The migration's error, for the message.
        reason: String,
    },
    /// Input that cannot be stored.
    #[error("{0}")]
    Invalid(String),
    /// An athlete, session or trial that does not exist (any more).
    #[error("{0} was not found in the database")]
    NotFound(String),
    /// A backup could not be written.
    #[error("the backup could not be written to {path}: {reason}")]
    Backup {
        /// Where the copy was to go.
        path: PathBuf,
        /// Why it could not be written, for the message.
        reason: String,
    },
    /// Any other database failure.
    #[error("the database could not be read or written ({0})")]
    Sqlite(#[from] rusqlite::Error),
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    set_aside: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("set_aside", &self.set_aside)
            .finish_non_exhaustive()
    }
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

impl Store {
    /// The database file in the user's data folder (`HANGTIME_DATA_DIR` overrides), or `None`
    /// on a system without one. Only the edges (command line, app start-up) call this.
    pub fn user_path() -> Option<PathBuf> {
        crate::folders::data_dir().map(|dir| dir.join(FILE_NAME))
    }

    /// Opens (or creates) the database at `path` and brings its schema up to date. A damaged
    /// file is renamed aside (see [`Store::set_aside`]) and a new database started.
    ///
    /// # Errors
    /// A newer schema or another program's database (both left untouched), an unusable
    /// folder, or a failed migration (rolled back).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
        match Self::open_checked(path) {
            Err(Opening::Damaged) => {
                let aside = set_aside(path)?;
                let mut store = Self::open_checked(path).map_err(|e| e.into_error(path))?;
                store.set_aside = Some(aside);
                Ok(store)
            }
            other => other.map_err(|e| e.into_error(path)),
        }
    }

    fn open_checked(path: &Path) -> Result<Self, Opening> {
        if path.is_dir() {
            return Err(Opening::Failed(StoreError::Open {
                path: path.to_path_buf(),
                reason: "it is a folder".to_owned(),
            }));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(Opening::from)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(Opening::from)?;
        // Read before anything is written: a newer or foreign database stays as it was.
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(Opening::from)?;
        let application_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(Opening::from)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(Opening::from)?;
        let ours = application_id == APPLICATION_ID || (application_id == 0 && tables == 0);
        if !ours {
            return Err(Opening::Failed(StoreError::Foreign {
                path: path.to_path_buf(),
            }));
        }
        if version > LATEST_VERSION as i64 {
            return Err(Opening::Failed(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
                known: LATEST_VERSION,
            }));
        }
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
            .map_err(Opening::from)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Opening::Failed(StoreError::Open {
                path: path.to_path_buf(),
                reason: format!("its journal cannot be switched to WAL (it stays {mode})"),
            }));
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(Opening::from)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(Opening::from)?;
        schema::migrate(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } if is_damage(&err) => {
                Opening::Damaged
            }
            e => Opening::Failed(StoreError::Migration {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        })?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            set_aside: None,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where a damaged file found at opening was moved (`None` when it was fine).
    pub fn set_aside(&self) -> Option<&Path> {
        self.set_aside.as_deref()
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// A database failure.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// A number that changes whenever another connection (another process, or another
    /// `Store` on the same file) commits a change; a view reads again when it changed.
    ///
    /// # Errors
    /// A database failure.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Runs SQLite's integrity and foreign-key checks; an empty list means the file is sound.
    ///
    /// # Errors
    /// A database failure that prevents the check itself.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in stmt.query_map([], |r| {
            Ok(format!(
                "a row of {} refers to a missing row of {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(2)?
            ))
        })? {
            problems.push(row?);
        }
        Ok(problems)
    }

    /// Writes a consistent copy of the database to `target` with SQLite's online backup
    /// (other connections may keep writing meanwhile); the copy appears whole or not at all.
    ///
    /// # Errors
    /// When the target cannot be written.
    pub fn backup(&self, target: &Path) -> Result<(), StoreError> {
        let fail = |reason: String| StoreError::Backup {
            path: target.to_path_buf(),
            reason,
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".hangtime-backup-")
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(|e| fail(e.to_string()))?;
        {
            let mut copy = Connection::open(tmp.path()).map_err(|e| fail(e.to_string()))?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)
                .map_err(|e| fail(e.to_string()))?;
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .map_err(|e| fail(e.to_string()))?;
            drop(backup);
            // One self-contained file: no WAL beside the copy.
            copy.pragma_update(None, "journal_mode", "delete")
                .map_err(|e| fail(e.to_string()))?;
        }
        tmp.as_file().sync_all().map_err(|e| fail(e.to_string()))?;
        tmp.persist(target).map_err(|e| fail(e.error.to_string()))?;
        Ok(())
    }
}

/// How an opening attempt ended when it did not give a store.
enum Opening {
    Damaged,
    Failed(StoreError),
}

impl From<rusqlite::Error> for Opening {
    fn from(e: rusqlite::Error) -> Self {
        if is_damage(&e) {
            Self::Damaged
        } else {
            Self::Failed(StoreError::Sqlite(e))
        }
    }
}

impl Opening {
    fn into_error(self, path: &Path) -> StoreError {
        match self {
            Self::Damaged => StoreError::SetAside {
                path: path.to_path_buf(),
                reason: "a new database in its place is damaged too".to_owned(),
            },
            Self::Failed(e) => e,
        }
    }
}

/// Renames a damaged database (and its WAL and shared-memory files) to
/// `<name>.damaged-<UTC time>[-n]` beside it; returns the new name of the database file.
fn set_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let fail = |reason: String| StoreError::SetAside {
        path: path.to_path_buf(),
        reason,
    };
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let name = path
        .file_name()
        .map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy().into_owned());
    let with_suffix = |base: &str, suffix: &str| path.with_file_name(format!("{base}{suffix}"));
    let mut n = 0;
    let target_base = loop {
        let base = if n == 0 {
            format!("{name}.damaged-{stamp}")
        } else {
            format!("{name}.damaged-{stamp}-{n}")
        };
        if !with_suffix(&base, "").exists() {
            break base;
        }
        n += 1;
    };
    for suffix in ["-wal", "-shm"] {
        let side = with_suffix(&name, suffix);
        if side.exists() {
            std::fs::rename(&side, with_suffix(&target_base, suffix))
                .map_err(|e| fail(e.to_string()))?;
        }
    }
    let target = with_suffix(&target_base, "");
    std::fs::rename(path, &target).map_err(|e| fail(e.to_string()))?;
    tracing::warn!("damaged database moved to {}", target.display());
    Ok(target)
}

/// The current UTC time as stored (RFC 3339).
fn now() -> String {
    jiff::Timestamp::now().to_string()
}
