// The status from plain facts: no processes, no clock, no files. The computer's zone is set far
// from IST on purpose; times shown to people must be the exchange's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CycleReport } from '../../../shared/processor-protocol';
import { defaultSettings } from '../settings/settings-store';
import { buildStatus, type StatusInputs } from './build-status';

const NOW = new Date('2026-01-23T04:30:00.000Z'); // Friday 10:00 IST: the session is open
const BAD_WORKBOOK = 'Live.xlsx is not an Excel workbook';

function report(status: CycleReport['status'], message: string | null = null, extra: Partial<CycleReport> = {}): CycleReport {
  return { runId: 7, status, trigger: 'schedule', message, startedAt: NOW.toISOString(), durationMs: 12, snapshot: null, rejectedCount: 0, rejectedSample: [], ticksStored: 0, ...extra };
}

function inputs(patch: Partial<StatusInputs> = {}): StatusInputs {
  return {
    now: NOW,
    settings: { ...defaultSettings('/data/live'), staleAfterSeconds: 60 },
    running: true,
    lastRun: report('ok'),
    lastError: null,
    lastLiveChange: new Date(NOW.getTime() - 5_000),
    processor: { health: 'up', restarts: 0, lastCrashAt: null, lastCrash: null },
    breaker: { state: 'closed', consecutiveFailures: 0, retryAt: null },
    ...patch,
  };
}

describe('buildStatus', () => {
  const originalTz = process.env.TZ;
  before(() => {
    process.env.TZ = 'America/Los_Angeles';
  });
  after(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('a healthy session: the market, the settings, a fresh feed and no error', () => {
    const status = buildStatus(inputs());
    assert.deepEqual(status.market, {
      phase: 'open', exchange: 'NSE', zone: 'Asia/Kolkata', tradeDate: '2026-01-23', sessionLabel: 'Regular',
      nextOpen: null, nextClose: '2026-01-23T10:00:00.000Z',
    });
    assert.deepEqual([status.running, status.intervalSeconds, status.dataDir], [true, 6, '/data/live']);
    assert.deepEqual(status.feed, { lastChangeAt: '2026-01-23T04:29:55.000Z', ageSeconds: 5, stale: false });
    assert.equal(status.error, null);
    assert.deepEqual(status.breaker, { state: 'closed', consecutiveFailures: 0, retryAt: null });
    assert.deepEqual(status.journal, { pending: 0, full: false }, 'none reported: nothing waits');
  });

  it('the breaker open: the pause, the next try in exchange time and the last failure, over any other problem', () => {
    const retryAt = NOW.getTime() + 60_000;
    const status = buildStatus(inputs({
      lastRun: report('failed', BAD_WORKBOOK),
      lastError: 'The data folder /data/live is missing; waiting for it to come back',
      breaker: { state: 'open', consecutiveFailures: 5, retryAt },
    }));
    assert.equal(status.error, `Automatic cycles paused after 5 failures; next try at 10:01:00 IST. Last: ${BAD_WORKBOOK}`);
    assert.deepEqual(status.breaker, { state: 'open', consecutiveFailures: 5, retryAt: '2026-01-23T04:31:00.000Z' });
  });

  it('the breaker half-open: trying again', () => {
    const status = buildStatus(inputs({ lastRun: report('failed', BAD_WORKBOOK), breaker: { state: 'half-open', consecutiveFailures: 5, retryAt: null } }));
    assert.equal(status.error, `Automatic cycles paused after 5 failures; trying again. Last: ${BAD_WORKBOOK}`);
  });

  it('the error shown: the reported problem first, else a failed last cycle, else none', () => {
    const missing = 'The data folder /data/live is missing; waiting for it to come back';
    assert.equal(buildStatus(inputs({ lastError: missing, lastRun: report('failed', BAD_WORKBOOK) })).error, missing);
    assert.equal(buildStatus(inputs({ lastRun: report('failed', BAD_WORKBOOK) })).error, BAD_WORKBOOK);
    assert.equal(buildStatus(inputs({ lastRun: report('unchanged') })).error, null);
    assert.equal(buildStatus(inputs({ lastRun: null })).error, null);
  });

  it('the feed is stale only in session, from the threshold on, compared unrounded', () => {
    const at = (ageMs: number, now = NOW) => buildStatus(inputs({ now, lastLiveChange: new Date(now.getTime() - ageMs) })).feed;
    assert.deepEqual(at(60_000), { lastChangeAt: '2026-01-23T04:29:00.000Z', ageSeconds: 60, stale: true });
    // 59.6 s shows as 60 but is not 60 yet: the stale timer must not fire on a rounded age.
    assert.deepEqual([at(59_600).ageSeconds, at(59_600).stale], [60, false]);
    const evening = new Date('2026-01-23T14:30:00.000Z'); // 20:00 IST, closed
    assert.equal(at(3_600_000, evening).stale, false, 'a closed market has no stale feed');
    assert.equal(buildStatus(inputs({ lastLiveChange: null })).feed.stale, true, 'in session with no Live seen at all');
  });

  it('carries the processor\'s health and the journal of the last cycle as they are', () => {
    const processor = { health: 'restarting' as const, restarts: 2, lastCrashAt: '2026-01-23T04:29:00.000Z', lastCrash: 'The processor stopped unexpectedly (exit code 1); restarting in 1 s' };
    const status = buildStatus(inputs({ processor, lastRun: report('ok', null, { journal: { pending: 3, full: false } }) }));
    assert.deepEqual(status.processor, processor);
    assert.deepEqual(status.journal, { pending: 3, full: false });
  });
});
