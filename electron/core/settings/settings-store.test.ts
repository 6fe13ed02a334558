// Settings persisted as a validated file.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
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
