-- Hangtime's first schema. Times are seconds from the video's first displayed frame; metric
-- values are in the catalogue's stored (SI) units under the catalogue's keys; dates are
-- ISO 8601 text (YYYY-MM-DD), instants RFC 3339 text in UTC.

-- "Hang" in ASCII: tells a Hangtime database from any other SQLite file.
PRAGMA application_id = 1214344807;

CREATE TABLE athlete (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    birth_year INTEGER,
    sex TEXT CHECK (sex IN ('female', 'male', 'other')),
    standing_height_m REAL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Team and group tags; athletes sharing a tag give the smallest worthwhile change.
CREATE TABLE athlete_tag (
    athlete_id INTEGER NOT NULL REFERENCES athlete (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (athlete_id, tag)
) WITHOUT ROWID;

-- One athlete's testing on one day.
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athlete (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    body_mass_kg REAL,
    created_at TEXT NOT NULL
);

-- A video file, known by its content: a moved file is found again by its SHA-256. The hash is
-- NULL for a video that was not at hand when its trials were stored (an imported report).
CREATE TABLE video (
    id INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE,
    path TEXT NOT NULL,
    recorded_at TEXT
);

-- One jump of one video, assigned to one athlete's session. Its numbers live in revisions.
CREATE TABLE trial (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    video_id INTEGER NOT NULL REFERENCES video (id),
    -- The automatic takeoff of the latest revision: a re-analysis finds the trial by it.
    detected_takeoff_s REAL NOT NULL,
    latest_revision INTEGER NOT NULL,
    excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
    exclusion_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- One analysis of a trial. A re-analysis that changes anything adds a revision; none is ever
-- rewritten.
CREATE TABLE revision (
    id INTEGER PRIMARY KEY,
    trial_id INTEGER NOT NULL REFERENCES trial (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    hangtime_version TEXT NOT NULL,
    model TEXT NOT NULL,
    -- JSON: the analysis settings it was run with.
    settings TEXT NOT NULL,
    jump_index INTEGER NOT NULL,
    kind TEXT NOT NULL,
    takeoff_s REAL NOT NULL,
    landing_s REAL NOT NULL,
    -- The automatic edges; equal to takeoff_s and landing_s unless edited.
    detected_takeoff_s REAL NOT NULL,
    detected_landing_s REAL NOT NULL,
    edited INTEGER NOT NULL CHECK (edited IN (0, 1)),
    -- JSON: event key -> time in seconds.
    events TEXT NOT NULL,
    quality_score REAL NOT NULL,
    -- JSON: the quality warnings.
    warnings TEXT NOT NULL,
    -- SHA-256 of everything above except the time: an identical re-save adds nothing.
    fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (trial_id, number)
);

-- Every metric of a revision: the automatic value (edited = 0) and, for a hand-corrected
-- jump, the corrected one (edited = 1), each with its 95 % interval where it has one.
CREATE TABLE metric_value (
    revision_id INTEGER NOT NULL REFERENCES revision (id) ON DELETE CASCADE,
    edited INTEGER NOT NULL CHECK (edited IN (0, 1)),
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    ci_low REAL,
    ci_high REAL,
    PRIMARY KEY (revision_id, edited, metric)
) WITHOUT ROWID;
