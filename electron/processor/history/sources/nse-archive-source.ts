// NSE's archive over HTTPS, politely: one request at a time at most `rateLimitPerSecond`, each with
// a timeout, retried with backoff (or as Retry-After asks) on 429, 5xx, timeouts and network
// errors, behind a circuit breaker, and every download kept in a cache so no day is fetched twice.
// A 404 on a trading day is "not published", not an error. Uses Node's built-in fetch (undici).
// Timers and "now" come from the injected Clock, so backoff and breaker timing are testable.
import { isIsoDate } from '../../../../shared/calendar/fields';
import { parseBhavcopy, type Bhavcopy, type BhavcopyFormat } from '../../../../shared/history/bhavcopy';
import { systemClock, type Clock } from '../../../core/clock/clock';
import { NSE_ARCHIVE_BASE_URL, NSE_ARCHIVE_HEADERS, archivePathsFor } from './archive-urls';
import { backoffMs, retryAfterMs } from './backoff';
import { BhavcopyFileError, csvTextOf, fileKind, sha256 } from './bhavcopy-file';
import { CircuitBreaker } from './circuit-breaker';
import { DownloadCache } from './download-cache';
import { RequestSpacer, sleep } from './request-spacer';
import { SourceError, throwIfAborted, type BhavcopySource, type FetchOutcome } from './source';

export interface NseArchiveOptions {
  /** Default https://nsearchives.nseindia.com; tests point it at the loopback archive. */
  baseUrl?: string;
  /** Where downloads are kept (beside the database). */
  cacheDir: string;
  /** Requests per second at most (default 1: polite to a public server). */
  rateLimitPerSecond?: number;
  /** Per request, headers and body together (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for a retryable failure (default 3). */
  retries?: number;
  /** Retry backoff: the first wait (default 1 s), doubling to at most capMs (default 30 s). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** A Retry-After longer than this fails the day instead of waiting (default 2 min). */
  maxRetryAfterMs?: number;
  /** Failed requests in a row that open the breaker (default 5), and for how long (default 60 s). */
  breakerThreshold?: number;
  breakerOpenMs?: number;
  /** Largest download accepted (default 64 MB; a day's zip is well under 1 MB). */
  maxBytes?: number;
  clock?: Clock;
  /** For the backoff's jitter (tests pass a fixed one). */
  random?: () => number;
}

/** Counters for the bench and the job's summary. */
export interface ArchiveStats {
  requests: number;
  downloads: number;
  cacheHits: number;
  bytesDownloaded: number;
}

/** Why one request did not give a usable file; `retryable` when trying again may help. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

type Attempt = { kind: 'not-found' } | { kind: 'ok'; bytes: Uint8Array; text: string; bhavcopy: Bhavcopy };

const ACCEPTED_TYPES = /zip|octet-stream|binary|download/i;

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export class NseArchiveSource implements BhavcopySource {
  readonly name = 'nse';
  readonly stats: ArchiveStats = { requests: 0, downloads: 0, cacheHits: 0, bytesDownloaded: 0 };
  /** The last failure to keep a download in the cache (a full disk, say); the fetch itself succeeded. */
  lastCacheError: string | null = null;

  private readonly baseUrl: string;
  private readonly cache: DownloadCache;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly spacer: RequestSpacer;
  private readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBytes: number;
  private readonly backoff: { baseMs?: number; capMs?: number };

  constructor(options: NseArchiveOptions) {
    this.baseUrl = (options.baseUrl ?? NSE_ARCHIVE_BASE_URL).replace(/\/+$/, '');
    this.cache = new DownloadCache(options.cacheDir);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.spacer = new RequestSpacer(options.rateLimitPerSecond ?? 1, this.clock);
    this.breaker = new CircuitBreaker(this.clock, { threshold: options.breakerThreshold, openMs: options.breakerOpenMs });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.backoff = { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs };
    if (!Number.isInteger(this.retries) || this.retries < 0) throw new Error(`retries must be a whole number ≥ 0 (got ${options.retries})`);
    if (!(this.timeoutMs > 0)) throw new Error(`timeoutMs must be above 0 (got ${options.timeoutMs})`);
  }

  /** The breaker's state, for the status line. */
  get breakerState(): 'closed' | 'open' | 'half-open' {
    return this.breaker.state;
  }

  async fetchDay(tradeDate: string, signal?: AbortSignal): Promise<FetchOutcome> {
    if (!isIsoDate(tradeDate)) throw new SourceError(this.name, `"${tradeDate}" is not a date like 2024-07-05`);
    throwIfAborted(signal);
    const cached = await this.fromCache(tradeDate);
    if (cached) return cached;
    for (const { path } of archivePathsFor(tradeDate)) {
      const attempt = await this.download(tradeDate, `${this.baseUrl}${path}`, signal);
      if (attempt.kind === 'not-found') continue;
      await this.keep(tradeDate, attempt.bhavcopy.format, attempt.bytes);
      this.stats.downloads++;
      this.stats.bytesDownloaded += attempt.bytes.length;
      return { kind: 'found', bhavcopy: attempt.bhavcopy, source: this.name, fromCache: false, bytes: attempt.bytes.length, contentHash: sha256(attempt.text) };
    }
    return { kind: 'not-published', source: this.name, detail: `NSE's archive has no bhavcopy for ${tradeDate} (HTTP 404)` };
  }

  /** A day from the cache, checked; a file that fails the check is deleted so the day is fetched again. */
  private async fromCache(tradeDate: string): Promise<FetchOutcome | null> {
    const cached = await this.cache.read(tradeDate);
    if (!cached) return null;
    try {
      const text = csvTextOf(cached.bytes, cached.file);
      const bhavcopy = parseBhavcopy(text);
      if (bhavcopy.tradeDate !== tradeDate) throw new Error(`holds ${bhavcopy.tradeDate}`);
      this.stats.cacheHits++;
      return { kind: 'found', bhavcopy, source: this.name, fromCache: true, bytes: cached.bytes.length, contentHash: sha256(text) };
    } catch {
      await this.cache.remove(cached.file);
      return null;
    }
  }

  private async keep(tradeDate: string, format: BhavcopyFormat, bytes: Uint8Array): Promise<void> {
    try {
      await this.cache.write(tradeDate, format, bytes);
      this.lastCacheError = null;
    } catch (error) {
      // The day was fetched and is good; only its copy is lost, so it would be fetched again later.
      this.lastCacheError = `could not keep ${tradeDate} in ${this.cache.dir}: ${(error as Error).message}`;
    }
  }

  /** One archive path: attempts until an answer, a non-retryable failure, or the retries run out. */
  private async download(tradeDate: string, url: string, signal?: AbortSignal): Promise<Attempt> {
    for (let attempt = 1; ; attempt++) {
      await this.spacer.take(signal);
      const refusal = this.breaker.refusal("NSE's archive");
      if (refusal) throw new SourceError(this.name, `${tradeDate}: ${refusal}`);
      let result: Attempt;
      try {
        result = await this.attempt(tradeDate, url, signal);
      } catch (error) {
        if (!(error instanceof AttemptFailure) || signal?.aborted) {
          this.breaker.abandoned();
          throw signal?.aborted ? signal.reason : error;
        }
        this.breaker.failure(error.message);
        const attempts = attempt > 1 ? ` (${attempt} attempts)` : '';
        // Once this failure has opened the breaker, waiting to retry would only meet its refusal.
        if (!error.retryable || attempt > this.retries || this.breaker.state === 'open') {
          throw new SourceError(this.name, `${tradeDate}: ${error.message}${attempts}`);
        }
        if (error.retryAfterMs !== null && error.retryAfterMs > this.maxRetryAfterMs) {
          throw new SourceError(this.name, `${tradeDate}: ${error.message}, and the archive asks to wait ${seconds(error.retryAfterMs)}, longer than ${seconds(this.maxRetryAfterMs)}`);
        }
        await sleep(this.clock, error.retryAfterMs ?? backoffMs(attempt, this.random, this.backoff), signal);
        continue;
      }
      this.breaker.success();
      return result;
    }
  }

  /** One request, its body read and checked within the timeout. Throws AttemptFailure for anything unusable. */
  private async attempt(tradeDate: string, url: string, signal?: AbortSignal): Promise<Attempt> {
    const timeout = new AbortController();
    const timer = this.clock.setTimeout(() => timeout.abort(), this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    this.stats.requests++;
    let bytes: Uint8Array;
    let response: Response;
    try {
      response = await fetch(url, { headers: NSE_ARCHIVE_HEADERS, signal: combined, redirect: 'follow' });
      if (response.status === 404) {
        await response.body?.cancel();
        return { kind: 'not-found' };
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw this.statusFailure(response);
      }
      bytes = await this.readBody(response);
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (signal?.aborted) throw signal.reason;
      if (timeout.signal.aborted) throw new AttemptFailure(`no answer within ${seconds(this.timeoutMs)}`, true);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new AttemptFailure(`could not reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error as Error).message})`, true);
    } finally {
      this.clock.clearTimeout(timer);
    }
    return this.check(tradeDate, response, bytes);
  }

  private statusFailure(response: Response): AttemptFailure {
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      return new AttemptFailure(status, true, retryAfterMs(response.headers.get('retry-after'), this.clock.now()));
    }
    if (response.status === 403) return new AttemptFailure(`${status}: the archive refused the request (it blocks some networks and clients)`, false);
    return new AttemptFailure(status, false);
  }

  /** The body, refused past maxBytes (by Content-Length first, then as it arrives). */
  private async readBody(response: Response): Promise<Uint8Array> {
    const tooLarge = () => new AttemptFailure(`the archive sent more than ${Math.round(this.maxBytes / 1048576)} MB, far more than any bhavcopy`, false);
    if (Number(response.headers.get('content-length') ?? 0) > this.maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    if (!response.body) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > this.maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, total);
  }

  /** A 200's body checked: a zip (not a web page or other type), readable, a bhavcopy of the day asked for. */
  private check(tradeDate: string, response: Response, bytes: Uint8Array): Attempt {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const kind = fileKind(bytes);
    if (type === 'text/html' || kind === 'html') {
      throw new AttemptFailure(`the archive sent a web page instead of the bhavcopy (HTTP 200, ${type || 'no content type'})`, false);
    }
    if (type !== '' && !ACCEPTED_TYPES.test(type)) throw new AttemptFailure(`the archive sent ${type.slice(0, 60)} where a zip was expected`, false);
    if (kind !== 'zip') throw new AttemptFailure('the download is not a zip', false);
    let text: string;
    try {
      text = csvTextOf(bytes, 'the download');
    } catch (error) {
      // A cut-off or damaged transfer may come through whole next time.
      throw new AttemptFailure((error as Error).message, error instanceof BhavcopyFileError && error.damaged);
    }
    let bhavcopy: Bhavcopy;
    try {
      bhavcopy = parseBhavcopy(text);
    } catch (error) {
      throw new AttemptFailure(`the download is not a bhavcopy: ${(error as Error).message}`, false);
    }
    if (bhavcopy.tradeDate !== tradeDate) throw new AttemptFailure(`the file for ${tradeDate} holds the bhavcopy of ${bhavcopy.tradeDate}`, false);
    return { kind: 'ok', bytes, text, bhavcopy };
  }
}
