// The API boundary with a real core (real folders, a real processor process, a real database):
// a network client cannot point the app at other files, and nobody can point it at a folder
// that is not there.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CycleReport } from '../../shared/processor-protocol';
import type { Settings } from '../../shared/settings';
import { startTestCore } from '../test-support/core';
import { tempDir, writeDataFolder } from '../test-support/workbooks';
import { dispatchApiCall } from './api-dispatch';

const NETWORK = { local: false };
const LOCAL = { local: true };

/** A folder elsewhere on the computer holding workbooks the network client must not get read. */
async function otherFolder(): Promise<string> {
  const dir = await tempDir('livebreadth-private-');
  await writeDataFolder(dir, [['SECRET', 10]], [['SECRET', 11]]);
  return dir;
}

describe('API dispatch: file-system settings', () => {
  it('a network client cannot change dataDir, liveFileName or historicalFileName, alone or with other fields; nothing changes', async () => {
    const { core } = await startTestCore();
    const before = await core.getSettings();
    const elsewhere = await otherFolder();
    const patches: Array<[Partial<Settings>, string[]]> = [
      [{ dataDir: elsewhere }, ['dataDir']],
      [{ dataDir: elsewhere, intervalSeconds: 7 }, ['dataDir']],
      [{ intervalSeconds: 7, liveFileName: 'Other' }, ['liveFileName']],
      [{ historicalFileName: 'Other' }, ['historicalFileName']],
      [{ dataDir: elsewhere, liveFileName: 'Live2', historicalFileName: 'Hist2' }, ['dataDir', 'liveFileName', 'historicalFileName']],
    ];
    for (const [patch, fields] of patches) {
      await assert.rejects(dispatchApiCall(core, 'updateSettings', [patch], NETWORK), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'forbidden', JSON.stringify(patch));
        const parts = error.message.split('; ');
        assert.deepEqual(parts.map((p) => p.split(':')[0]), fields);
        for (const part of parts) assert.match(part, /can be changed only on the computer LiveBreadth runs on/);
        return true;
      });
    }
    assert.deepEqual(await core.getSettings(), before);
  });

  it('refused, the network client cannot make processNow read the other folder', async () => {
    const { core } = await startTestCore();
    const elsewhere = await otherFolder();
    await assert.rejects(dispatchApiCall(core, 'updateSettings', [{ dataDir: elsewhere }], NETWORK), { code: 'forbidden' });
    const report = (await dispatchApiCall(core, 'processNow', [], NETWORK)) as CycleReport;
    assert.notEqual(report.status, 'ok');
    assert.equal(report.snapshot, null);

    // The same patch from the local user does read it: the refusal above is what stood in the way.
    await dispatchApiCall(core, 'updateSettings', [{ dataDir: elsewhere }], LOCAL);
    const local = (await dispatchApiCall(core, 'processNow', [], LOCAL)) as CycleReport;
    assert.equal(local.status, 'ok');
    assert.equal(local.snapshot?.advances, 1);
  });

  it('a network client learns nothing about which paths exist: the same refusal for a real folder, a file and nothing', async () => {
    const { core, home } = await startTestCore();
    const existing = await otherFolder();
    const file = path.join(existing, 'Live.xlsx');
    const missing = path.join(home, 'no-such-folder');
    const messages: string[] = [];
    for (const dataDir of [existing, file, missing]) {
      await assert.rejects(dispatchApiCall(core, 'updateSettings', [{ dataDir }], NETWORK), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'forbidden');
        messages.push(error.message);
        return true;
      });
    }
    assert.equal(new Set(messages).size, 1, messages.join('\n'));
    assert.ok(!messages[0]!.includes(home), 'the refusal does not echo the path');
  });

  it('a network client may save the whole settings form with the file-system fields unchanged', async () => {
    const { core } = await startTestCore();
    const form = { ...(await core.getSettings()), intervalSeconds: 9, staleAfterSeconds: 90 };
    const saved = (await dispatchApiCall(core, 'updateSettings', [form], NETWORK)) as Settings;
    assert.deepEqual([saved.intervalSeconds, saved.staleAfterSeconds], [9, 90]);
    assert.deepEqual(await core.getSettings(), form);
  });

  it('the local user may change dataDir only to an existing folder; a missing path or a file is refused by name, nothing changes', async () => {
    const { core, home } = await startTestCore();
    const before = await core.getSettings();
    const missing = path.join(home, 'typo_live_data');
    const file = path.join(home, 'a-file');
    await writeFile(file, 'not a folder');
    for (const dataDir of [missing, file]) {
      await assert.rejects(dispatchApiCall(core, 'updateSettings', [{ dataDir, intervalSeconds: 11 }], LOCAL), {
        code: 'bad-input',
        message: `dataDir: no folder at ${dataDir}`,
      });
    }
    assert.deepEqual(await core.getSettings(), before);

    const folder = path.join(home, 'feed');
    await mkdir(folder);
    const saved = (await dispatchApiCall(core, 'updateSettings', [{ dataDir: folder, liveFileName: 'Prices' }], LOCAL)) as Settings;
    assert.deepEqual([saved.dataDir, saved.liveFileName], [folder, 'Prices']);
    assert.equal((await core.getStatus()).dataDir, folder);
  });
});

describe('API dispatch: bad arguments', () => {
  it('each problem is named as settings name theirs, within its argument, after the method', async () => {
    const { core } = await startTestCore({ autoStart: false });
    const refusal = async (method: string, args: unknown): Promise<string> => {
      try {
        await dispatchApiCall(core, method, args, LOCAL);
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'bad-input');
        return (error as Error).message;
      }
      throw new Error(`${method} was not refused`);
    };
    assert.equal(await refusal('setInterval', [0]), 'setInterval: argument 1: must be at least 1 second');
    assert.match(await refusal('getMovers', [null, 500]), /^getMovers: argument 2: /);
    assert.match(await refusal('setInterval', []), /^setInterval: arguments: /);
    assert.equal(await refusal('updateSettings', [{ intervalSeconds: 5000 }]), 'updateSettings: intervalSeconds: must be at most 3600 seconds (an hour)');
    // A message that names its own field reads as a sentence after its parent's path, as in the settings file's errors.
    const zone = { ...(await core.getSettings()).exchange, zone: 'India/Mumbai' };
    assert.equal(
      await refusal('updateSettings', [{ intervalSeconds: 0, exchange: zone }]),
      'updateSettings: exchange.zone "India/Mumbai" is not a known time zone (use an IANA name such as Asia/Kolkata); intervalSeconds: must be at least 1 second',
    );
  });
});
