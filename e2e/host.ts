// A real headless host for a test: `breadth serve` as its own process on a temp home, data
// folder and database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { RunRecord } from '../shared/domain';
import { connectWsApi, type WebSocketLike } from '../shared/ws-client';
import { WS_PATH } from '../shared/ws-protocol';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Host {
  url: string;
  home: string;
  dataDir: string;
  dbPath: string;
  /** The processing runs, newest first, read through the host's own API (not the browser's link). */
  runs(): Promise<RunRecord[]>;
  stop(): Promise<void>;
}

export interface HostOptions {
  /** Settings written before start (merged over the defaults by the app). */
  settings?: Record<string, unknown>;
  /** Ignore market hours. */
  alwaysOpen?: boolean;
  /** Prepare the home (a database, files) before the host starts. */
  prepare?: (paths: { home: string; dataDir: string; dbPath: string }) => Promise<void>;
}

export async function startHost(options: HostOptions = {}): Promise<Host> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'livebreadth-e2e-'));
  const dataDir = path.join(home, 'live_data');
  const dbPath = path.join(home, 'breadth.sqlite');
  await mkdir(dataDir);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({ dataDir, intervalSeconds: 3600, ...options.settings }));
  await options.prepare?.({ home, dataDir, dbPath });
  const args = ['--import', 'tsx', 'electron/cli/main.ts', 'serve', '--port', '0'];
  if (options.alwaysOpen) args.push('--always-open');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LIVEBREADTH_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Dashboard: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    home,
    dataDir,
    dbPath,
    runs: async () => {
      const api = connectWsApi(new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/(\?.*)?$/, '')}${WS_PATH}`) as unknown as WebSocketLike);
      try {
        return await api.getRuns(1000);
      } finally {
        api.close();
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
