-- Indexes for the queries behind the athlete list, the athlete page and a save (measured with
-- examples/store_bench.rs on 1 000 athletes and 50 000 trials); the ones on child rows also
-- let deleting an athlete find their sessions, trials and revisions without scanning.
CREATE INDEX session_by_athlete ON session (athlete_id, date);
CREATE INDEX trial_by_session ON trial (session_id);
CREATE INDEX trial_by_video_takeoff ON trial (video_id, detected_takeoff_s);
CREATE INDEX athlete_by_name ON athlete (name);
CREATE INDEX athlete_tag_by_tag ON athlete_tag (tag, athlete_id);
CREATE INDEX video_by_path ON video (path);
