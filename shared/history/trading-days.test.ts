import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NSE_PROFILE, sessionsOn, type ExchangeProfile } from '../market-calendar';
import { seededRandom } from '../seeded-random';
import { tradingDaysBetween } from './trading-days';

const PROFILE: ExchangeProfile = {
  ...NSE_PROFILE,
  holidays: ['2024-08-15', '2024-10-02', '2024-11-01', '2025-02-01'],
  extraSessions: [
    { date: '2024-11-01', open: '18:00', close: '19:00', label: 'Muhurat' }, // on a holiday
    { date: '2025-02-01', open: '09:15', close: '15:30', label: 'Budget' }, // a Saturday, also listed as a holiday
    { date: '2024-11-03', open: '18:00', close: '19:00', label: 'Sunday special' },
  ],
};

describe('tradingDaysBetween', () => {
  it('leaves out weekends and holidays, keeps days with only an extra session', () => {
    assert.deepEqual(tradingDaysBetween('2024-08-12', '2024-08-19', PROFILE), ['2024-08-12', '2024-08-13', '2024-08-14', '2024-08-16', '2024-08-19']);
    assert.deepEqual(tradingDaysBetween('2024-10-31', '2024-11-04', PROFILE), ['2024-10-31', '2024-11-01', '2024-11-03', '2024-11-04']);
    assert.deepEqual(tradingDaysBetween('2025-01-31', '2025-02-03', PROFILE), ['2025-01-31', '2025-02-01', '2025-02-03']);
    assert.deepEqual(tradingDaysBetween('2024-08-17', '2024-08-18', PROFILE), []);
  });

  it('agrees with the calendar (sessionsOn) on every day of two years, for random profiles', () => {
    const random = seededRandom(2024);
    for (let round = 0; round < 4; round++) {
      const holidays = Array.from({ length: 40 }, () => new Date(Date.UTC(2024, 0, 1 + Math.floor(random() * 730))).toISOString().slice(0, 10));
      const profile: ExchangeProfile = {
        ...PROFILE,
        weekdays: round === 3 ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
        holidays,
        extraSessions: [...PROFILE.extraSessions, { date: holidays[0]!, open: '10:00', close: '11:00', label: 'Extra' }],
      };
      const expected: string[] = [];
      for (let offset = 0; offset < 731; offset++) {
        const date = new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
        if (sessionsOn(date, profile).length > 0) expected.push(date);
      }
      assert.deepEqual(tradingDaysBetween('2024-01-01', '2025-12-31', profile), expected);
    }
  });

  it('includes both ends and refuses bad ranges', () => {
    assert.deepEqual(tradingDaysBetween('2024-08-16', '2024-08-16', PROFILE), ['2024-08-16']);
    assert.throws(() => tradingDaysBetween('2024-08-20', '2024-08-19', PROFILE), /ends \(2024-08-19\) before it starts/);
    assert.throws(() => tradingDaysBetween('2024-02-30', '2024-03-01', PROFILE), /"2024-02-30" is not a date/);
    assert.throws(() => tradingDaysBetween('1900-01-01', '2024-03-01', PROFILE), /longer than 40 years/);
  });

  it('lists 25 years of days quickly (an import asks for whole ranges)', () => {
    const start = performance.now();
    assert.equal(tradingDaysBetween('2000-01-01', '2024-12-31', PROFILE).length > 6000, true);
    assert.ok(performance.now() - start < 500, `25 years took ${(performance.now() - start).toFixed(0)} ms`);
  });
});
