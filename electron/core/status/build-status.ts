// status/: what the status bar, the tray and the notifications show, worked out from plain
// facts in one pure function. Times shown to people are in exchange time.
// May import shared/ and the types of the rooms whose facts it reads.
import type { AppStatus } from '../../../shared/api';
import { exchangeClockLabel } from '../../../shared/exchange-time';
import { marketState } from '../../../shared/market-calendar';
import type { CycleReport } from '../../../shared/processor-protocol';
import type { Settings } from '../../../shared/settings';
import type { BreakerReading } from '../cycles/cycle-runner';
import { feedStatus } from '../feed/feed-status';

export interface StatusInputs {
  now: Date;
  settings: Settings;
  /** Auto-processing on. */
  running: boolean;
  lastRun: CycleReport | null;
  /** The last problem reported and not cleared since (a missing folder, a crash…). */
  lastError: string | null;
  lastLiveChange: Date | null;
  processor: AppStatus['processor'];
  breaker: BreakerReading;
}

export function buildStatus(inputs: StatusInputs): AppStatus {
  const { now, settings: s, lastRun, breaker } = inputs;
  const market = marketState(now, s.exchange);
  return {
    running: inputs.running,
    intervalSeconds: s.intervalSeconds,
    dataDir: s.dataDir,
    market: {
      phase: market.phase,
      exchange: s.exchange.name,
      zone: s.exchange.zone,
      tradeDate: market.tradeDate,
      sessionLabel: market.sessionLabel,
      nextOpen: market.nextOpen?.toISOString() ?? null,
      nextClose: market.nextClose?.toISOString() ?? null,
    },
    lastRun,
    feed: feedStatus({ now, lastChange: inputs.lastLiveChange, staleAfterSeconds: s.staleAfterSeconds, open: market.phase === 'open' }),
    processor: inputs.processor,
    breaker: { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures, retryAt: breaker.retryAt === null ? null : new Date(breaker.retryAt).toISOString() },
    error: statusError(inputs, s.exchange.zone),
    journal: lastRun?.journal ?? { pending: 0, full: false },
  };
}

/** The one line for the status bar: a pause first, then the last problem, then a failed cycle. */
function statusError({ lastError, lastRun, breaker }: StatusInputs, zone: string): string | null {
  if (breaker.state !== 'closed') {
    return `Automatic cycles paused after ${breaker.consecutiveFailures} failures` +
      (breaker.retryAt !== null ? `; next try at ${exchangeClockLabel(breaker.retryAt, zone)}` : '; trying again') +
      (lastRun?.message ? `. Last: ${lastRun.message}` : '');
  }
  if (!lastError && lastRun?.status === 'failed') return lastRun.message;
  return lastError;
}
