// Test support: an AppStatus for code that only reads one (the tray's model, the tray): running,
// in NSE's open session, nothing wrong. A patch sets what a test is about.
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';

export function appStatus(patch: Partial<AppStatus> = {}): AppStatus {
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

/** A snapshot with only what the tray reads of one: advances, declines and their ratio. */
export const TRAY_SNAPSHOT = { advances: 120, declines: 80, adRatio: 1.5 } as Snapshot;
