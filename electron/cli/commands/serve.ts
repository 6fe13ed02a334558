// `serve`: the headless host — the core on a data folder, the dashboard over HTTP and the API
// over WebSocket, for a browser on another screen and for end-to-end tests.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, ROUND_THE_CLOCK } from '../../core/launch-core';
import { isLoopback, startHeadlessServer, type HeadlessServer } from '../../server/headless-server';
import { listenForStop } from '../stop-signals';
import { integerOption, UsageError } from '../usage';
import type { LiveBreadthCore } from '../../core/app-core';
import type { ProcessorLog } from '../../core/processor/processor-log';
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

/** `onCore` gets the core before it starts, so a forced exit during start-up can end its processor. */
export async function startServe(options: ServeOptions, onCore?: (core: LiveBreadthCore) => void): Promise<{ core: LiveBreadthCore; server: HeadlessServer; processorLog: ProcessorLog }> {
  const host = options.host ?? '127.0.0.1';
  const port = integerOption(options.port, 'port', 8787, 0, 65535);
  if (options.token !== undefined && options.token.length < 12) throw new UsageError('--token must be at least 12 characters');
  const overrides: Partial<Settings> = {};
  if (options.data) overrides.dataDir = path.resolve(options.data);
  if (options['always-open']) overrides.exchange = ROUND_THE_CLOCK;
  const { core, processorLog } = createCore({ dbPath: options.db ? path.resolve(options.db) : undefined, overrides });
  onCore?.(core);
  try {
    await core.init();
  } catch (error) {
    await processorLog.close(); // the processor's last lines (why it could not start) reach the file
    throw error;
  }
  try {
    const server = await startHeadlessServer({
      api: core, host, port, token: options.token, staticDir: path.join(root, 'out', 'renderer'),
      allowRemoteFolderChanges: options['allow-remote-folder-changes'] ?? false,
    });
    return { core, server, processorLog };
  } catch (error) {
    await closeAll(core, null, processorLog);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} on ${host} is in use: choose another with --port`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`${host} is not an address of this computer`);
    throw error;
  }
}

// ── stopping: electron/cli/stop-signals.ts hears the signals, from start-up on ────────────

/**
 * Closes the host, then the core: the running cycle finishes or is abandoned within the core's
 * bound, and the database is closed last, checkpointed.
 */
export async function closeAll(core: LiveBreadthCore, server: HeadlessServer | null, processorLog?: ProcessorLog): Promise<void> {
  await server?.close();
  await core.shutdown();
  await processorLog?.close(); // last: the processor's final lines are written before the process exits
}

export async function runServe(options: ServeOptions): Promise<number> {
  // A signal during start-up stops the host as soon as it is up (exit 0); a second one, or a
  // start-up that does not end within FORCED_EXIT_MS of it, kills the processor (exit 1).
  const stop = listenForStop();
  try {
    const { core, server, processorLog } = await startServe(options, (created) => stop.onForce(() => created.abandon()));
    stop.started();
    if (!stop.isRequested) {
      const status = await core.getStatus();
      process.stdout.write(`LiveBreadth serving ${status.dataDir}\n`);
      process.stdout.write(`Dashboard: ${server.dashboardUrl}\n`);
      if (!isLoopback(options.host ?? '127.0.0.1')) process.stdout.write(`Access token: ${server.token}\n`);
    }
    await stop.requested;
    await closeAll(core, server, processorLog);
    return 0;
  } finally {
    stop.dispose();
  }
}
