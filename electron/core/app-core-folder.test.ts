// The core when its data folder goes away and comes back: a real folder deleted and made again
// under the real watcher, a real processor child process, a real database.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Snapshot } from '../../shared/domain';
import { connectWsApi, type WebSocketLike } from '../../shared/ws-client';
import { WS_PATH } from '../../shared/ws-protocol';
import { saveLikeExcel } from '../cli/demo/workbooks';
import { delay, nextEvent, startTestCore } from '../test-support/core';
import { tempDir, workbookBuffer, writeDataFolder } from '../test-support/workbooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const LIMIT = 30_000; // the core looks for a missing folder every 3 s; the machine may be loaded
const liveBook = (rows: Array<[string, number]>) => workbookBuffer([{ name: 'Live', rows: [['Symbol', 'LTP'], ...rows] }]);
const closes: Array<[string, number]> = [['TCS', 100], ['ITC', 50], ['SBIN', 80]];

describe('core: the data folder goes away and comes back', () => {
  it('deleted and made again: the status says it is missing, then clears; a save runs a cycle and the feed is fresh', async () => {
    const { core, dataDir } = await startTestCore({ autoStart: true, staleAfterSeconds: 5 }, {}, (dir) => writeDataFolder(dir, closes, closes));
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule', LIMIT);
    const message = `The data folder ${dataDir} is missing; waiting for it to come back`;

    const missing = nextEvent(core, 'status', (s) => s.error === message, LIMIT);
    const deletedAt = Date.now();
    await rm(dataDir, { recursive: true });
    await missing;
    assert.equal((await core.getStatus()).error, message);

    const cleared = nextEvent(core, 'status', (s) => s.error === null, LIMIT);
    await mkdir(dataDir);
    await writeDataFolder(dataDir, closes, []); // Historical back; Live comes with the next save
    await cleared;

    const run = nextEvent(core, 'runFinished', (r) => r.trigger === 'watcher' && r.status === 'ok' && r.snapshot?.advances === 1, LIMIT);
    await saveLikeExcel(path.join(dataDir, 'Live.xlsx'), await liveBook([['TCS', 101], ['ITC', 49], ['SBIN', 80]]));
    const report = await run;
    assert.deepEqual([report.snapshot!.advances, report.snapshot!.declines, report.snapshot!.unchanged], [1, 1, 1]);
    const status = await core.getStatus();
    assert.equal(status.error, null);
    assert.equal(status.feed.stale, false);
    assert.ok(Date.parse(status.feed.lastChangeAt!) >= deletedAt - 1_000, 'the feed time is the new save, not the old Live');
  });

  it('not there at start: says so; when it appears with its workbooks, a cycle runs and the message clears', async () => {
    const { core, dataDir, home, events } = await startTestCore({ autoStart: true, staleAfterSeconds: 5 }, {}, (dir) => rm(dir, { recursive: true }));
    // The cycle that starting runs fails (no folder); after it only the watcher causes cycles.
    const first = events.runFinished.find((r) => r.trigger === 'schedule') ??
      await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule', LIMIT);
    assert.match(first.message!, /does not exist/);
    const message = `The data folder ${dataDir} is missing; waiting for it to come back`;
    assert.equal((await core.getStatus()).error, message);
    assert.ok(events.error.some((e) => e.message === message));

    // The share is plugged in: the folder appears whole, Live already in it.
    const staged = path.join(home, 'staged');
    await mkdir(staged);
    await writeDataFolder(staged, closes, [['TCS', 99], ['ITC', 50], ['SBIN', 80]]);
    const run = nextEvent(core, 'runFinished', (r) => r.trigger === 'watcher' && r.status === 'ok', LIMIT);
    await rename(staged, dataDir);
    const report = await run;
    assert.equal(report.snapshot!.declines, 1);
    const status = await core.getStatus();
    assert.equal(status.error, null);
    assert.equal(status.feed.stale, false);
  });

  it('its parent folder renamed (no watch event): a failed cycle has the watcher look; the status says missing, then clears', async () => {
    const { core, dataDir, events } = await startTestCore({ autoStart: true }, {}, async (dir) => {
      await mkdir(path.join(dir, 'share', 'feed'), { recursive: true });
      await writeDataFolder(path.join(dir, 'share', 'feed'), closes, closes);
    });
    const share = path.join(dataDir, 'share');
    const feed = path.join(share, 'feed');
    await core.updateSettings({ dataDir: feed });
    assert.equal((await core.processNow()).status, 'ok');
    const message = `The data folder ${feed} is missing; waiting for it to come back`;

    const missing = nextEvent(core, 'status', (s) => s.error === message, LIMIT);
    await rename(share, `${share}-gone`);
    assert.equal((await core.processNow()).status, 'failed');
    await missing;
    assert.ok(events.error.some((e) => e.message === message));

    const back = nextEvent(core, 'status', (s) => s.error !== message, LIMIT);
    await rename(`${share}-gone`, share);
    await back;
    const run = nextEvent(core, 'runFinished', (r) => r.trigger === 'watcher' && r.status === 'ok' && r.snapshot?.declines === 2, LIMIT);
    await saveLikeExcel(path.join(feed, 'Live.xlsx'), await liveBook([['TCS', 99], ['ITC', 49], ['SBIN', 80]]));
    await run;
    assert.equal((await core.getStatus()).error, null);
  });

  it('its parent folder renamed and a new one made in its place: the next timed cycle has the watcher look, and saves are seen again', async () => {
    const { core, dataDir } = await startTestCore({ autoStart: true }, {}, async (dir) => {
      await mkdir(path.join(dir, 'share', 'feed'), { recursive: true });
      await writeDataFolder(path.join(dir, 'share', 'feed'), closes, closes);
    });
    const share = path.join(dataDir, 'share');
    const feed = path.join(share, 'feed');
    await core.updateSettings({ dataDir: feed });
    const saved = nextEvent(core, 'runFinished', (r) => r.trigger === 'watcher', LIMIT);
    await saveLikeExcel(path.join(feed, 'Live.xlsx'), await liveBook(closes));
    assert.notEqual((await saved).status, 'failed');

    // The drive is remapped: the old folder moves away unseen, a new one takes its path.
    await rename(share, `${share}-old`);
    await mkdir(feed, { recursive: true });
    await writeDataFolder(feed, closes, closes);
    await core.setInterval(1); // timed cycles read the new folder; each one has the watcher look
    // Any cycle the watcher causes from here proves it watches the new folder (a timed cycle may
    // read the save first, leaving the watcher's cycle "unchanged").
    const seen = nextEvent(core, 'runFinished', (r) => r.trigger === 'watcher' && r.status !== 'failed', LIMIT);
    await nextEvent(core, 'runFinished', (r) => r.trigger === 'schedule', LIMIT);
    await core.setInterval(3600);
    await saveLikeExcel(path.join(feed, 'Live.xlsx'), await liveBook([['TCS', 101], ['ITC', 51], ['SBIN', 80]]));
    await seen;
    const status = await core.getStatus();
    assert.equal(status.feed.stale, false);
    assert.equal(status.error, null);
  });
});

describe('breadth serve on a data folder not there yet', () => {
  it('starts, says the folder is missing, and processes the feed once the share is plugged in', async () => {
    const home = await tempDir('livebreadth-serve-');
    const dataDir = path.join(home, 'live_data');
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'serve', '--data', dataDir, '--port', '0', '--always-open'], {
      cwd: root, env: { ...process.env, LIVEBREADTH_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    after(() => { child.kill('SIGKILL'); });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Dashboard: (http:\/\/\S+)\//.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const api = connectWsApi(new WebSocket(`${url.replace('http', 'ws')}${WS_PATH}`) as unknown as WebSocketLike);
    after(() => api.close());
    await api.opened;
    assert.equal((await api.getStatus()).error, `The data folder ${dataDir} is missing; waiting for it to come back`);

    const snapshot = new Promise<Snapshot>((resolve) => api.on('snapshot', resolve));
    const staged = path.join(home, 'staged');
    await mkdir(staged);
    await writeDataFolder(staged, closes, [['TCS', 101], ['ITC', 50], ['SBIN', 80]]);
    await rename(staged, dataDir);
    const s = await Promise.race([snapshot, delay(LIMIT).then(() => { throw new Error(`no snapshot within ${LIMIT} ms (${stderr})`); })]);
    assert.equal(s.advances, 1);
    assert.equal((await api.getStatus()).error, null);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
  });
});
