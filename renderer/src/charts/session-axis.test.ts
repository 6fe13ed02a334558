import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NSE_PROFILE, type ExchangeProfile } from '../../../shared/market-calendar';
import { formatExchangeTime, sessionDomain, sessionTicks } from './session-axis';

describe('sessionDomain', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('is the NSE session in UTC, whatever zone the computer is in', () => {
    process.env.TZ = 'America/Los_Angeles';
    const [open, close] = sessionDomain('2026-11-20', NSE_PROFILE);
    assert.equal(new Date(open).toISOString(), '2026-11-20T03:45:00.000Z');
    assert.equal(new Date(close).toISOString(), '2026-11-20T10:00:00.000Z');
  });

  it('falls back to the regular hours on a weekend or holiday', () => {
    const weekend = sessionDomain('2026-11-21', NSE_PROFILE); // Saturday
    assert.deepEqual(weekend.map((t) => new Date(t).toISOString()), ['2026-11-21T03:45:00.000Z', '2026-11-21T10:00:00.000Z']);
    const holiday = sessionDomain('2026-11-20', { ...NSE_PROFILE, holidays: ['2026-11-20'] });
    assert.deepEqual(holiday.map((t) => new Date(t).toISOString()), ['2026-11-20T03:45:00.000Z', '2026-11-20T10:00:00.000Z']);
  });

  it('spans every session of the day, extra ones included', () => {
    const profile: ExchangeProfile = {
      ...NSE_PROFILE,
      holidays: ['2026-11-09'],
      extraSessions: [
        { date: '2026-11-09', open: '18:00', close: '19:00', label: 'Muhurat' },
        { date: '2026-11-10', open: '18:00', close: '19:00', label: 'Evening' },
      ],
    };
    // A holiday with only a muhurat hour: the domain is that hour, where the snapshots are.
    assert.deepEqual(sessionDomain('2026-11-09', profile).map((t) => new Date(t).toISOString()), ['2026-11-09T12:30:00.000Z', '2026-11-09T13:30:00.000Z']);
    // A regular day with an evening session: from the open to the evening close.
    assert.deepEqual(sessionDomain('2026-11-10', profile).map((t) => new Date(t).toISOString()), ['2026-11-10T03:45:00.000Z', '2026-11-10T13:30:00.000Z']);
  });

  it('follows DST in the profile zone', () => {
    const nyse: ExchangeProfile = { ...NSE_PROFILE, name: 'NYSE', zone: 'America/New_York', sessionOpen: '09:30', sessionClose: '16:00' };
    assert.equal(new Date(sessionDomain('2026-03-06', nyse)[0]).toISOString(), '2026-03-06T14:30:00.000Z'); // EST
    assert.equal(new Date(sessionDomain('2026-03-09', nyse)[0]).toISOString(), '2026-03-09T13:30:00.000Z'); // EDT
  });
});

describe('sessionTicks and formatExchangeTime', () => {
  const zone = 'Asia/Kolkata';

  it('ticks at the open, each whole hour and the close', () => {
    const ticks = sessionTicks(sessionDomain('2026-11-20', NSE_PROFILE), zone);
    assert.deepEqual(
      ticks.map((t) => formatExchangeTime(t, zone)),
      ['09:15', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '15:30'],
    );
  });

  it('does not repeat a start or end that is on the hour', () => {
    const start = Date.parse('2026-11-20T04:30:00Z'); // 10:00 IST
    const end = Date.parse('2026-11-20T06:30:00Z'); // 12:00 IST
    assert.deepEqual(sessionTicks([start, end], zone).map((t) => formatExchangeTime(t, zone)), ['10:00', '11:00', '12:00']);
    assert.deepEqual(sessionTicks([start, start], zone), [start]);
  });

  it('formats 24-hour exchange time, with or without seconds, in any computer zone', () => {
    const t = Date.parse('2026-11-20T09:59:07Z');
    assert.equal(formatExchangeTime(t, zone), '15:29');
    assert.equal(formatExchangeTime(t, zone, true), '15:29:07');
    assert.equal(formatExchangeTime(t, 'America/New_York', true), '04:59:07');
    assert.equal(formatExchangeTime(Date.parse('2026-11-20T18:35:00Z'), zone), '00:05');
    assert.equal(formatExchangeTime(Number.NaN, zone), '');
    assert.throws(() => formatExchangeTime(t, 'Mars/Olympus'), /Unknown time zone/);
  });
});
