// The browser dashboard over a link that breaks: it must say so, reconnect by itself, and catch
// up on the snapshots the host made while the link was down. The host keeps running; a proxy in
// front of it cuts or black-holes the connection.
import { expect, test, type Page } from '@playwright/test';
import { startHost, type Host } from './host';
import { startLinkProxy, type LinkProxy } from './proxy';
import { saveHistorical, saveLive } from './workbooks';

let host: Host | null = null;
let proxy: LinkProxy | null = null;
test.afterEach(async () => {
  await proxy?.close();
  await host?.stop();
  host = proxy = null;
});

const HISTORICAL: Array<[string, number, string]> = [
  ['TCS', 4000, 'IT'], ['INFY', 1800, 'IT'], ['ITC', 460, 'FMCG'], ['SBIN', 800, 'Banking'], ['M&M', 2900, 'Auto'],
];
const tile = (page: Page, name: string) => page.getByTestId(`tile-${name}`).locator('.tile-value');
const app = (page: Page) => page.locator('.app');
const banner = (page: Page) => page.getByTestId('connection-banner');

async function openThroughProxy(page: Page) {
  host = await startHost({
    alwaysOpen: true,
    settings: { autoStart: true },
    prepare: async ({ dataDir }) => {
      await saveHistorical(dataDir, HISTORICAL);
      await saveLive(dataDir, [['TCS', 4100], ['INFY', 1790], ['ITC', 460], ['SBIN', 810], ['M&M', 2950]]);
    },
  });
  proxy = await startLinkProxy(host.url);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The browser reports each refused reconnection attempt; anything else is a fault.
    if (m.type() === 'error' && !/WebSocket connection to .* failed/.test(m.text())) errors.push(m.text());
  });
  const response = await page.goto(proxy.url);
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(tile(page, 'advances')).toHaveText('3'); // the cycle at start
  return { errors, response: response! };
}

test('the host sends a CSP that forbids framing and limits connections to itself, and the dashboard still works under it', async ({ page }) => {
  const { errors, response } = await openThroughProxy(page);
  const headers = response.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain(`connect-src 'self' ws://${new URL(proxy!.url).host} `);
  expect(headers['x-frame-options']).toBe('DENY');
  // Live updates arrive over the WebSocket the policy allows.
  await saveLive(host!.dataDir, [['TCS', 3900], ['INFY', 1790], ['ITC', 455], ['SBIN', 790], ['M&M', 2950]]);
  await expect(tile(page, 'advances')).toHaveText('1');
  await expect(tile(page, 'declines')).toHaveText('4');
  expect(errors).toEqual([]);
});

test('a silent link: the dashboard notices, says "disconnected — reconnecting", and catches up on the snapshots made meanwhile', async ({ page }) => {
  const { errors } = await openThroughProxy(page);
  await expect(app(page)).toHaveAttribute('data-series-points', '1');
  await expect(banner(page)).toHaveCount(0);

  proxy!.blackHole(); // nothing arrives, nothing closes: only the client's pings can tell
  await expect(banner(page)).toBeVisible({ timeout: 30_000 });
  await expect(banner(page)).toContainText(/disconnected — reconnecting/i);
  await expect(app(page)).toHaveAttribute('data-ready', 'false');
  await page.screenshot({ path: 'test-results/connection-reconnecting.png' });

  // The host runs on: two saves, two snapshots the dashboard cannot see yet.
  const before = (await host!.runs()).length;
  await saveLive(host!.dataDir, [['TCS', 4200], ['INFY', 1810], ['ITC', 470], ['SBIN', 820], ['M&M', 2950]]);
  await expect.poll(async () => (await host!.runs()).length, { timeout: 20_000 }).toBe(before + 1);
  await saveLive(host!.dataDir, [['TCS', 3900], ['INFY', 1810], ['ITC', 450], ['SBIN', 790], ['M&M', 2850]]);
  await expect.poll(async () => (await host!.runs()).length, { timeout: 20_000 }).toBe(before + 2);
  expect(await tile(page, 'advances').textContent()).toBe('3'); // still the old figure

  proxy!.restore();
  await expect(banner(page)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('.app[data-ready="true"]')).toBeVisible();
  await expect(tile(page, 'advances')).toHaveText('1');
  await expect(tile(page, 'declines')).toHaveText('4');
  await expect(app(page)).toHaveAttribute('data-series-points', '3'); // the gap's snapshots are in the charts

  // And it is live again: a new save appears by itself.
  await saveLive(host!.dataDir, [['TCS', 4300], ['INFY', 1900], ['ITC', 480], ['SBIN', 850], ['M&M', 3000]]);
  await expect(tile(page, 'advances')).toHaveText('5');
  await expect(app(page)).toHaveAttribute('data-series-points', '4');
  expect(errors).toEqual([]);
});

test('a cut link: the banner at once, back by itself with the missed snapshot', async ({ page }) => {
  const { errors } = await openThroughProxy(page);
  const before = (await host!.runs()).length;
  proxy!.cut();
  await expect(banner(page)).toBeVisible({ timeout: 10_000 });
  await saveLive(host!.dataDir, [['TCS', 3900], ['INFY', 1700], ['ITC', 450], ['SBIN', 790], ['M&M', 2950]]);
  await expect.poll(async () => (await host!.runs()).length, { timeout: 20_000 }).toBe(before + 1);
  proxy!.restore();
  await expect(banner(page)).toHaveCount(0, { timeout: 30_000 });
  await expect(tile(page, 'advances')).toHaveText('1');
  await expect(tile(page, 'declines')).toHaveText('4');
  await expect(app(page)).toHaveAttribute('data-series-points', '2');
  expect(errors).toEqual([]);
});
