// The daily breadth history's storage (issue 11): schema, import of a day's bhavcopy, the
// per-symbol figures and reading the series. Imported by the processor's history job and the CLI;
// the math lives in shared/history/indicators.ts, the formulas in docs/history-indicators.md.
export { HISTORY_SCHEMA } from './schema';
export { importDay, universeKey, HistoryImportError, type ImportOptions, type ImportOutcome } from './import-day';
export { recomputeIndicators, currentWindows, type RecomputeProgress } from './symbol-figures';
export { readHistory, historyStatus, type HistoryRange, type HistoryStatus } from './read';
