// The day's own import after the close (settings: history.importAfterClose, off by default): a
// history-import job of that one session, queued when NSE's archive should have its bhavcopy, so
// the History view's provisional point becomes final. Like the scheduler it never sleeps longer
// than a minute and re-reads the clock and the settings at each wake, so a sleep, a clock jump or
// a change of the setting takes effect within a minute without being told.
import type { JobRecord, StartJobInput } from '../../../shared/jobs';
import { sessionsOn, type ExchangeProfile } from '../../../shared/market-calendar';
import { tradeDateOf } from '../../../shared/exchange-time';
import { historySettingsOf, type Settings } from '../../../shared/settings';
import type { Clock } from '../clock/clock';
import { HISTORY_IMPORT_KIND } from './job-access';

/**
 * After the last session's close. NSE publishes the day's cash-market bhavcopy in the evening
 * (typically 17:00–19:00 IST); 3 h after a 15:30 close is 18:30 IST. A day not there yet is a
 * failed item "not published", which Retry in the Jobs panel asks for again.
 */
export const DEFAULT_AFTER_CLOSE_MS = 3 * 3_600_000;
const MAX_SLEEP_MS = 60_000;

export interface AfterCloseImportOptions {
  clock: Clock;
  settings: () => Pick<Settings, 'exchange' | 'history'>;
  jobs: { start(input: StartJobInput): Promise<JobRecord>; list(): Promise<JobRecord[]> };
  delayMs?: number;
  /** One line when a start is refused (the processor down, a bad profile). */
  onProblem?: (message: string) => void;
}

type ImportParams = { from?: string; to?: string; sources?: unknown; universe?: unknown };

/** The day's import, with the sources and universe of the trader's latest import (the series must not mix universes). */
export function dayImport(tradeDate: string, jobs: readonly JobRecord[]): StartJobInput {
  const latest = jobs.filter((j) => j.kind === HISTORY_IMPORT_KIND).sort((a, b) => b.id - a.id)[0];
  const p = (latest?.params ?? {}) as ImportParams;
  return {
    kind: HISTORY_IMPORT_KIND,
    params: { from: tradeDate, to: tradeDate, sources: p.sources ?? [{ kind: 'nse' }], universe: p.universe ?? { series: ['EQ'] } },
  };
}

/** When the day's import is due: its last session's close plus the delay; null on a day without a session. */
export function dueAt(tradeDate: string, profile: ExchangeProfile, delayMs: number): Date | null {
  const sessions = sessionsOn(tradeDate, profile);
  if (sessions.length === 0) return null;
  return new Date(Math.max(...sessions.map((s) => s.close.getTime())) + delayMs);
}

export class AfterCloseImport {
  private timer: unknown = null;
  private running = false;
  /** Trade dates whose import this process queued (or found queued): one job per session. */
  private readonly queued = new Set<string>();
  /** The problem said last: a lasting one (the processor down) is said once, not every minute. */
  private lastProblem: string | null = null;

  constructor(private readonly options: AfterCloseImportOptions) {}

  start(): void {
    this.running = true;
    this.plan();
  }

  stop(): void {
    this.running = false;
    this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** The clock jumped or the computer woke: look again now. */
  replan(): void {
    if (this.running) this.plan();
  }

  private plan(): void {
    const { clock } = this.options;
    clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) return;
    let wait = MAX_SLEEP_MS;
    const settings = this.options.settings();
    if (historySettingsOf(settings).importAfterClose) {
      try {
        const now = clock.now();
        const today = tradeDateOf(now, settings.exchange.zone);
        const due = dueAt(today, settings.exchange, this.options.delayMs ?? DEFAULT_AFTER_CLOSE_MS);
        // Due before the day ends: past midnight the day is left to an import by hand.
        if (due && !this.queued.has(today)) {
          if (due.getTime() <= now.getTime()) void this.queue(today);
          else wait = Math.min(wait, due.getTime() - now.getTime());
        }
      } catch (error) {
        this.problem(`The day's import after the close cannot be planned: ${(error as Error).message}`);
      }
    }
    this.timer = clock.setTimeout(() => this.plan(), wait);
  }

  private async queue(tradeDate: string): Promise<void> {
    this.queued.add(tradeDate);
    try {
      const jobs = await this.options.jobs.list();
      // Queued before a restart today: not twice.
      const already = jobs.some((j) => j.kind === HISTORY_IMPORT_KIND && (j.params as ImportParams)?.from === tradeDate && (j.params as ImportParams)?.to === tradeDate);
      if (!already) await this.options.jobs.start(dayImport(tradeDate, jobs));
      this.lastProblem = null;
    } catch (error) {
      this.queued.delete(tradeDate); // the next wake tries again
      this.problem(`The day's import after the close could not start: ${(error as Error).message}`);
    }
  }

  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.options.onProblem?.(message);
  }
}
