import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NSE_PROFILE, marketState, sessionsOn, type ExchangeProfile } from './market-calendar';

// January 2026: Fri 23, Sat 24, Sun 25, Mon 26 (Republic Day), Tue 27. IST is UTC+05:30, so
// 09:15 IST is 03:45Z and 15:30 IST is 10:00Z.
const NSE: ExchangeProfile = {
  ...NSE_PROFILE,
  holidays: ['2026-01-26', '2026-11-10'],
  extraSessions: [
    { date: '2026-02-01', open: '09:15', close: '15:30', label: 'Budget day' }, // a Sunday
    { date: '2026-11-10', open: '18:00', close: '19:00', label: 'Muhurat' }, // on a holiday
  ],
};

const ist = (date: string, time: string) => new Date(`${date}T${time}+05:30`);
const iso = (d: Date | null) => d?.toISOString() ?? null;

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

// The computer's zone must not matter: every behaviour is checked from three of them.
for (const tz of ['Asia/Kolkata', 'America/New_York', 'Pacific/Auckland']) {
  describe(`marketState, computer in ${tz}`, () => {
    const at = (date: string, time: string) => {
      process.env.TZ = tz;
      return marketState(ist(date, time), NSE);
    };

    it('opens at 09:15:00 and closes at 15:30:00 IST', () => {
      assert.equal(at('2026-01-23', '09:14:59').phase, 'closed');
      assert.equal(at('2026-01-23', '09:15:00').phase, 'open');
      assert.equal(at('2026-01-23', '15:29:59').phase, 'open');
      assert.equal(at('2026-01-23', '15:30:00').phase, 'closed');
    });

    it('while open: the label, the trade date and the close', () => {
      const s = at('2026-01-23', '10:00:00');
      assert.deepEqual(
        { ...s, currentClose: iso(s.currentClose), nextClose: iso(s.nextClose) },
        {
          phase: 'open', tradeDate: '2026-01-23', sessionLabel: 'Regular',
          currentClose: '2026-01-23T10:00:00.000Z', nextOpen: null, nextClose: '2026-01-23T10:00:00.000Z',
        },
      );
    });

    it('before the open: the same day\'s session is next', () => {
      const s = at('2026-01-23', '09:14:59');
      assert.equal(s.sessionLabel, null);
      assert.equal(s.currentClose, null);
      assert.equal(iso(s.nextOpen), '2026-01-23T03:45:00.000Z');
      assert.equal(iso(s.nextClose), '2026-01-23T10:00:00.000Z');
    });

    it('the trade date is the IST date, even when it is another date at the computer', () => {
      // 00:30 IST on the 23rd is still the 22nd in New York and already afternoon in Auckland.
      assert.equal(at('2026-01-23', '00:30:00').tradeDate, '2026-01-23');
      assert.equal(at('2026-01-23', '23:59:59').tradeDate, '2026-01-23');
    });

    it('next open across a weekend and a holiday: Friday close → Tuesday 09:15', () => {
      const s = at('2026-01-23', '15:30:00');
      assert.equal(s.phase, 'closed');
      assert.equal(iso(s.nextOpen), '2026-01-27T03:45:00.000Z');
      assert.equal(iso(s.nextClose), '2026-01-27T10:00:00.000Z');
      const saturday = at('2026-01-24', '11:00:00');
      assert.equal(saturday.phase, 'weekend');
      assert.equal(iso(saturday.nextOpen), '2026-01-27T03:45:00.000Z');
      const holiday = at('2026-01-26', '11:00:00');
      assert.equal(holiday.phase, 'holiday');
      assert.equal(holiday.tradeDate, '2026-01-26');
      assert.equal(iso(holiday.nextOpen), '2026-01-27T03:45:00.000Z');
    });

    it('an extra session on a Sunday trades at its own hours', () => {
      assert.equal(at('2026-02-01', '09:14:59').phase, 'weekend');
      const open = at('2026-02-01', '12:00:00');
      assert.equal(open.phase, 'open');
      assert.equal(open.sessionLabel, 'Budget day');
      assert.equal(iso(open.currentClose), '2026-02-01T10:00:00.000Z');
      assert.equal(at('2026-02-01', '15:30:00').phase, 'weekend');
      // From Saturday the budget session is the next open, not Monday.
      assert.equal(iso(at('2026-01-31', '12:00:00').nextOpen), '2026-02-01T03:45:00.000Z');
      assert.equal(iso(at('2026-02-01', '15:30:00').nextOpen), '2026-02-02T03:45:00.000Z');
    });

    it('a muhurat hour on a holiday: holiday until 18:00, open until 19:00, holiday after', () => {
      const morning = at('2026-11-10', '09:15:00');
      assert.equal(morning.phase, 'holiday');
      assert.equal(iso(morning.nextOpen), '2026-11-10T12:30:00.000Z');
      assert.equal(iso(morning.nextClose), '2026-11-10T13:30:00.000Z');
      const muhurat = at('2026-11-10', '18:00:00');
      assert.equal(muhurat.phase, 'open');
      assert.equal(muhurat.sessionLabel, 'Muhurat');
      assert.equal(at('2026-11-10', '18:59:59').phase, 'open');
      const after = at('2026-11-10', '19:00:00');
      assert.equal(after.phase, 'holiday');
      assert.equal(iso(after.nextOpen), '2026-11-11T03:45:00.000Z');
    });
  });
}

describe('marketState in a DST zone', () => {
  // New York: 09:30–16:00. Clocks go forward on Sunday 8 March 2026 (EST −5 → EDT −4).
  const NYSE: ExchangeProfile = { ...NSE_PROFILE, name: 'NYSE', zone: 'America/New_York', sessionOpen: '09:30', sessionClose: '16:00' };

  it('gives the right UTC instants on both sides of the switch', () => {
    for (const tz of ['Asia/Kolkata', 'Pacific/Auckland', 'America/New_York']) {
      process.env.TZ = tz;
      assert.deepEqual(sessionsOn('2026-03-06', NYSE).map((s) => [iso(s.open), iso(s.close)]),
        [['2026-03-06T14:30:00.000Z', '2026-03-06T21:00:00.000Z']]);
      assert.deepEqual(sessionsOn('2026-03-09', NYSE).map((s) => [iso(s.open), iso(s.close)]),
        [['2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z']]);
      const friday = marketState(new Date('2026-03-06T21:00:00Z'), NYSE);
      assert.equal(friday.phase, 'closed');
      assert.equal(iso(friday.nextOpen), '2026-03-09T13:30:00.000Z');
      assert.equal(iso(friday.nextClose), '2026-03-09T20:00:00.000Z');
      // 09:29 EDT on Monday is 13:29Z: closed; 13:30Z open.
      assert.equal(marketState(new Date('2026-03-09T13:29:59Z'), NYSE).phase, 'closed');
      assert.equal(marketState(new Date('2026-03-09T13:30:00Z'), NYSE).phase, 'open');
      assert.equal(marketState(new Date('2026-03-09T19:59:59Z'), NYSE).phase, 'open');
      assert.equal(marketState(new Date('2026-03-09T20:00:00Z'), NYSE).phase, 'closed');
    }
  });
});

describe('sessionsOn', () => {
  it('lists the regular and extra sessions of a day, sorted', () => {
    const profile: ExchangeProfile = {
      ...NSE,
      extraSessions: [
        { date: '2026-01-23', open: '18:00', close: '19:00', label: 'Evening' },
        { date: '2026-01-23', open: '07:00', close: '08:00', label: 'Early' },
      ],
    };
    assert.deepEqual(sessionsOn('2026-01-23', profile).map((s) => s.label), ['Early', 'Regular', 'Evening']);
    assert.deepEqual(sessionsOn('2026-01-24', profile), []);
    assert.deepEqual(sessionsOn('2026-01-26', NSE), []); // holiday
  });

  it('no trading weekdays and no extra sessions: never opens', () => {
    const s = marketState(ist('2026-01-23', '10:00:00'), { ...NSE_PROFILE, weekdays: [] });
    assert.equal(s.phase, 'weekend');
    assert.equal(s.nextOpen, null);
    assert.equal(s.nextClose, null);
  });

  it('counts days across a month, a year and a leap day to the next open', () => {
    const yearEnd: ExchangeProfile = { ...NSE_PROFILE, holidays: ['2027-01-01'] };
    // Thursday 31 Dec 2026 after the close; Friday 1 Jan 2027 a holiday; the weekend.
    assert.equal(iso(marketState(ist('2026-12-31', '16:00:00'), yearEnd).nextOpen), '2027-01-04T03:45:00.000Z');
    // Saturday 26 Feb 2028 → Monday 28th; Monday's close → Tuesday 29 Feb (a leap day).
    assert.equal(iso(marketState(ist('2028-02-26', '12:00:00'), NSE_PROFILE).nextOpen), '2028-02-28T03:45:00.000Z');
    assert.equal(iso(marketState(ist('2028-02-28', '15:30:00'), NSE_PROFILE).nextOpen), '2028-02-29T03:45:00.000Z');
  });

  it('equal open and close is not a session', () => {
    assert.deepEqual(sessionsOn('2026-01-23', { ...NSE_PROFILE, sessionClose: '09:15' }), []);
  });

  it('refuses a bad date or zone', () => {
    assert.throws(() => sessionsOn('2026-13-01', NSE), /not a date/);
    assert.throws(() => sessionsOn('2026-02-30', NSE), /not a date/);
    assert.throws(() => marketState(new Date(), { ...NSE, zone: 'Mars/Olympus' }), /Unknown time zone "Mars\/Olympus"/);
  });
});
