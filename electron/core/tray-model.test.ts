import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appStatus, TRAY_SNAPSHOT as snap } from '../test-support/status';
import { loginItemChange, notificationFor, processorCrashDetail, trayChanges, trayState, trayTooltip, trayView } from './tray-model';

describe('tray model', () => {
  it('state: on, off, market closed, error', () => {
    assert.equal(trayState(appStatus()), 'running');
    assert.equal(trayState(appStatus({ running: false })), 'stopped');
    assert.equal(trayState(appStatus({ market: { ...appStatus().market, phase: 'holiday' } })), 'closed');
    assert.equal(trayState(appStatus({ breaker: { state: 'open', consecutiveFailures: 5, retryAt: null } })), 'error');
    assert.equal(trayState(appStatus({ processor: { health: 'restarting', restarts: 1, lastCrashAt: null, lastCrash: null } })), 'error');
  });
  it('tooltip carries the latest breadth', () => {
    assert.equal(trayTooltip(appStatus(), snap), 'LiveBreadth — A 120 · D 80 · 1.50 (NSE open)');
    assert.equal(trayTooltip(appStatus({ running: false }), { ...snap, adRatio: null }), 'LiveBreadth — A 120 · D 80 · — (NSE open, auto-processing off)');
    assert.match(trayTooltip(appStatus(), null), /no snapshot yet/);
  });
  it('a status that changes nothing the tray shows redraws nothing; each change redraws only its part', () => {
    const first = trayView(appStatus(), snap);
    assert.deepEqual(trayChanges(null, first), { image: true, tooltip: true, menu: true }, 'the first status draws everything');
    // The next cycle: a new run and feed time, the same breadth and state.
    const sameAgain = trayView(appStatus({ feed: { lastChangeAt: '2026-11-20T04:00:06Z', ageSeconds: 0, stale: false } }), { ...snap });
    assert.deepEqual(trayChanges(first, sameAgain), { image: false, tooltip: false, menu: false });
    const newBreadth = trayView(appStatus(), { ...snap, advances: 121 });
    assert.deepEqual(trayChanges(first, newBreadth), { image: false, tooltip: true, menu: false });
    const stopped = trayView(appStatus({ running: false }), snap);
    assert.deepEqual(trayChanges(first, stopped), { image: true, tooltip: true, menu: true });
    const closed = trayView(appStatus({ market: { ...appStatus().market, phase: 'closed' } }), snap);
    assert.deepEqual(trayChanges(first, closed), { image: true, tooltip: true, menu: false });
  });

  it('open-at-login is written only when it differs from what the system has', () => {
    assert.equal(loginItemChange(false, false), null);
    assert.equal(loginItemChange(true, true), null);
    assert.equal(loginItemChange(false, true), true);
    assert.equal(loginItemChange(true, false), false);
    assert.equal(loginItemChange(null, false), false, 'unknown: written once');
  });

  it('a crashed processor\'s notification: the status\'s crash line and where its output is logged', () => {
    const crash = 'The processor stopped unexpectedly: it ran out of memory (oom); restarting in 0.2 s';
    const processor = { health: 'restarting' as const, restarts: 1, lastCrashAt: '2026-01-23T04:00:00.000Z', lastCrash: crash, lastCrashReason: 'oom' as const, lastCrashOutput: ['…'] };
    assert.deepEqual(notificationFor('processorCrashed', processorCrashDetail({ ...processor, logFile: '/home/t/.config/LiveBreadth/logs/processor.log' })), {
      title: 'LiveBreadth processor restarted',
      body: `${crash}. Its output is in /home/t/.config/LiveBreadth/logs/processor.log`,
    });
    assert.equal(processorCrashDetail({ ...processor, logFile: null }), crash, 'no log: the crash line alone');
  });
});
