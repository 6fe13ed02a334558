// What a settings change does: the decision alone (a pure comparison), then the applier on a
// real settings file, telling the running parts what to do and in which order.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from '../../../shared/settings';
import { tempDir } from '../../test-support/workbooks';
import { SettingsApplier, planSettingsChange, type SettingsTargets } from './settings-applier';
import { SettingsError, SettingsStore, defaultSettings } from './settings-store';

const BASE: Settings = defaultSettings('/data/live');

describe('planSettingsChange', () => {
  const plan = (patch: Partial<Settings>, before: Settings = BASE) => planSettingsChange(before, { ...before, ...patch });

  it('another folder, file name or way of watching: the processor reopens and the folder is watched anew', () => {
    const both = { reconfigureProcessor: true, rewatchFolder: true, autoProcessing: null };
    assert.deepEqual(plan({ dataDir: '/data/other' }), both);
    assert.deepEqual(plan({ liveFileName: 'Prices' }), both);
    assert.deepEqual(plan({ historicalFileName: 'Closes' }), both);
    assert.deepEqual(plan({ usePolling: true }), both);
  });

  it('another exchange zone: only the processor (trade dates); other exchange fields and the interval: neither', () => {
    assert.deepEqual(plan({ exchange: { ...BASE.exchange, zone: 'Asia/Dubai' } }), { reconfigureProcessor: true, rewatchFolder: false, autoProcessing: null });
    const nothing = { reconfigureProcessor: false, rewatchFolder: false, autoProcessing: null };
    assert.deepEqual(plan({ exchange: { ...BASE.exchange, sessionClose: '16:00', holidays: ['2026-01-26'] } }), nothing);
    assert.deepEqual(plan({ intervalSeconds: 1, staleAfterSeconds: 30, hideToTrayOnClose: false }), nothing);
    assert.deepEqual(plan({}), nothing);
  });

  it('auto-processing switched on or off starts or stops it; left as it was, neither', () => {
    assert.equal(plan({ autoStart: false }).autoProcessing, 'stop');
    assert.equal(plan({ autoStart: true }, { ...BASE, autoStart: false }).autoProcessing, 'start');
    assert.equal(plan({ autoStart: true }).autoProcessing, null);
  });
});

function recorder(): { calls: string[]; targets: SettingsTargets } {
  const calls: string[] = [];
  return {
    calls,
    targets: {
      reconfigureProcessor: async () => void calls.push('reconfigure'),
      rewatchFolder: async () => void calls.push('rewatch'),
      startAutoProcessing: () => void calls.push('start'),
      stopAutoProcessing: () => void calls.push('stop'),
      replan: () => void calls.push('replan'),
    },
  };
}

async function applier(settings: Partial<Settings> = {}) {
  const home = await tempDir();
  const file = path.join(home, 'settings.json');
  const store = new SettingsStore(file, { ...defaultSettings(home), autoStart: false, ...settings });
  const { calls, targets } = recorder();
  return { home, file, store, calls, applier: new SettingsApplier(store, targets) };
}

describe('SettingsApplier', () => {
  it('saves the change, then has the parts follow it in order: processor, watch, auto-processing, plan', async () => {
    const a = await applier();
    const after = await a.applier.update({ dataDir: a.home, usePolling: true, autoStart: true, intervalSeconds: 2 });
    assert.deepEqual(a.calls, ['reconfigure', 'rewatch', 'start', 'replan']);
    assert.deepEqual([after.usePolling, after.autoStart, after.intervalSeconds], [true, true, 2]);
    const saved = JSON.parse(await readFile(a.file, 'utf8'));
    assert.deepEqual([saved.usePolling, saved.autoStart, saved.intervalSeconds], [true, true, 2]);
    a.calls.length = 0;
    await a.applier.update({ intervalSeconds: 3 });
    assert.deepEqual(a.calls, ['replan'], 'the interval alone: only a new plan');
  });

  it('a refused value changes nothing and moves nothing', async () => {
    const a = await applier();
    await assert.rejects(a.applier.update({ intervalSeconds: 0, autoStart: true }), /^SettingsError: intervalSeconds: /);
    assert.deepEqual(a.calls, []);
    assert.equal(a.store.get().autoStart, false);
  });

  it('imports holidays: merged with the exchange\'s, sorted, once each; an unreadable file names itself and changes nothing', async () => {
    const a = await applier({ exchange: { ...BASE.exchange, holidays: ['2026-03-03'] } });
    const csv = 'Sr. No,Date,Day,Description\n1,26-Jan-2026,Monday,Republic Day\n2,03-Mar-2026,Tuesday,Holi\n';
    const after = await a.applier.importHolidays('NSE_holidays_2026.csv', csv);
    assert.deepEqual(after.exchange.holidays, ['2026-01-26', '2026-03-03']);
    assert.deepEqual(a.calls, ['replan']);
    const refused = await a.applier.importHolidays('bad.csv', 'Date\nsoon\n').catch((e: Error) => e);
    assert.ok(refused instanceof SettingsError, String(refused));
    assert.match(refused.message, /bad\.csv/);
    assert.deepEqual(a.store.get().exchange.holidays, ['2026-01-26', '2026-03-03']);
    assert.deepEqual(a.calls, ['replan']);
  });
});
