/// <reference lib="dom" />
// The History view and the Jobs panel in a real browser: an import started from the dashboard
// against the loopback NSE archive (a real HTTP server in this test), its progress bar moving,
// cancelled, retried to the end, and the daily charts drawn from what it stored, with today's
// provisional point from the live feed.
import { expect, test, type Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { startArchiveServer, type ArchiveServer } from '../electron/processor/history/sources/testing/archive-server';
import { startHost, type Host } from './host';
import { saveHistorical, saveLive } from './workbooks';

let host: Host | null = null;
let archive: ArchiveServer | null = null;
test.afterEach(async () => {
  await host?.stop();
  await archive?.close();
  host = null;
  archive = null;
});

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const todayInKolkata = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());

const percentOf = async (page: Page) => Number(await page.getByTestId('jobs-panel').getByTestId('job-progress').first().getAttribute('data-percent'));

test('import history from the dashboard: progress, cancel, retry, the charts (screenshots)', async ({ page }) => {
  test.setTimeout(240_000);
  const today = todayInKolkata();
  const to = isoDay(Date.parse(today) - DAY_MS);
  const from = isoDay(Date.parse(to) - 420 * DAY_MS); // ~300 sessions: enough for every figure, 52-week highs included
  // One session the archive never published: a failed item with its reason.
  const missing = isoDay(Date.parse(to) - 30 * DAY_MS);
  archive = await startArchiveServer({ symbols: 300, from: isoDay(Date.parse(from) - 10 * DAY_MS), to: today, missing: [missing] });
  const sessions = archive.archive.sessions.filter((d) => d >= from && d <= to).length;

  // NSE's calendar (the archive's too): the import asks for weekday sessions only.
  host = await startHost({
    settings: { autoStart: false },
    prepare: async ({ dataDir }) => {
      // Today's intraday feed: the history's provisional last point.
      await saveHistorical(dataDir, [['SYM0001', 100], ['SYM0002', 200], ['SYM0003', 300], ['SYM0004', 400]]);
      await saveLive(dataDir, [['SYM0001', 101], ['SYM0002', 202], ['SYM0003', 299], ['SYM0004', 400]]);
    },
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await page.getByTestId('process-now').click();
  await expect(page.getByTestId('tile-advances').locator('.tile-value')).toHaveText('2');

  // History: nothing imported yet, only today's provisional point.
  await page.getByTestId('view-history').click();
  await expect(page.getByTestId('history-summary')).toContainText('No imported sessions in this range');
  await expect(page.getByTestId('history-latest')).toContainText('provisional');

  // The job form: a bad range is refused before anything is sent.
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-from').fill(to);
  await page.getByTestId('import-to').fill(from);
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-error')).toHaveText('The last day comes before the first');

  await page.getByTestId('import-from').fill(from);
  await page.getByTestId('import-to').fill(to);
  await page.locator('.import-advanced summary').click();
  await page.getByTestId('import-archive-url').fill(archive.baseUrl);
  await page.getByTestId('import-rate').fill('12');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-form')).toBeHidden();
  await expect(page.getByTestId('history-imports').getByTestId('job-card')).toBeVisible();
  await expect(page.getByTestId('jobs-active')).toHaveText('1');

  // The Jobs panel: the bar moves while it runs.
  await page.getByTestId('view-jobs').click();
  const card = page.getByTestId('jobs-panel').getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'running');
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(0);
  const early = await percentOf(page);
  await expect.poll(() => percentOf(page), { timeout: 30_000 }).toBeGreaterThan(early);
  await expect(card.getByTestId('job-eta')).toContainText(/left$/);
  await expect(card.getByTestId('job-times')).toContainText('IST');
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: 'test-results/jobs-panel-running.png' });

  // Cancel: it stops where it was, and stays put.
  await card.getByTestId('job-cancel').click();
  await expect(card).toHaveAttribute('data-state', 'cancelled');
  await expect(card.getByTestId('job-state')).toHaveText('cancelled');
  const atCancel = await percentOf(page);
  expect(atCancel).toBeGreaterThan(0);
  expect(atCancel).toBeLessThan(100);
  await page.waitForTimeout(1_500);
  expect(await percentOf(page)).toBe(atCancel);
  await expect(page.getByTestId('jobs-stats')).toContainText('1 cancelled');

  // Retry: it goes on from there to the end; the unpublished day is a failed item with its reason.
  await card.getByTestId('job-retry').click();
  await expect(card).toHaveAttribute('data-state', /queued|running/);
  await expect(card).toHaveAttribute('data-state', 'completed', { timeout: 120_000 });
  await expect(card.getByTestId('job-counts')).toHaveText(/ done · 1 failed$/);
  await expect(card.getByTestId('job-result')).toContainText('1 not published');
  await card.getByTestId('job-show-failures').click();
  await expect(card.getByTestId('job-failures')).toContainText(missing);
  await expect(card.getByTestId('job-failures')).toContainText('not published');
  await expect(page.getByTestId('jobs-stats')).toContainText('1 completed');
  await page.screenshot({ path: 'test-results/jobs-panel.png', fullPage: true });

  // History: every chart drawn from the imported days, today's point last and provisional.
  await page.getByTestId('view-history').click();
  await page.getByTestId('range-all').click();
  await expect(page.getByTestId('history-view')).toHaveAttribute('data-days', String(sessions - 1 + 1));
  for (const chart of ['history-adline', 'history-mcclellan', 'history-summation', 'history-above', 'history-highs-lows']) {
    await expect(page.getByTestId(chart).locator('.recharts-line-curve').first()).toHaveAttribute('d', /^M.+L/);
    expect(Number(await page.getByTestId(chart).getAttribute('data-points'))).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('history-adline').getByTestId('provisional-point')).toBeVisible();
  await expect(page.getByTestId('history-summary')).toContainText(`${sessions - 1} imported sessions`);
  await page.screenshot({ path: 'test-results/history-view.png', fullPage: true });

  // A shorter range shows fewer days; the Jobs panel dismisses the finished job.
  await page.getByTestId('range-1M').click();
  await expect.poll(async () => Number(await page.getByTestId('history-view').getAttribute('data-days'))).toBeLessThan(30);
  await page.getByTestId('view-jobs').click();
  await card.getByTestId('job-dismiss').click();
  await expect(page.getByTestId('jobs-empty')).toBeVisible();

  // The day's own import after the close is a setting, off until switched on, and it stays on.
  await page.getByTestId('view-live').click();
  const afterClose = page.getByTestId('setting-import-after-close');
  await expect(afterClose).not.toBeChecked();
  await afterClose.check();
  await page.getByTestId('save-settings').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('setting-import-after-close')).toBeChecked();
  expect(errors).toEqual([]);
});
