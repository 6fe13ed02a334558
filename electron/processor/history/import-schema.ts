// The history-import job's own table, as one migration step (store/migrations.ts, step 10): what
// became of each day a job imported, written in the same transaction as the day's rows and its
// done mark, so the job's result summary (imported, skipped, replaced, sources, bytes) counts
// every day exactly once, also across a crash and a resume. Removed with its job (dismiss).
export const HISTORY_IMPORT_SCHEMA = `
  CREATE TABLE history_import_days (
    job_id     INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    trade_date TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('imported', 'skipped-identical', 'replaced')),
    source     TEXT    NOT NULL,             -- 'folder' or 'nse'
    from_cache INTEGER NOT NULL,             -- 1: read from the download cache, not downloaded
    bytes      INTEGER NOT NULL,             -- the file as read or downloaded (the zip when zipped)
    PRIMARY KEY (job_id, trade_date)
  ) WITHOUT ROWID;
`;
