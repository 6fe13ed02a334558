// The job queue's tables: step 8 of store/migrations.ts. Released with that list, so a change is
// a new step there, not an edit here. (IF NOT EXISTS: before the step was in the list, tests
// created these tables by hand; a development database made then still migrates.)

export const JOBS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    params          TEXT    NOT NULL,            -- JSON, as given
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL,
    next_attempt_at TEXT,                        -- ISO-8601 UTC, set while failed
    last_error      TEXT,
    total           INTEGER NOT NULL DEFAULT 0,  -- items planned
    done            INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0,
    items_per_second REAL,
    eta_seconds     REAL,
    -- Starts at a processor start that found the job running without a clean stop, since its
    -- last finished item: a job that takes the processor down with it stops being resumed.
    crashes         INTEGER NOT NULL DEFAULT 0,
    -- Set when the processor stopped cleanly mid-job: the next start resumes it, no crash counted.
    paused          INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL,
    started_at      TEXT,
    updated_at      TEXT    NOT NULL,
    finished_at     TEXT,
    result          TEXT                         -- JSON
  );
  CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, id);

  -- One row per item tried: done items are skipped when the job resumes; failed ones keep their
  -- reason until the item is tried again. The key makes recording an item idempotent.
  CREATE TABLE IF NOT EXISTS job_items (
    job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    item_key TEXT    NOT NULL,
    state    TEXT    NOT NULL CHECK (state IN ('done', 'failed')),
    reason   TEXT,
    at       TEXT    NOT NULL,                  -- ISO-8601 UTC
    PRIMARY KEY (job_id, item_key)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS job_items_by_time ON job_items (at);
`;
