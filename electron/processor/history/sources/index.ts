// history/sources: where bhavcopies come from for a history import — a folder the trader already
// has, NSE's archive (rate-limited, retried, behind a breaker, cached), and a chain of them with
// fallback. All behind one interface, BhavcopySource. Imported by the processor's history import
// job (and the CLI through it); ./testing holds the loopback archive for tests, e2e and the bench.
// docs/history-sources.md says what each does and why.
export { SourceChain } from './source-chain';
export { FolderSource, type FolderSourceOptions } from './folder-source';
export { NseArchiveSource, type ArchiveStats, type NseArchiveOptions } from './nse-archive-source';
export { SourceError, type BhavcopySource, type FetchOutcome } from './source';
export { NSE_ARCHIVE_BASE_URL, archivePath, formatForDate } from './archive-urls';
