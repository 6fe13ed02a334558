import { useEffect, useState } from 'react';
import type { AppStatus } from '../../../shared/api';
import { formatExchangeTime } from '../charts/session-axis';
import { INTERVAL_LIMITS } from '../../../shared/settings';
import type { DashboardActions } from '../state/useDashboard';
import { ago, duration } from '../format';
import { useNow } from './useNow';

function countdown(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  return h ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}

function marketLine(status: AppStatus, now: number): string {
  const { market } = status;
  const zone = market.zone;
  if (market.phase === 'open' && market.nextClose) {
    const label = market.sessionLabel && market.sessionLabel !== 'Regular' ? ` (${market.sessionLabel})` : '';
    return `${market.exchange} open${label} · closes ${formatExchangeTime(Date.parse(market.nextClose), zone)} · in ${countdown(Date.parse(market.nextClose) - now)}`;
  }
  const next = market.nextOpen
    ? ` · opens ${new Date(market.nextOpen).toLocaleDateString('en-IN', { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone })} ${formatExchangeTime(Date.parse(market.nextOpen), zone)}`
    : '';
  return `${market.exchange} ${market.phase}${next}`;
}

/** The hover text of the processor's state: the crash, its last lines of output and where the log is. */
function processorDetails(processor: AppStatus['processor']): string | undefined {
  const parts = [
    processor.lastCrash,
    processor.lastCrashOutput?.length ? `Last output:\n${processor.lastCrashOutput.join('\n')}` : null,
    processor.logFile ? `Log: ${processor.logFile}` : null,
  ].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join('\n\n') : undefined;
}

export function StatusBar({ status, staleAfter, actions, callError }: {
  status: AppStatus | null;
  staleAfter: number;
  actions: DashboardActions;
  callError: string | null;
}) {
  const now = useNow();
  const [interval, setIntervalText] = useState('');
  const [intervalError, setIntervalError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (status) setIntervalText(String(status.intervalSeconds));
  }, [status?.intervalSeconds]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!status) return <header className="status-bar" aria-busy="true">Connecting…</header>;

  const age = status.feed.lastChangeAt ? Math.max(0, Math.round((now - Date.parse(status.feed.lastChangeAt)) / 1000)) : null;
  const open = status.market.phase === 'open';
  const freshness = !open || age === null ? 'neutral' : status.feed.stale || age > staleAfter ? 'bad' : age > staleAfter / 2 ? 'warn' : 'good';
  const last = status.lastRun;

  const applyInterval = async () => {
    const seconds = Number(interval);
    if (!Number.isInteger(seconds) || seconds < INTERVAL_LIMITS.min || seconds > INTERVAL_LIMITS.max) {
      setIntervalError(`Interval must be a whole number of seconds from ${INTERVAL_LIMITS.min} to ${INTERVAL_LIMITS.max}`);
      return;
    }
    setIntervalError(null);
    if (seconds !== status.intervalSeconds) await actions.setInterval(seconds);
  };

  return (
    <header className="status-bar" data-testid="status-bar">
      <div className="status-controls">
        <button
          type="button"
          role="switch"
          aria-checked={status.running}
          className={`toggle ${status.running ? 'on' : 'off'}`}
          data-testid="auto-toggle"
          onClick={() => void (status.running ? actions.stop() : actions.start())}
        >
          <span className="knob" aria-hidden="true" />
          Auto-processing {status.running ? 'on' : 'off'}
        </button>
        <label className="interval">
          Every
          <input
            data-testid="interval-input"
            inputMode="numeric"
            value={interval}
            aria-invalid={intervalError !== null}
            aria-describedby={intervalError ? 'interval-error' : undefined}
            onChange={(e) => setIntervalText(e.target.value)}
            onBlur={() => void applyInterval()}
            onKeyDown={(e) => e.key === 'Enter' && void applyInterval()}
          />
          s
        </label>
        <button
          type="button"
          className="primary"
          data-testid="process-now"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await actions.processNow();
            setBusy(false);
          }}
        >
          {busy ? 'Processing…' : 'Process now'}
        </button>
      </div>
      <div className="status-facts">
        <span className={`market market-${status.market.phase}`} data-testid="market-state">{marketLine(status, now)}</span>
        <span className={`feed feed-${freshness}`} data-testid="feed-age" title={status.feed.lastChangeAt ?? undefined}>
          Live updated {ago(age)}
        </span>
        <span data-testid="last-cycle">
          {last ? `Last cycle ${formatExchangeTime(Date.parse(last.startedAt), status.market.zone, true)} · ${duration(last.durationMs)} · ${last.status}` : 'No cycle yet'}
        </span>
        {status.processor.health !== 'up' && (
          <span className="feed-warn" data-testid="processor-health" title={processorDetails(status.processor)}>
            Processor {status.processor.health}
            {status.processor.health === 'restarting' && status.processor.lastCrashReason ? ` (${status.processor.lastCrashReason})` : ''}
          </span>
        )}
        {status.journal?.pending > 0 && (
          <span className={status.journal.full ? 'feed-bad' : 'feed-warn'} data-testid="journal" title="Kept safely; written to the database when it can take them">
            {status.journal.pending} cycles waiting to be written{status.journal.full ? ' · journal full' : ''}
          </span>
        )}
      </div>
      {(intervalError || callError || status.error) && (
        <div className="status-error" role="alert" data-testid="status-error">
          {intervalError && <span id="interval-error">{intervalError}</span>}
          {callError && <span>{callError}</span>}
          {status.error && <span>{status.error}</span>}
        </div>
      )}
    </header>
  );
}
