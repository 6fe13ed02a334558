// The days an import asks for come from the app's calendar: a weekend or a listed holiday never
// reaches the archive, and every trading day is asked for exactly once, also across two runs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { tradingDaysBetween } from '../../../../shared/history/trading-days';
import { NSE_PROFILE, type ExchangeProfile } from '../../../../shared/market-calendar';
import { NseArchiveSource } from './nse-archive-source';
import { startArchiveServer } from './testing/archive-server';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'holidays-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

it('never asks the archive for a holiday or a weekend, and never twice for a day', async () => {
  const profile: ExchangeProfile = { ...NSE_PROFILE, holidays: ['2024-08-15', '2024-09-07'] };
  const server = await startArchiveServer({ symbols: 20, from: '2024-08-01', to: '2024-09-30', profile });
  try {
    const days = tradingDaysBetween('2024-08-01', '2024-09-30', profile);
    for (let run = 0; run < 2; run++) {
      const nse = new NseArchiveSource({ baseUrl: server.baseUrl, cacheDir, rateLimitPerSecond: Infinity });
      for (const day of days) assert.equal((await nse.fetchDay(day)).kind, 'found', day);
    }
    const asked = server.requests.map((request) => request.tradeDate!);
    assert.deepEqual(asked, days, 'each trading day once, in order');
    assert.ok(!asked.includes('2024-08-15'));
    assert.ok(asked.every((day) => ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())));
    assert.ok(server.requests.every((request) => request.outcome === 200));
  } finally {
    await server.close();
  }
});
