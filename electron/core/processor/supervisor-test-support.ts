// What the supervisor's tests share: real launchers that remember or count what they started,
// settings on a temp folder, and patient waits. Not a test file itself.
import path from 'node:path';
import type { ProcessorSettings } from '../../../shared/processor-protocol';
import { delay } from '../../test-support/core';
import { launchNodeProcessor } from './node-processor';
import type { ProcessorLauncher } from './processor-client';

export const GENEROUS_MS = 60_000; // a bound for liveness on a loaded machine, not a speed target

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** A real launcher that remembers every processor it started, and when. */
export function recordingLauncher(): { launch: ProcessorLauncher; launched: Array<{ pid: number; at: number; othersAlive: number[] }> } {
  const launched: Array<{ pid: number; at: number; othersAlive: number[] }> = [];
  return {
    launched,
    launch: () => {
      const othersAlive = launched.map((l) => l.pid).filter(isAlive);
      const handle = launchNodeProcessor();
      launched.push({ pid: handle.pid!, at: Date.now(), othersAlive });
      return handle;
    },
  };
}

export function settingsFor(dir: string, overrides: Partial<ProcessorSettings> = {}): ProcessorSettings {
  return { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'db.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [], ...overrides };
}

/** Waits (generously) until `check` holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = GENEROUS_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await delay(50);
  }
}

// ── what stays attached to a processor ─────────────────────────────────────────────────────

export interface CountedHandle {
  pid: number;
  /** Listeners added through the handle and not yet removed. */
  attached: () => number;
  exited: () => boolean;
}

/**
 * A real launcher whose handles count the listeners attached through them: each onExit,
 * onMessage and onOutput adds one, calling the returned function removes it. Everything the
 * client and the supervisor listen for goes through these three calls.
 */
export function countingLauncher(): { launch: ProcessorLauncher; handles: CountedHandle[] } {
  const handles: CountedHandle[] = [];
  return {
    handles,
    launch: () => {
      const handle = launchNodeProcessor();
      let attached = 0;
      let exited = false;
      handle.onExit(() => (exited = true)); // the counter's own, not counted
      const counted = <L>(subscribe: (listener: L) => () => void) => (listener: L) => {
        const off = subscribe(listener);
        attached++;
        let removed = false;
        return () => {
          if (!removed) attached--;
          removed = true;
          off();
        };
      };
      handles.push({ pid: handle.pid!, attached: () => attached, exited: () => exited });
      return { get pid() { return handle.pid; }, postMessage: (m) => handle.postMessage(m), onMessage: counted(handle.onMessage), onExit: counted(handle.onExit), onOutput: counted(handle.onOutput!), kill: () => handle.kill() };
    },
  };
}
