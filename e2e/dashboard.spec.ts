// The dashboard in a real browser against the headless host, on a real folder and database.
import { expect, test, type Page } from '@playwright/test';
import { startHost, type Host } from './host';
import { saveBrokenLive, saveHistorical, saveLive } from './workbooks';
import { seedSessionFromDemoFeed } from './seed';

let host: Host | null = null;
test.afterEach(async () => {
  await host?.stop();
  host = null;
});

const HISTORICAL: Array<[string, number, string]> = [
  ['TCS', 4000, 'IT'], ['INFY', 1800, 'IT'], ['ITC', 460, 'FMCG'], ['SBIN', 800, 'Banking'], ['M&M', 2900, 'Auto'],
];

async function open(page: Page, h: Host) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(h.url);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  return errors;
}

const tile = (page: Page, name: string) => page.getByTestId(`tile-${name}`).locator('.tile-value');
const runRows = (page: Page) => page.getByTestId('run-row');

test('the first workbook appears as numbers and a point in each chart; a second save moves them', async ({ page }) => {
  host = await startHost({ alwaysOpen: true, settings: { autoStart: true } });
  const errors = await open(page, host);
  await expect(page.getByTestId('chart-ad-empty')).toBeVisible();
  await expect(tile(page, 'advances')).toHaveText('—'); // missing, not zero

  await saveHistorical(host.dataDir, HISTORICAL);
  await saveLive(host.dataDir, [['TCS', 4100, 10], ['INFY', 1790, 20], ['ITC', 460, 5], ['SBIN', 810, 7], ['M&M', 2950, 3]]);
  await expect(tile(page, 'advances')).toHaveText('3');
  await expect(tile(page, 'declines')).toHaveText('1');
  await expect(tile(page, 'unchanged')).toHaveText('1');
  await expect(tile(page, 'ratio')).toHaveText('3.00');
  await expect(tile(page, 'coverage')).toHaveText('5 / 5');
  for (const chart of ['chart-ad', 'chart-ratio', 'chart-adline']) {
    await expect(page.getByTestId(chart).getByTestId('last-point').first()).toBeVisible();
  }

  await saveLive(host.dataDir, [['TCS', 3900, 11], ['INFY', 1790, 20], ['ITC', 455, 6], ['SBIN', 790, 8], ['M&M', 2950, 3]]);
  await expect(tile(page, 'advances')).toHaveText('1');
  await expect(tile(page, 'declines')).toHaveText('4');
  await expect(page.getByTestId('tile-advances').locator('.delta')).toHaveText('−2 since open');
  expect(errors).toEqual([]);
});

test('start, stop and the interval change what the core does', async ({ page }) => {
  host = await startHost({
    alwaysOpen: true,
    settings: { autoStart: false },
    prepare: async ({ dataDir }) => {
      await saveHistorical(dataDir, HISTORICAL);
      await saveLive(dataDir, [['TCS', 4100], ['INFY', 1790]]);
    },
  });
  await open(page, host);
  const toggle = page.getByTestId('auto-toggle');
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(toggle).toContainText('Auto-processing off');

  // Stopped: a save causes no run.
  await saveLive(host.dataDir, [['TCS', 4110], ['INFY', 1795]]);
  await page.waitForTimeout(1_000);
  await expect(runRows(page)).toHaveCount(0);

  // Interval 2 s, then start: a cycle at once and then every 2 s, on schedule.
  await page.getByTestId('interval-input').fill('2');
  await page.getByTestId('interval-input').press('Enter');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(runRows(page).first()).toContainText('schedule');
  await expect.poll(async () => runRows(page).count(), { timeout: 8_000 }).toBeGreaterThanOrEqual(3);

  // Stop: the runs stop growing.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await page.waitForTimeout(300);
  const stoppedAt = await runRows(page).count();
  await page.waitForTimeout(3_000);
  await expect(runRows(page)).toHaveCount(stoppedAt);

  // A bad interval is refused beside the field and changes nothing.
  await page.getByTestId('interval-input').fill('0');
  await page.getByTestId('interval-input').press('Enter');
  await expect(page.getByTestId('status-error')).toContainText('Interval must be a whole number of seconds from 1 to 3600');
});

test('Process now outside market hours produces a run', async ({ page }) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
  host = await startHost({
    // Today is a holiday on this exchange: the market is closed whatever the hour.
    settings: { autoStart: true, exchange: { name: 'NSE', zone: 'Asia/Kolkata', sessionOpen: '09:15', sessionClose: '15:30', weekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [today], extraSessions: [] } },
    prepare: async ({ dataDir }) => {
      await saveHistorical(dataDir, HISTORICAL);
      await saveLive(dataDir, [['TCS', 4100], ['INFY', 1790], ['ITC', 470]]);
    },
  });
  await open(page, host);
  await expect(page.getByTestId('market-state')).toContainText('NSE holiday');
  await page.waitForTimeout(500);
  await expect(runRows(page)).toHaveCount(0);
  await page.getByTestId('process-now').click();
  await expect(runRows(page)).toHaveCount(1);
  await expect(runRows(page).first()).toContainText('manual');
  await expect(runRows(page).first()).toContainText('ok');
  await expect(tile(page, 'advances')).toHaveText('2');
});

test('a bad workbook shows its reason in the status and the runs, and the last good numbers stay', async ({ page }) => {
  host = await startHost({ alwaysOpen: true, settings: { autoStart: true } });
  await open(page, host);
  await saveHistorical(host.dataDir, HISTORICAL);
  await saveLive(host.dataDir, [['TCS', 4100], ['INFY', 1810], ['ITC', 470], ['SBIN', 790]]);
  await expect(tile(page, 'advances')).toHaveText('3');

  await saveBrokenLive(host.dataDir);
  await page.getByTestId('process-now').click();
  await expect(page.getByTestId('status-error')).toContainText('Live.xlsx is not an Excel workbook (no zip structure: a CSV or other file renamed .xlsx?)');
  await expect(page.locator('tr.run-failed').first().getByTestId('run-message')).toHaveText('Live.xlsx is not an Excel workbook (no zip structure: a CSV or other file renamed .xlsx?)');
  await expect(tile(page, 'advances')).toHaveText('3');
  await expect(tile(page, 'declines')).toHaveText('1');

  // Rejected rows are viewable from the runs.
  await saveLive(host.dataDir, [['TCS', 4100], ['INFY', 1810], ['XYZ', 5], ['ITC', 0]]);
  await page.getByTestId('process-now').click();
  await page.locator('tr.run-ok').first().getByTestId('show-rejected').click();
  await expect(page.getByTestId('rejections')).toContainText('live row 4 (XYZ): unknown symbol (not in Historical)');
  await expect(page.getByTestId('rejections')).toContainText('live row 5 (ITC): live price not positive (0)');
});

test('a past day can be opened', async ({ page }) => {
  host = await startHost({
    alwaysOpen: true,
    settings: { autoStart: false },
    prepare: async ({ dbPath, home }) => {
      await seedSessionFromDemoFeed({ dbPath, dataDir: `${home}/past_feed`, tradeDate: '2026-11-19', everySeconds: 1800, symbols: 40, seed: 3 });
    },
  });
  await open(page, host);
  await saveHistorical(host.dataDir, HISTORICAL);
  await saveLive(host.dataDir, [['TCS', 4100], ['INFY', 1810]]);
  await page.getByTestId('process-now').click();
  await expect(tile(page, 'coverage')).toHaveText('2 / 5');

  await page.getByTestId('day-picker').selectOption('2026-11-19');
  await expect(page.getByTestId('past-day')).toHaveText('Viewing 2026-11-19 — not live');
  await expect(tile(page, 'coverage')).toHaveText('40 / 40');
  await expect(page.getByTestId('stock-count')).toHaveText('40 of 40');
  await expect(page.getByTestId('chart-ad').getByTestId('last-point').first()).toBeVisible();

  await page.getByTestId('day-picker').selectOption('');
  await expect(tile(page, 'coverage')).toHaveText('2 / 5');
});

test('the stock table filters and sorts', async ({ page }) => {
  host = await startHost({
    alwaysOpen: true,
    settings: { autoStart: false },
    prepare: async ({ dataDir }) => {
      await saveHistorical(dataDir, HISTORICAL);
      await saveLive(dataDir, [['TCS', 4200], ['INFY', 1710], ['ITC', 460], ['SBIN', 820], ['M&M', 2900 * 0.97]]);
    },
  });
  await open(page, host);
  await page.getByTestId('process-now').click();
  const rows = page.getByTestId('stock-row');
  await expect(rows).toHaveCount(5);
  // Default: change % high to low.
  await expect(rows.locator('.sym')).toHaveText(['TCS', 'SBIN', 'ITC', 'M&M', 'INFY']);
  await page.getByTestId('sort-changePct').click();
  await expect(rows.locator('.sym')).toHaveText(['INFY', 'M&M', 'ITC', 'SBIN', 'TCS']);
  await page.getByTestId('sort-symbol').click();
  await expect(rows.locator('.sym')).toHaveText(['INFY', 'ITC', 'M&M', 'SBIN', 'TCS']);

  await page.getByTestId('status-filter').selectOption('decline');
  await expect(rows.locator('.sym')).toHaveText(['INFY', 'M&M']);
  await page.getByTestId('status-filter').selectOption('all');
  await page.getByTestId('stock-filter').fill('it');
  await expect(rows.locator('.sym')).toHaveText(['INFY', 'ITC', 'TCS']); // ITC by symbol, INFY and TCS by sector IT
  await expect(page.getByTestId('stock-count')).toHaveText('3 of 5');
  await expect(page.getByTestId('sectors')).toContainText('Banking');
});

test('settings: a bad value is shown beside its field and nothing is saved', async ({ page }) => {
  host = await startHost({ alwaysOpen: true, settings: { autoStart: false } });
  await open(page, host);
  await page.getByTestId('setting-interval').fill('5000');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('error-intervalSeconds')).toHaveText('must be at most 3600 seconds (an hour)');
  await page.getByTestId('setting-interval').fill('10');
  await page.getByTestId('setting-zone').fill('Asia/Mumbai');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('error-exchange.zone')).toContainText('is not a known time zone');
  await page.getByTestId('setting-zone').fill('Asia/Kolkata');
  await page.getByTestId('save-settings').click();
  await expect(page.getByText('Saved')).toBeVisible();
  await expect(page.getByTestId('interval-input')).toHaveValue('10');
});
