// The one interface every bhavcopy source implements (a folder, NSE's archive, a chain of them),
// and the error a source throws when it could not answer. Imported by the history import job.
import type { Bhavcopy } from '../../../../shared/history/bhavcopy';

export type FetchOutcome =
  | {
      kind: 'found';
      bhavcopy: Bhavcopy;
      /** The source's name: 'folder', 'nse', … */
      source: string;
      /** True when read from the download cache rather than fetched. */
      fromCache: boolean;
      /** Size of the file as read or downloaded (the zip when zipped). */
      bytes: number;
      /** sha256 (hex) of the CSV text: the same day with the same content has the same hash. */
      contentHash: string;
    }
  | { kind: 'not-published'; source: string; detail: string }; // e.g. a 404 on a trading day

export interface BhavcopySource {
  readonly name: string;
  /** The bhavcopy of one trade date (YYYY-MM-DD); throws a SourceError when the source failed. */
  fetchDay(tradeDate: string, signal?: AbortSignal): Promise<FetchOutcome>;
}

/** A source that could not answer for a day: one line for the trader, naming the source. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /** The reason without the source's name, for messages that list several sources. */
  readonly reason: string;
  constructor(
    readonly source: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${source}: ${reason}`, { cause: options.cause });
    this.reason = reason;
  }
}

/** The caller cancelled: rethrown as is, never counted as the source's failure. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
