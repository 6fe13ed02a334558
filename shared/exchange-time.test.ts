import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { exchangeClockLabel, tradeDateOf } from './exchange-time';

describe('tradeDateOf', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('is the date in the exchange zone, not the computer zone', () => {
    // 20:00 UTC on the 20th is 01:30 on the 21st in Mumbai, and 12:00 on the 20th in California.
    const instant = new Date('2026-11-20T20:00:00Z');
    for (const tz of ['America/Los_Angeles', 'Asia/Kolkata', 'UTC', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      assert.equal(tradeDateOf(instant), '2026-11-21', `computer in ${tz}`);
    }
    assert.equal(tradeDateOf(instant, 'America/New_York'), '2026-11-20');
  });

  it('refuses an unknown zone', () => {
    assert.throws(() => tradeDateOf(new Date(), 'Mars/Olympus'), /Unknown time zone/);
  });
});

describe('exchangeClockLabel', () => {
  it('is the wall time in the exchange zone with its name, whatever zone the computer runs in', () => {
    const instant = new Date('2026-11-20T04:45:03Z'); // 10:15:03 in Mumbai
    const originalTz = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      assert.equal(exchangeClockLabel(instant), '10:15:03 IST');
      assert.equal(exchangeClockLabel(instant.getTime(), 'Asia/Kolkata', 'd LLL HH:mm'), '20 Nov 10:15 IST');
      assert.equal(exchangeClockLabel(instant, 'America/New_York'), '23:45:03 EST');
    } finally {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    }
  });
});
