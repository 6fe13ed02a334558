import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeIssues } from '../settings';
import { NSE_PROFILE, exchangeProfileSchema, type ExchangeProfile } from './profile';

const FULL: ExchangeProfile = {
  ...NSE_PROFILE,
  holidays: ['2026-01-26', '2026-11-10'],
  extraSessions: [{ date: '2026-11-10', open: '18:00', close: '19:00', label: 'Muhurat' }],
};

/** The schema's problems, one line each, as the settings file and the server word them. */
function problems(profile: unknown): string[] {
  const parsed = exchangeProfileSchema.safeParse(profile);
  return parsed.success ? [] : describeIssues(parsed.error).split('; ');
}

describe('exchange profile schema', () => {
  it('accepts the NSE defaults and a full profile', () => {
    assert.deepEqual(problems(NSE_PROFILE), []);
    assert.deepEqual(problems(FULL), []);
  });

  it('names each bad field', () => {
    assert.deepEqual(problems({
      name: ' ',
      zone: 'Mars/X',
      sessionOpen: '15:30',
      sessionClose: '09:15',
      weekdays: [1, 8],
      holidays: ['2026-01-26', '2026-02-30', '2026-13-01'],
      extraSessions: [{ date: '2026-02-01', open: '19:00', close: '18:00', label: 'Muhurat' }, { date: 'soon', open: '9am', close: '10:00', label: '' }],
    }), [
      'name: must not be empty',
      'zone "Mars/X" is not a known time zone (use an IANA name such as Asia/Kolkata)',
      'weekdays.1: must be an ISO weekday (1=Mon..7=Sun)',
      'holidays.1: must be a date like 2026-01-26',
      'holidays.2: must be a date like 2026-01-26',
      'extraSessions.0.close must be after open',
      'extraSessions.1.date: must be a date like 2026-02-01',
      'extraSessions.1.open: must be a time like 18:00',
      'extraSessions.1.label: must not be empty',
      'sessionClose must be after sessionOpen',
    ]);
  });

  it('equal open and close is not a session; a bad time is not also "not after"', () => {
    assert.deepEqual(problems({ ...NSE_PROFILE, sessionClose: '09:15' }), ['sessionClose must be after sessionOpen']);
    assert.deepEqual(problems({ ...NSE_PROFILE, sessionOpen: '9:15' }), ['sessionOpen: must be a time like 09:15']);
    assert.deepEqual(problems({ ...NSE_PROFILE, sessionClose: '3pm' }), ['sessionClose: must be a time like 15:30']);
  });
});
