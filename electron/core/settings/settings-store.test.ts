// Settings persisted as a validated file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { settingsSchema } from '../../../shared/settings';
import { tempDir } from '../../test-support/workbooks';
import { SettingsStore, defaultSettings } from './settings-store';

describe('SettingsStore', () => {
  it('starts from defaults: NSE, 6 s, auto-processing and hide to tray on', async () => {
    const dir = await tempDir();
    const s = new SettingsStore(path.join(dir, 'settings.json'), defaultSettings('/data')).get();
    assert.deepEqual([s.exchange.name, s.exchange.zone, s.exchange.sessionOpen, s.exchange.sessionClose, s.intervalSeconds, s.autoStart, s.hideToTrayOnClose], ['NSE', 'Asia/Kolkata', '09:15', '15:30', 6, true, true]);
  });

  it('persists a change, and a new store reads it back', async () => {
    const file = path.join(await tempDir(), 'nested', 'settings.json');
    new SettingsStore(file, defaultSettings('/data')).update({ intervalSeconds: 10, staleAfterSeconds: 120 });
    const again = new SettingsStore(file, defaultSettings('/data')).get();
    assert.deepEqual([again.intervalSeconds, again.staleAfterSeconds], [10, 120]);
  });

  it('refuses bad values naming the field, and changes nothing', async () => {
    const file = path.join(await tempDir(), 'settings.json');
    const store = new SettingsStore(file, defaultSettings('/data'));
    const cases: Array<[object, RegExp]> = [
      [{ intervalSeconds: 0 }, /^intervalSeconds: /],
      [{ intervalSeconds: 3601 }, /^intervalSeconds: /],
      [{ intervalSeconds: 2.5 }, /^intervalSeconds: must be a whole number of seconds/],
      [{ dataDir: '' }, /^dataDir: choose the folder/],
      [{ exchange: { ...defaultSettings('/d').exchange, sessionOpen: '9.15' } }, /^exchange\.sessionOpen: must be a time like 09:15/],
      [{ exchange: { ...defaultSettings('/d').exchange, sessionOpen: '16:00' } }, /^exchange\.sessionClose must be after sessionOpen/],
      [{ exchange: { ...defaultSettings('/d').exchange, zone: 'India/Mumbai' } }, /^exchange\.zone "India\/Mumbai" is not a known time zone/],
      [{ liveFileName: 'Live.xlsx/..' }, /^liveFileName: /],
      [{ colour: 'red' }, /colour/],
    ];
    for (const [patch, message] of cases) assert.throws(() => store.update(patch as never), { message }, JSON.stringify(patch));
    assert.deepEqual(store.get(), defaultSettings('/data'));
    await assert.rejects(readFile(file), /ENOENT/, 'nothing was written');
  });

  it('a damaged file falls back to defaults and says why', async () => {
    const file = path.join(await tempDir(), 'settings.json');
    await writeFile(file, '{"intervalSeconds": "fast"');
    const store = new SettingsStore(file, defaultSettings('/data'));
    assert.equal(store.get().intervalSeconds, 6);
    assert.match(store.loadProblem!, /was not used/);
  });

  it('run-only overrides are not written, unless the user changes that field', async () => {
    const file = path.join(await tempDir(), 'settings.json');
    const chosen = await tempDir();
    const store = new SettingsStore(file, defaultSettings('/data'), { dataDir: '/from-cli' });
    store.update({ intervalSeconds: 7 });
    assert.equal(store.get().dataDir, '/from-cli');
    assert.equal(JSON.parse(await readFile(file, 'utf8')).dataDir, '/data');
    store.update({ dataDir: chosen });
    assert.equal(store.get().dataDir, chosen);
    assert.equal(JSON.parse(await readFile(file, 'utf8')).dataDir, chosen);
  });

  it('a new data folder must exist: a missing path or a file is refused, naming the path, and nothing is written', async () => {
    const home = await tempDir();
    const file = path.join(home, 'settings.json');
    const store = new SettingsStore(file, defaultSettings(home));
    const missing = path.join(home, 'no-such-folder');
    const notAFolder = path.join(home, 'Live.xlsx');
    await writeFile(notAFolder, 'a file');
    assert.throws(() => store.update({ dataDir: missing, intervalSeconds: 9 }), { name: 'SettingsError', message: `dataDir: no folder at ${missing}` });
    assert.throws(() => store.update({ dataDir: notAFolder }), { message: `dataDir: no folder at ${notAFolder}` });
    assert.deepEqual(store.get(), defaultSettings(home));
    await assert.rejects(readFile(file), /ENOENT/, 'nothing was written');

    const folder = path.join(home, 'feed');
    await mkdir(folder);
    assert.equal(store.update({ dataDir: folder }).dataDir, folder);
  });

  it('the current data folder sent back unchanged (a whole settings form) is not re-checked', async () => {
    const file = path.join(await tempDir(), 'settings.json');
    const gone = path.join(await tempDir(), 'unplugged-share');
    const store = new SettingsStore(file, defaultSettings(gone));
    assert.equal(store.update({ ...store.get(), intervalSeconds: 8 }).intervalSeconds, 8);
  });
});

describe('SettingsStore: two processes writing the same settings file', () => {
  // The desktop app and `breadth serve` on one user-data folder, or two windows of a dashboard
  // saving at once: each process writes its own temp file and renames it over settings.json.
  it('many concurrent updates from two real processes: every read parses and validates, no temp file is left', { timeout: 120_000 }, async (t) => {
    const home = await tempDir();
    const file = path.join(home, 'settings.json');
    new SettingsStore(file, defaultSettings(home)).update({ intervalSeconds: 1 });
    const WRITES = 400;
    const script = `
      import { SettingsStore, defaultSettings } from ${JSON.stringify(path.join(import.meta.dirname, 'settings-store.ts'))};
      const [file, home, writer] = process.argv.slice(1);
      const store = new SettingsStore(file, defaultSettings(home));
      for (let i = 1; i <= ${WRITES}; i++) store.update({ intervalSeconds: 1 + (i % 3600), liveFileName: 'Live' + writer });`;
    const writers = ['A', 'B'].map((writer) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file, home, writer], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      t.after(() => { child.kill('SIGKILL'); });
      return once(child, 'exit').then(([code]) => ({ code, stderr }));
    });
    let done = false;
    const exits = Promise.all(writers).finally(() => (done = true));
    let reads = 0;
    const bad: string[] = [];
    while (!done) {
      const text = readFileSync(file, 'utf8');
      reads++;
      try {
        settingsSchema.parse(JSON.parse(text));
      } catch (error) {
        bad.push(`${(error as Error).message.split('\n', 1)[0]}: ${JSON.stringify(text.slice(0, 80))}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await exits;
    t.diagnostic(`${reads} reads during ${2 * WRITES} writes`);
    assert.deepEqual(bad.slice(0, 3), [], `${bad.length} of ${reads} reads did not parse`);
    const errorLine = (stderr: string) => stderr.split('\n').find((line) => /Error/.test(line)) ?? stderr.trim();
    assert.deepEqual(results.map((r) => [r.code, errorLine(r.stderr)]), [[0, ''], [0, '']], 'both writers finished every update');
    assert.ok(reads > 20, `the file was read while it was being written (${reads} reads)`);
    assert.deepEqual(await readdir(home), ['settings.json'], 'no temp file left behind');
    const last = settingsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    assert.ok(['LiveA', 'LiveB'].includes(last.liveFileName));
  });
});
