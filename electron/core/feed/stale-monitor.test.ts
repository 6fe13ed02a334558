// The stale-feed monitor on a simulated clock: whole minutes pass in microseconds, and a clock
// whose timers fire early shows what a real timer may do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppStatus } from '../../../shared/api';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import type { Clock } from '../clock/clock';
import { SimulatedClock } from '../clock/simulated-clock';
import { StaleFeedMonitor } from './stale-monitor';

const OPEN = '2026-01-23T04:30:00.000Z'; // Friday 10:00 IST, in session
const CLOSED = '2026-01-23T14:30:00.000Z'; // Friday 20:00 IST

function monitor(clock: Clock, active = true) {
  const reports: AppStatus['feed'][] = [];
  const m = new StaleFeedMonitor({
    clock,
    settings: () => ({ exchange: NSE_PROFILE, staleAfterSeconds: 60 }),
    active: () => active,
    onStale: (feed) => reports.push(feed),
  });
  return { m, reports };
}

describe('StaleFeedMonitor', () => {
  it('says so once, at the threshold, when Live has not changed during the session; a save starts a new spell', () => {
    const clock = new SimulatedClock(OPEN);
    const { m, reports } = monitor(clock);
    m.foundLive(clock.now());
    m.plan();
    clock.advance(59_999);
    assert.equal(reports.length, 0);
    clock.advance(1);
    assert.deepEqual(reports, [{ lastChangeAt: OPEN, ageSeconds: 60, stale: true }]);
    clock.advance(10 * 60_000);
    m.plan(); // the scheduler plans again, as it does every interval
    clock.advance(10 * 60_000);
    assert.equal(reports.length, 1, 'one report per stale spell');

    m.liveChanged(clock.now());
    clock.advance(60_000);
    assert.equal(reports.length, 2, 'a save ends the spell; the next one is reported');
    assert.equal(reports[1]!.lastChangeAt, '2026-01-23T04:51:00.000Z');
  });

  it('Live found on disk (a restart, another folder) is not a save: a spell already reported stays reported', () => {
    const clock = new SimulatedClock(OPEN);
    const { m, reports } = monitor(clock);
    m.foundLive(clock.now());
    m.plan();
    clock.advance(60_000);
    m.foundLive(new Date(clock.now().getTime() - 120_000));
    m.plan();
    clock.advance(60_000);
    assert.equal(reports.length, 1);
    assert.equal(m.lastLiveChange?.toISOString(), '2026-01-23T04:29:00.000Z');
  });

  it('a timer that fires early finds the feed not stale yet and plans again, so the report still comes', () => {
    const clock = new SimulatedClock(OPEN);
    const early: Clock = {
      now: () => clock.now(),
      setTimeout: (fn, ms) => clock.setTimeout(fn, Math.max(0, ms - 5)),
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    const { m, reports } = monitor(early);
    m.foundLive(clock.now());
    m.plan();
    clock.advance(59_995);
    assert.equal(reports.length, 0, 'woken 5 ms early: 59.995 s is not 60 s');
    clock.advance(1_000);
    assert.equal(reports.length, 1);
  });

  it('no timer while auto-processing is off, outside the session, or after stop()', () => {
    const off = new SimulatedClock(OPEN);
    monitor(off, false).m.plan();
    assert.deepEqual(off.pendingTimers(), []);
    const evening = new SimulatedClock(CLOSED);
    monitor(evening).m.plan();
    assert.deepEqual(evening.pendingTimers(), []);
    const stopped = new SimulatedClock(OPEN);
    const { m } = monitor(stopped);
    m.plan();
    assert.deepEqual(stopped.pendingTimers(), [60_000], 'no Live seen yet: stale a threshold from now');
    m.stop();
    assert.deepEqual(stopped.pendingTimers(), []);
  });
});
