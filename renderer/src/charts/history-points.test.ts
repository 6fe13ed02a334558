import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/domain';
import { computeHistory, withLiveDay, type HistoryDay, type HistoryInputDay } from '../../../shared/history/indicators';
import { dateTicks, rangeFrom, withLiveSnapshot } from './history-points';

/** Final days with made-up counts, one per weekday from `start`. */
function finals(count: number, start = '2026-01-05'): HistoryDay[] {
  const days: HistoryInputDay[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); days.length < count; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day === 0 || day === 6) continue;
    const i = days.length;
    days.push({ tradeDate: new Date(t).toISOString().slice(0, 10), breadth: { advances: 10 + (i % 7), declines: 12 - (i % 5), unchanged: 3, upVolume: null, downVolume: null }, stocks: [] });
  }
  return computeHistory(days);
}

function snapshot(tradeDate: string, advances: number, declines: number): Snapshot {
  return { tradeDate, pollTime: `${tradeDate}T05:00:00.000Z`, advances, declines, unchanged: 1, upVolume: 500, downVolume: 300 } as Snapshot;
}

describe('the History view: ranges and the live point', () => {
  it('a range counts back whole months from today; all has no start', () => {
    assert.equal(rangeFrom('1M', '2026-03-31'), '2026-02-28');
    assert.equal(rangeFrom('3M', '2026-11-20'), '2026-08-20');
    assert.equal(rangeFrom('1Y', '2026-11-20'), '2025-11-20');
    assert.equal(rangeFrom('all', '2026-11-20'), undefined);
  });

  it('a pushed snapshot moves the provisional point exactly as the host computes it', () => {
    const history = finals(30);
    const live = snapshot('2026-03-02', 25, 5);
    const host = withLiveDay(history, { tradeDate: live.tradeDate, advances: 25, declines: 5, unchanged: 1, upVolume: 500, downVolume: 300 });
    assert.deepEqual(withLiveSnapshot(history, live), host);
    // A later snapshot of the same day replaces the point; one of the next day replaces it too.
    assert.deepEqual(withLiveSnapshot(host, snapshot('2026-03-02', 5, 25))!.map((d) => [d.tradeDate, d.netAdvances, d.provisional]).slice(-2), [[history.at(-1)!.tradeDate, history.at(-1)!.netAdvances, false], ['2026-03-02', -20, true]]);
    assert.equal(withLiveSnapshot(host, snapshot('2026-03-03', 5, 5))!.length, 31);
    // A range of the last days only continues from its last final day, as the whole would.
    const tail = withLiveSnapshot(history.slice(-3), live)!;
    assert.deepEqual(tail.at(-1), host.at(-1));
  });

  it('without a final day in the list there is nothing to continue from: ask the host', () => {
    const host = withLiveDay(finals(3), { tradeDate: '2026-03-02', advances: 1, declines: 2, unchanged: 0, upVolume: null, downVolume: null });
    assert.equal(withLiveSnapshot([host.at(-1)!], snapshot('2026-03-02', 3, 1)), null);
    assert.equal(withLiveSnapshot([], snapshot('2026-03-02', 3, 1)), null);
  });

  it('ticks at the first session of each month over long ranges, each week over short ones, at most 12', () => {
    const year = finals(520, '2024-11-04'); // two years: 25 month starts, every other one shown
    const { ticks, label } = dateTicks(year);
    assert.ok(ticks.length <= 12 && ticks.length >= 6, `${ticks.length} ticks`);
    assert.equal(new Set(ticks.map(label)).size, ticks.length, `no label twice: ${ticks.map(label).join(', ')}`);
    for (const t of ticks) {
      const i = year.findIndex((d) => d.tradeDate === t);
      assert.ok(i === 0 || year[i - 1]!.tradeDate.slice(0, 7) !== t.slice(0, 7), `${t} opens its month`);
    }
    assert.equal(label('2026-01-02'), "Jan '26");
    const month = finals(22, '2026-01-05');
    const weekly = dateTicks(month);
    assert.deepEqual(weekly.ticks, ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02']);
    assert.equal(weekly.label('2026-01-05'), '5 Jan');
    // A range that starts mid-month does not label its first, partial month.
    assert.notEqual(dateTicks(finals(200, '2025-11-19')).ticks[0], '2025-11-19');
  });
});
