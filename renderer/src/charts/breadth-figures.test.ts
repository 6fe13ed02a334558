import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeSince, sectorBreadth } from './breadth-figures';
import { OPEN, snap } from './test-support/series';

describe('sectorBreadth', () => {
  it('counts per sector, leaves out stocks without one, sorts by total then name', () => {
    const rows = sectorBreadth([
      { sector: 'IT', status: 'advance' },
      { sector: 'Banks', status: 'decline' },
      { sector: 'IT', status: 'decline' },
      { sector: 'Auto', status: 'unchanged' },
      { sector: null, status: 'advance' },
      { sector: '  ', status: 'advance' },
      { sector: 'Banks', status: 'advance' },
      { sector: 'IT ', status: 'unchanged' },
      { sector: 'Auto', status: 'advance' },
    ]);
    assert.deepEqual(rows, [
      { sector: 'IT', advances: 1, declines: 1, unchanged: 1, total: 3 },
      { sector: 'Auto', advances: 1, declines: 0, unchanged: 1, total: 2 },
      { sector: 'Banks', advances: 1, declines: 1, unchanged: 0, total: 2 },
    ]);
    assert.deepEqual(sectorBreadth([]), []);
  });
});

describe('changeSince', () => {
  const first = snap(OPEN, 30, 20, { volumeRatio: null });
  const latest = snap(OPEN + 60_000, 36, 14, { volumeRatio: 1.2 });

  it('is latest minus first, to two decimals', () => {
    assert.equal(changeSince(first, latest, 'advances'), 6);
    assert.equal(changeSince(first, latest, 'declines'), -6);
    assert.equal(changeSince(first, latest, 'adDiff'), 12);
    assert.equal(changeSince(first, latest, 'adRatio'), 1.07); // 2.57 − 1.5, not 1.0699999999999998
    assert.equal(changeSince(first, latest, 'advPct'), 10);
    assert.equal(changeSince(first, first, 'unchanged'), 0);
    assert.ok(Object.is(changeSince(snap(OPEN, 1, 3, { advPct: 0.1 + 0.2 }), snap(OPEN, 1, 3, { advPct: 0.3 }), 'advPct'), 0), 'no -0');
  });

  it('is null when a snapshot or a value is missing', () => {
    assert.equal(changeSince(undefined, latest, 'advances'), null);
    assert.equal(changeSince(first, null, 'advances'), null);
    assert.equal(changeSince(first, latest, 'volumeRatio'), null); // first has none
    assert.equal(changeSince(latest, first, 'volumeRatio'), null); // latest has none
    assert.equal(changeSince(snap(OPEN, 5, 0), latest, 'adRatio'), null); // no declines: no ratio
  });
});
