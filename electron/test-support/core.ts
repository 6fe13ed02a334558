// Test support: a real core on a temp folder — real chokidar, a real processor child process,
// a real database — and helpers to wait for what it pushes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after } from 'node:test';
import type { ApiEventName, ApiEvents } from '../../shared/api';
import type { Settings } from '../../shared/settings';
import { LiveBreadthCore, type CoreOptions } from '../core/app-core';
import { ROUND_THE_CLOCK } from '../core/launch-core';
import { launchNodeProcessor } from '../core/processor/node-processor';
import { SettingsStore, defaultSettings } from '../core/settings/settings-store';
import { tempDir } from './workbooks';

export interface TestCore {
  core: LiveBreadthCore;
  dataDir: string;
  home: string;
  events: { [K in ApiEventName]: ApiEvents[K][] };
}

export async function startTestCore(
  settings: Partial<Settings> = {},
  options: Partial<CoreOptions> = {},
  prepare?: (dataDir: string) => Promise<void>,
): Promise<TestCore> {
  const home = await tempDir('livebreadth-core-');
  const dataDir = path.join(home, 'live_data');
  await mkdir(dataDir);
  await prepare?.(dataDir);
  const store = new SettingsStore(path.join(home, 'settings.json'), {
    ...defaultSettings(dataDir),
    exchange: ROUND_THE_CLOCK,
    intervalSeconds: 3600, // only the cycles a test causes
    ...settings,
  });
  const core = new LiveBreadthCore({
    settings: store,
    dbPath: path.join(home, 'breadth.sqlite'),
    launch: launchNodeProcessor,
    backoffMs: [100],
    retryDelaysMs: [50, 100, 200],
    ...options,
  });
  const events = { snapshot: [], status: [], runFinished: [], feedStale: [], error: [], jobProgress: [], jobRemoved: [] } as TestCore['events'];
  for (const name of Object.keys(events) as ApiEventName[]) {
    (core as unknown as NodeJS.EventEmitter).on(name, (data: unknown) => {
      (events[name] as unknown[]).push(data);
    });
  }
  await core.init();
  after(() => core.shutdown());
  return { core, dataDir, home, events };
}

/** Resolves with the next event of that kind that passes `match`, or rejects after `ms`. */
export function nextEvent<K extends ApiEventName>(
  core: LiveBreadthCore,
  name: K,
  match: (data: ApiEvents[K]) => boolean = () => true,
  ms = 5_000,
): Promise<ApiEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      core.off(name, listener as never);
      reject(new Error(`No ${name} event within ${ms} ms`));
    }, ms);
    const listener = (data: ApiEvents[K]) => {
      if (!match(data)) return;
      clearTimeout(timer);
      core.off(name, listener as never);
      resolve(data);
    };
    core.on(name, listener as never);
  });
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
