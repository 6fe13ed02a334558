import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';
import { loginItemChange, trayChanges, trayState, trayTooltip, trayView } from './tray-model';

function status(patch: Partial<AppStatus> = {}): AppStatus {
  return {
    running: true, intervalSeconds: 6, dataDir: '/d',
    market: { phase: 'open', exchange: 'NSE', zone: 'Asia/Kolkata', tradeDate: '2026-11-20', sessionLabel: 'Regular', nextOpen: null, nextClose: null },
    lastRun: null, feed: { lastChangeAt: null, ageSeconds: null, stale: false },
    processor: { health: 'up', restarts: 0, lastCrashAt: null, lastCrash: null },
    breaker: { state: 'closed', consecutiveFailures: 0, retryAt: null }, error: null,
    journal: { pending: 0, full: false },
    ...patch,
  };
}

describe('tray model', () => {
  it('state: on, off, market closed, error', () => {
    assert.equal(trayState(status()), 'running');
    assert.equal(trayState(status({ running: false })), 'stopped');
    assert.equal(trayState(status({ market: { ...status().market, phase: 'holiday' } })), 'closed');
    assert.equal(trayState(status({ breaker: { state: 'open', consecutiveFailures: 5, retryAt: null } })), 'error');
    assert.equal(trayState(status({ processor: { health: 'restarting', restarts: 1, lastCrashAt: null, lastCrash: null } })), 'error');
  });
  it('tooltip carries the latest breadth', () => {
    const snap = { advances: 120, declines: 80, adRatio: 1.5 } as Snapshot;
    assert.equal(trayTooltip(status(), snap), 'LiveBreadth — A 120 · D 80 · 1.50 (NSE open)');
    assert.equal(trayTooltip(status({ running: false }), { ...snap, adRatio: null }), 'LiveBreadth — A 120 · D 80 · — (NSE open, auto-processing off)');
    assert.match(trayTooltip(status(), null), /no snapshot yet/);
  });
  it('a status that changes nothing the tray shows redraws nothing; each change redraws only its part', () => {
    const snap = { advances: 120, declines: 80, adRatio: 1.5 } as Snapshot;
    const first = trayView(status(), snap);
    assert.deepEqual(trayChanges(null, first), { image: true, tooltip: true, menu: true }, 'the first status draws everything');
    // The next cycle: a new run and feed time, the same breadth and state.
    const sameAgain = trayView(status({ feed: { lastChangeAt: '2026-11-20T04:00:06Z', ageSeconds: 0, stale: false } }), { ...snap });
    assert.deepEqual(trayChanges(first, sameAgain), { image: false, tooltip: false, menu: false });
    const newBreadth = trayView(status(), { ...snap, advances: 121 });
    assert.deepEqual(trayChanges(first, newBreadth), { image: false, tooltip: true, menu: false });
    const stopped = trayView(status({ running: false }), snap);
    assert.deepEqual(trayChanges(first, stopped), { image: true, tooltip: true, menu: true });
    const closed = trayView(status({ market: { ...status().market, phase: 'closed' } }), snap);
    assert.deepEqual(trayChanges(first, closed), { image: true, tooltip: true, menu: false });
  });

  it('open-at-login is written only when it differs from what the system has', () => {
    assert.equal(loginItemChange(false, false), null);
    assert.equal(loginItemChange(true, true), null);
    assert.equal(loginItemChange(false, true), true);
    assert.equal(loginItemChange(true, false), false);
    assert.equal(loginItemChange(null, false), false, 'unknown: written once');
  });
});
