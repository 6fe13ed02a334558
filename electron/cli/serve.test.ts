// The done-when of the desktop-app issue, as a user would run it: `breadth serve` as its own
// process, the demo feed saving into its folder, a WebSocket client timing each snapshot.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Snapshot } from '../../shared/domain';
import { connectWsApi, type WebSocketLike } from '../../shared/ws-client';
import { WS_PATH } from '../../shared/ws-protocol';
import { DemoFeed } from './demo/feed';
import { tempDir } from '../test-support/workbooks';
import { frame, rawUpgrade } from '../server/raw-ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `breadth serve` as its own process on a temp home; resolves with its dashboard URL. */
async function serve(home: string, args: string[]): Promise<{ url: string; child: ReturnType<typeof spawn>; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'serve', '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, LIVEBREADTH_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  after(() => {
    child.kill('SIGTERM');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Dashboard: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { url, child, stderr: () => stderr };
}

const SAVES = 40; // a session compressed: the feed's refreshes 250 ms apart

describe('breadth serve with the demo feed', () => {
  it('pushes a snapshot to a WebSocket client within a second of each save, for a whole simulated session', async () => {
    const home = await tempDir('livebreadth-serve-');
    const dataDir = path.join(home, 'live_data');
    const feed = new DemoFeed({ dataDir, symbols: 204 });
    await feed.writeHistorical();
    await feed.writeLive();

    const server = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'serve', '--data', dataDir, '--port', '0', '--always-open'], {
      cwd: root,
      env: { ...process.env, LIVEBREADTH_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (d) => (stderr += d));
    after(() => {
      server.kill('SIGTERM');
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const m = /Dashboard: (http:\/\/\S+)\//.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });

    const api = connectWsApi(new WebSocket(`${url.replace('http', 'ws')}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => api.close());
    await api.opened;
    const snapshots: Array<{ at: number; snapshot: Snapshot }> = [];
    api.on('snapshot', (snapshot) => snapshots.push({ at: Date.now(), snapshot }));

    const latencies: number[] = [];
    for (let i = 0; i < SAVES; i++) {
      const seen = snapshots.length;
      await feed.writeLive(); // resolves when the rename that completes the save is done
      const savedAt = Date.now();
      while (snapshots.length === seen && Date.now() - savedAt < 1_000) await new Promise((r) => setTimeout(r, 5));
      assert.ok(snapshots.length > seen, `save ${i + 1}: no snapshot within a second (${stderr})`);
      latencies.push(snapshots[seen]!.at - savedAt);
      await new Promise((r) => setTimeout(r, 250));
    }
    const last = snapshots.at(-1)!.snapshot;
    assert.equal(last.total, 204);
    const series = await api.getSeries();
    assert.ok(series.length >= SAVES, `the day's series holds every snapshot (${series.length})`);
    latencies.sort((a, b) => a - b);
    process.stdout.write(`# save-to-snapshot over WebSocket: median ${latencies[SAVES >> 1]} ms, max ${latencies.at(-1)} ms\n`);
  });
});

describe('breadth serve, hardened', () => {
  it('survives a malformed frame and an oversized message, and keeps serving', async () => {
    const home = await tempDir('livebreadth-serve-');
    const { url, child, stderr } = await serve(home, ['--data', path.join(home, 'live_data')]);
    const port = Number(new URL(url).port);
    const api = connectWsApi(new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => api.close());
    await api.getStatus();
    for (const bytes of [frame({ opcode: 0x3 }), frame({ opcode: 1, payload: 'x', mask: false }), frame({ opcode: 1, claimedLength: 9 * 1024 * 1024 })]) {
      const raw = await rawUpgrade(port, WS_PATH);
      raw.socket.write(bytes);
      setTimeout(() => raw.socket.end(), 200); // hang up after the host's close frame, as a client would
      await raw.closed;
    }
    assert.equal(child.exitCode, null, `serve is still running (${stderr()})`);
    assert.equal(typeof (await api.getStatus()).running, 'boolean');
    assert.match(stderr(), /closed the connection from 127\.0\.0\.1:\d+: .*over 8388608 bytes/);
  });

  it('with a token, network dashboards may not re-point the data folder unless --allow-remote-folder-changes', async () => {
    for (const allow of [false, true]) {
      const home = await tempDir('livebreadth-serve-');
      const token = 'a-long-enough-token';
      const args = ['--data', path.join(home, 'live_data'), '--token', token, ...(allow ? ['--allow-remote-folder-changes'] : [])];
      const { url } = await serve(home, args);
      const api = connectWsApi(new WebSocket(`${url.replace('http', 'ws').replace(/\/\?.*$/, '')}${WS_PATH}?token=${token}`) as unknown as WebSocketLike);
      after(() => api.close());
      const elsewhere = path.join(home, 'elsewhere');
      await mkdir(elsewhere);
      assert.equal((await api.updateSettings({ intervalSeconds: 7 })).intervalSeconds, 7, 'other settings change');
      if (allow) {
        assert.equal((await api.updateSettings({ dataDir: elsewhere })).dataDir, elsewhere);
      } else {
        await assert.rejects(api.updateSettings({ dataDir: elsewhere }), { code: 'forbidden', message: /^dataDir: can be changed only on the computer/ });
        assert.equal((await api.getSettings()).dataDir, path.join(home, 'live_data'), 'unchanged');
      }
    }
  });
});
