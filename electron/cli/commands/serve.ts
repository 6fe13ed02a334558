// `serve`: the headless host — the core on a data folder, the dashboard over HTTP and the API
// over WebSocket, for a browser on another screen and for end-to-end tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, ROUND_THE_CLOCK } from '../../core/launch-core';
import { isLoopback, startHeadlessServer, type HeadlessServer } from '../../server/headless-server';
import { integerOption, UsageError } from '../usage';
import type { LiveBreadthCore } from '../../core/app-core';
import type { Settings } from '../../../shared/settings';

export interface ServeOptions {
  data?: string;
  db?: string;
  port?: string;
  host?: string;
  token?: string;
  'always-open'?: boolean;
  /** Network dashboards (a token, or off loopback) may change the data folder and file names. */
  'allow-remote-folder-changes'?: boolean;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function startServe(options: ServeOptions): Promise<{ core: LiveBreadthCore; server: HeadlessServer }> {
  const host = options.host ?? '127.0.0.1';
  const port = integerOption(options.port, 'port', 8787, 0, 65535);
  if (options.token !== undefined && options.token.length < 12) throw new UsageError('--token must be at least 12 characters');
  const overrides: Partial<Settings> = {};
  if (options.data) overrides.dataDir = path.resolve(options.data);
  if (options['always-open']) overrides.exchange = ROUND_THE_CLOCK;
  const { core } = createCore({ dbPath: options.db ? path.resolve(options.db) : undefined, overrides });
  await core.init();
  try {
    const server = await startHeadlessServer({
      api: core, host, port, token: options.token, staticDir: path.join(root, 'out', 'renderer'),
      allowRemoteFolderChanges: options['allow-remote-folder-changes'] ?? false,
    });
    return { core, server };
  } catch (error) {
    await core.shutdown();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} on ${host} is in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`${host} is not an address of this computer`);
    throw error;
  }
}

// ── stopping (Ctrl+C, SIGTERM from a service manager or the system shutting down) ─────────

/** A close that takes longer than this (it should take about 3 s at most) ends the process anyway. */
export const FORCED_EXIT_MS = 10_000;

/** Resolves on the first SIGINT or SIGTERM; listening starts at the call, so call it before starting. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * Closes the host, then the core (the running cycle finishes or is abandoned within the core's
 * bound; the database is closed last, checkpointed). A second Ctrl+C, or a close past
 * FORCED_EXIT_MS, kills the processor and exits at once: a stop never hangs.
 */
export async function closeAll(core: LiveBreadthCore, server: HeadlessServer | null): Promise<void> {
  const force = () => {
    core.abandon();
    process.stderr.write('breadth: stopped at once; the running cycle was abandoned\n');
    process.exit(1);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  const watchdog = setTimeout(force, FORCED_EXIT_MS);
  watchdog.unref();
  try {
    await server?.close();
    await core.shutdown();
  } finally {
    clearTimeout(watchdog);
    process.off('SIGINT', force);
    process.off('SIGTERM', force);
  }
}

export async function runServe(options: ServeOptions): Promise<number> {
  const stop = nextStopSignal(); // a signal during start-up stops the host as soon as it is up
  const { core, server } = await startServe(options);
  const status = await core.getStatus();
  process.stdout.write(`LiveBreadth serving ${status.dataDir}\n`);
  process.stdout.write(`Dashboard: ${server.dashboardUrl}\n`);
  if (!isLoopback(options.host ?? '127.0.0.1')) process.stdout.write(`Access token: ${server.token}\n`);
  await stop;
  await closeAll(core, server);
  return 0;
}
