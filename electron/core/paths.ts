// Where the app keeps its files. Mirrors Electron's app.getPath('userData') so that the CLI,
// the headless host and the desktop app share one database without importing electron.
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'LiveBreadth';
export const DATABASE_FILE = 'breadth.sqlite';
/** Beside the settings and the database: the processor's output (processor.log and its rotations). */
export const LOGS_DIR = 'logs';

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.LIVEBREADTH_HOME) return env.LIVEBREADTH_HOME;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

/** The database lives with the user's data, never in the watched folder (often a network share). */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return path.join(defaultUserDataDir(env, platform), DATABASE_FILE);
}

/** Where the app's logs go: <userData>/logs. */
export function logsDirOf(userDataDir: string): string {
  return path.join(userDataDir, LOGS_DIR);
}
