// Putting a core together from the user's data directory: the settings file, the database,
// a processor launcher and the processor's log (<userData>/logs/processor.log). The headless
// host and the CLI use this; Electron's main passes its own launcher (utilityProcess) and paths.
import path from 'node:path';
import type { Settings } from '../../shared/settings';
import { LiveBreadthCore } from './app-core';
import { launchNodeProcessor } from './processor/node-processor';
import { DATABASE_FILE, defaultUserDataDir, logsDirOf } from './paths';
import type { ProcessorLauncher } from './processor/processor-client';
import { ProcessorLog, withOutputLog } from './processor/processor-log';
import { SettingsStore, defaultSettings } from './settings/settings-store';

export const SETTINGS_FILE = 'settings.json';

/** A session that never closes, for the demo at any hour. */
export const ROUND_THE_CLOCK: Settings['exchange'] = {
  name: 'Demo (24 h)',
  zone: 'Asia/Kolkata',
  sessionOpen: '00:00',
  sessionClose: '23:59',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  holidays: [],
  extraSessions: [],
};

export interface CoreSetup {
  userDataDir?: string;
  dbPath?: string;
  defaultDataDir?: string;
  overrides?: Partial<Settings>;
  launch?: ProcessorLauncher;
}

export function createCore(setup: CoreSetup = {}): { core: LiveBreadthCore; settings: SettingsStore; dbPath: string; processorLog: ProcessorLog } {
  const home = setup.userDataDir ?? defaultUserDataDir();
  const dbPath = setup.dbPath ?? path.join(home, DATABASE_FILE);
  const settings = new SettingsStore(
    path.join(home, SETTINGS_FILE),
    defaultSettings(setup.defaultDataDir ?? path.join(home, 'live_data')),
    setup.overrides,
  );
  // A log that cannot be written is no reason not to run: the crash's last lines stay in the status.
  const processorLog = new ProcessorLog({ dir: logsDirOf(home), onProblem: (message) => console.error(message) });
  const launch = withOutputLog(setup.launch ?? launchNodeProcessor, processorLog);
  const core = new LiveBreadthCore({ settings, dbPath, launch });
  return { core, settings, dbPath, processorLog };
}
