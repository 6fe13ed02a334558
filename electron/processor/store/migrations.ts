// Schema migrations, applied in order; PRAGMA user_version records how far a database has come.
// Append new steps; never edit a released one.
import type Database from 'better-sqlite3';
import { encodeBoard, type BoardQuote } from './quote-board';
import { JOBS_SCHEMA } from '../jobs/schema';
import { HISTORY_SCHEMA } from '../history/store/schema';
import { HISTORY_IMPORT_SCHEMA } from '../history/import-schema';

/** A step is SQL, or a function when the data must be reshaped in JS. */
export type Migration = string | ((db: Database.Database) => void);

export const MIGRATIONS: ReadonlyArray<Migration> = [
  // 1: snapshots, ticks, the latest quote per symbol, day summaries and the run log.
  `
  CREATE TABLE snapshots (
    id            INTEGER PRIMARY KEY,
    trade_date    TEXT    NOT NULL,
    poll_time     TEXT    NOT NULL,           -- ISO-8601 UTC
    advances      INTEGER NOT NULL,
    declines      INTEGER NOT NULL,
    unchanged     INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    adv_pct       REAL    NOT NULL,
    decl_pct      REAL    NOT NULL,
    unch_pct      REAL    NOT NULL,
    ad_diff       INTEGER NOT NULL,
    ad_ratio      REAL,                       -- null when there are no declines
    up_volume     REAL,
    down_volume   REAL,
    volume_ratio  REAL,
    sentiment     TEXT    NOT NULL,
    universe      INTEGER NOT NULL,
    priced        INTEGER NOT NULL,
    missing       INTEGER NOT NULL,
    unknown       INTEGER NOT NULL,
    rejected      INTEGER NOT NULL,
    missing_symbols TEXT  NOT NULL,           -- JSON array
    unknown_symbols TEXT  NOT NULL,           -- JSON array
    UNIQUE (trade_date, poll_time)            -- also serves a day's series and the latest snapshot
  );

  -- Only symbols whose price or volume changed since their previous tick: a day stays small.
  CREATE TABLE ticks (
    trade_date  TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    ltp         REAL    NOT NULL,
    ref_price   REAL    NOT NULL,
    change_pct  REAL    NOT NULL,
    volume      REAL,
    PRIMARY KEY (trade_date, symbol, snapshot_id)
  ) WITHOUT ROWID;
  CREATE INDEX ticks_by_snapshot ON ticks (snapshot_id);

  -- The stock table: each symbol's latest quote of the day, upserted with the ticks.
  CREATE TABLE latest_quotes (
    trade_date  TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    ltp         REAL    NOT NULL,
    ref_price   REAL    NOT NULL,
    change      REAL    NOT NULL,
    change_pct  REAL    NOT NULL,
    status      TEXT    NOT NULL,
    volume      REAL,
    open        REAL,
    high        REAL,
    low         REAL,
    sector      TEXT,
    time        TEXT,
    PRIMARY KEY (trade_date, symbol)
  ) WITHOUT ROWID;
  CREATE INDEX latest_quotes_movers ON latest_quotes (trade_date, change_pct);

  CREATE TABLE day_summary (
    trade_date   TEXT PRIMARY KEY,
    snapshots    INTEGER NOT NULL,
    first_poll   TEXT    NOT NULL,
    last_poll    TEXT    NOT NULL,
    adv_open  INTEGER NOT NULL, adv_high  INTEGER NOT NULL, adv_low  INTEGER NOT NULL, adv_last  INTEGER NOT NULL,
    decl_open INTEGER NOT NULL, decl_high INTEGER NOT NULL, decl_low INTEGER NOT NULL, decl_last INTEGER NOT NULL,
    diff_open INTEGER NOT NULL, diff_high INTEGER NOT NULL, diff_low INTEGER NOT NULL, diff_last INTEGER NOT NULL,
    ratio_open REAL, ratio_high REAL, ratio_low REAL, ratio_last REAL
  );

  -- The audit log: every cycle leaves one row, whatever its outcome.
  CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    trigger         TEXT    NOT NULL,
    started_at      TEXT    NOT NULL,         -- ISO-8601 UTC
    duration_ms     REAL    NOT NULL,
    trade_date      TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('ok', 'unchanged', 'failed')),
    message         TEXT,
    live_path       TEXT,
    live_mtime      TEXT,
    live_size       INTEGER,
    historical_path TEXT,
    historical_mtime TEXT,
    historical_size INTEGER,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    rows_valid      INTEGER NOT NULL DEFAULT 0,
    rows_rejected   INTEGER NOT NULL DEFAULT 0,
    rejected_rows   TEXT,                     -- JSON, capped, for the run log's detail view
    content_hash    TEXT,                     -- what Live held, to spot an unchanged re-save
    snapshot_id     INTEGER REFERENCES snapshots(id)
  );
  CREATE INDEX runs_by_date ON runs (trade_date, id);
  `,
  // 2: a covering index for a day's series, so 22,500 one-second snapshots are read from the
  // index alone, in order, without a table lookup per row.
  `
  CREATE INDEX snapshots_series ON snapshots
    (trade_date, poll_time, advances, declines, unchanged, adv_pct, decl_pct, unch_pct, ad_diff, ad_ratio, volume_ratio);
  `,
  // 3: ticks keyed by (snapshot, symbol): each cycle's ticks append at the end of the tree
  // instead of landing beside every symbol's earlier ticks, which dirtied a page per symbol
  // per cycle (thousands of pages at 5,000 symbols). A symbol's history, when wanted, is a
  // range scan per snapshot or an index added then.
  `
  CREATE TABLE ticks_by_cycle (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    symbol      TEXT    NOT NULL,
    trade_date  TEXT    NOT NULL,
    ltp         REAL    NOT NULL,
    ref_price   REAL    NOT NULL,
    change_pct  REAL    NOT NULL,
    volume      REAL,
    PRIMARY KEY (snapshot_id, symbol)
  ) WITHOUT ROWID;
  INSERT INTO ticks_by_cycle (snapshot_id, symbol, trade_date, ltp, ref_price, change_pct, volume)
    SELECT snapshot_id, symbol, trade_date, ltp, ref_price, change_pct, volume FROM ticks;
  DROP TABLE ticks;
  ALTER TABLE ticks_by_cycle RENAME TO ticks;
  `,
  // 4: no index on latest quotes by change: nearly every quote's change moves every cycle, so the
  // index was rewritten thousands of times a cycle (half the store's cost at 5,000 symbols) to
  // save the movers query a scan of one day's few thousand rows.
  `
  DROP INDEX latest_quotes_movers;
  `,
  // 5: each day's latest quotes as one board row rewritten whole per cycle (quote-board.ts)
  // instead of a row per symbol upserted thousands of times a cycle. Existing days carry over.
  (db) => {
    db.exec(`
      CREATE TABLE quote_boards (
        trade_date  TEXT PRIMARY KEY,
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        symbols     TEXT NOT NULL,              -- JSON array, sorted
        sectors     TEXT NOT NULL,              -- JSON array, by symbol
        times       TEXT NOT NULL,              -- JSON array, by symbol
        numbers     BLOB NOT NULL               -- per symbol: ltp, ref, volume, open, high, low (LE doubles)
      )`);
    const insert = db.prepare(`INSERT INTO quote_boards (trade_date, snapshot_id, symbols, sectors, times, numbers)
      VALUES (@tradeDate, @snapshotId, @symbols, @sectors, @times, @numbers)`);
    const dates = db.prepare(`SELECT trade_date AS tradeDate, MAX(snapshot_id) AS snapshotId FROM latest_quotes GROUP BY trade_date`).all() as Array<{ tradeDate: string; snapshotId: number }>;
    const quotes = db.prepare(`SELECT symbol, ltp, ref_price AS refPrice, volume, open, high, low, sector, time
      FROM latest_quotes WHERE trade_date = ? ORDER BY symbol`);
    for (const { tradeDate, snapshotId } of dates) {
      insert.run({ tradeDate, snapshotId, ...encodeBoard(quotes.all(tradeDate) as BoardQuote[]) });
    }
    db.exec('DROP TABLE latest_quotes');
  },
  // 6: ticks appended in rowid order, without the trade date each row repeated. Appending to a
  // rowid table costs about 60% of inserting into the (snapshot, symbol) key (3.9k ticks a
  // cycle at 5,000 symbols: ~7.5 -> ~4.5 ms). A cycle's ticks are consecutive ids, written in
  // one transaction; the trade date is its snapshot's. A reader that needs ticks by symbol adds
  // the index it needs then.
  `
  CREATE TABLE ticks_appended (
    id          INTEGER PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    symbol      TEXT    NOT NULL,
    ltp         REAL    NOT NULL,
    ref_price   REAL    NOT NULL,
    change_pct  REAL    NOT NULL,
    volume      REAL
  );
  INSERT INTO ticks_appended (snapshot_id, symbol, ltp, ref_price, change_pct, volume)
    SELECT snapshot_id, symbol, ltp, ref_price, change_pct, volume FROM ticks ORDER BY snapshot_id, symbol;
  DROP TABLE ticks;
  ALTER TABLE ticks_appended RENAME TO ticks;
  `,
  // 7: the keys of journaled cycles already stored (journal.ts), written in the same transaction
  // as the cycle's rows, so a replay interrupted by a crash never stores a cycle twice. Emptied
  // once the journal file is.
  `
  CREATE TABLE journal_applied (
    key        TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // Steps 8 to 10 live beside the code that uses their tables; once released here, their SQL is
  // as frozen as the steps above (a change is a new step).
  // 8: the processor's persistent job queue: jobs and their items (jobs/schema.ts, docs/jobs.md).
  JOBS_SCHEMA,
  // 9: the daily breadth history: sessions, counted closes, per-symbol figures
  // (history/store/schema.ts, docs/history-indicators.md).
  HISTORY_SCHEMA,
  // 10: what each history-import job did with each day, for its result summary after a crash
  // (history/import-schema.ts, docs/history-import.md).
  HISTORY_IMPORT_SCHEMA,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The database was written by a newer LiveBreadth (schema ${current}, this version knows ${SCHEMA_VERSION})`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      const step = MIGRATIONS[version]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return SCHEMA_VERSION;
}
