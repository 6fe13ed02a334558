// The daily history's tables: one migration step, appended to the store's MIGRATIONS by the
// integration (electron/processor/store/migrations.ts). Sizes measured: docs/history-indicators.md.
export const HISTORY_SCHEMA = `
  -- One row per imported session: its counts, and where it came from, so an identical file is
  -- skipped and a different one replaces the day.
  CREATE TABLE history_days (
    trade_date   TEXT    PRIMARY KEY,          -- YYYY-MM-DD, the exchange's date
    advances     INTEGER NOT NULL,
    declines     INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    up_volume    REAL,                         -- null when no counted stock had a volume
    down_volume  REAL,
    row_count    INTEGER NOT NULL,             -- rows in the file, every series
    format       TEXT    NOT NULL,             -- 'classic' | 'udiff'
    universe     TEXT    NOT NULL,             -- which stocks counted (universeKey)
    source       TEXT    NOT NULL,             -- the source's name, e.g. 'folder' or 'nse'
    content_hash TEXT    NOT NULL,             -- sha256 of the file's content
    imported_at  TEXT    NOT NULL              -- ISO-8601 UTC
  ) WITHOUT ROWID;

  -- The counted stocks' prices per day, for the moving averages and 52-week extremes. Keyed by
  -- date first: a day's rows are appended together at the end of the tree (a symbol-first key
  -- dirtied a page per symbol and inserted 5x slower), and replacing a day is one range.
  -- Prices in paise (integers): 25 MB for 250 days x 2,000 stocks where REAL rupees took 33.
  CREATE TABLE history_closes (
    trade_date  TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    series      TEXT    NOT NULL,
    close_paise INTEGER NOT NULL,
    high_paise  INTEGER,
    low_paise   INTEGER,
    volume      INTEGER,
    PRIMARY KEY (trade_date, symbol)
  ) WITHOUT ROWID;

  -- The per-symbol figures of a day, computed in the processor (they need every stock's last
  -- 251 closes). A day without a row here is pending: recomputeIndicators fills it. The
  -- count-based figures (A/D line, McClellan, summation) are computed on read from history_days.
  CREATE TABLE history_indicators (
    trade_date    TEXT PRIMARY KEY,
    pct_above_50  REAL,
    pct_above_200 REAL,
    new_highs     INTEGER,
    new_lows      INTEGER
  ) WITHOUT ROWID;
`;
