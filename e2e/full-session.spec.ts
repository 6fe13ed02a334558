/// <reference lib="dom" />
// A full simulated session from the demo feed, for the screenshot a person looks at, and the
// dashboard's speed on a full 1-second day, measured in the browser.
import { expect, test } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { startHost, type Host } from './host';
import { seedSecondByDay, seedSessionFromDemoFeed } from './seed';
import { saveLive } from './workbooks';
import type { DashboardMetrics } from '../renderer/src/metrics';

let host: Host | null = null;
test.afterEach(async () => {
  await host?.stop();
  host = null;
});

const todayInKolkata = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());

test('a full session from the demo feed: every panel with real data (screenshot)', async ({ page }, info) => {
  test.setTimeout(300_000);
  host = await startHost({
    settings: { autoStart: false },
    prepare: async ({ dbPath, dataDir }) => {
      // 09:15 to 15:30 every 30 s through the real reader and processor: 751 cycles.
      const cycles = await seedSessionFromDemoFeed({ dbPath, dataDir, tradeDate: '2026-11-20', everySeconds: 30 });
      expect(cycles).toBeGreaterThan(700);
    },
  });
  await page.goto(host.url);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  for (const id of ['tile-advances', 'tile-coverage', 'chart-ad', 'chart-ratio', 'chart-adline', 'movers', 'sectors', 'stock-table', 'runs', 'settings']) {
    await expect(page.getByTestId(id)).toBeVisible();
  }
  await expect(page.getByTestId('chart-ad').locator('.recharts-line-curve').first()).toBeVisible();
  await expect(page.getByTestId('stock-count')).toHaveText('204 of 204');
  await expect(page.getByTestId('gainers').locator('tr')).toHaveCount(10);
  const file = info.outputPath('dashboard-full-session.png');
  await page.screenshot({ path: file, fullPage: true });
  await info.attach('dashboard-full-session', { path: file, contentType: 'image/png' });
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/dashboard-full-session.png', fullPage: true });
});

test('render a full 1-second day, and apply one pushed snapshot (measured in the browser)', async ({ page }) => {
  test.setTimeout(300_000);
  const today = todayInKolkata();
  host = await startHost({
    alwaysOpen: true,
    settings: { autoStart: false },
    // 20 symbols: what is timed here is the day's series (22,501 snapshots), not the table.
    prepare: async ({ dbPath }) => {
      expect(seedSecondByDay({ dbPath, tradeDate: today, symbols: 20, endingAt: new Date(Date.now() - 60_000) })).toBe(22_501);
    },
  });
  await page.goto(host.url);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  const first = await page.waitForFunction(() => window.__liveBreadthMetrics?.firstRenderMs ?? null).then((h) => h.jsonValue());
  const loaded = await page.evaluate(() => window.__liveBreadthMetrics!);
  expect(loaded.seriesPoints).toBe(22_501);

  const { saveHistorical } = await import('./workbooks');
  await saveHistorical(host.dataDir, Array.from({ length: 20 }, (_, i) => [`S${i}`, 100] as [string, number]));
  const applied: number[] = [];
  for (let i = 0; i < 7; i++) {
    await saveLive(host.dataDir, Array.from({ length: 20 }, (_, k) => [`S${k}`, 100 + ((k + i) % 5) - 2] as [string, number]));
    const before = applied.length;
    await page.getByTestId('process-now').click();
    await expect.poll(async () => (await page.evaluate(() => window.__liveBreadthMetrics!.snapshotApplyMs.length))).toBeGreaterThan(before);
    applied.splice(0, applied.length, ...(await page.evaluate(() => window.__liveBreadthMetrics!.snapshotApplyMs)));
  }
  const sorted = [...applied].sort((a, b) => a - b);
  const metrics = loaded as DashboardMetrics;
  const report = {
    seriesPoints: metrics.seriesPoints,
    dataLoadedMs: Math.round(metrics.dataLoadedMs!),
    firstRenderMs: Math.round(first as number),
    snapshotApplyMedianMs: Math.round(sorted[sorted.length >> 1]! * 10) / 10,
    snapshotApplyMaxMs: Math.round(sorted.at(-1)! * 10) / 10,
    snapshotCommitMs: (await page.evaluate(() => window.__liveBreadthMetrics!.snapshotCommitMs)).map((v) => Math.round(v)),
    snapshotApplyMs: applied.map((v) => Math.round(v)),
  };
  console.log(`dashboard timing (full 1-second day): ${JSON.stringify(report)}`);
  test.info().annotations.push({ type: 'timing', description: JSON.stringify(report) });
});
