import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIsoDate, isKnownZone, knownZone, minutesOf } from './fields';

describe('calendar fields', () => {
  it('an HH:mm time is 00:00 to 23:59 with two-digit hours', () => {
    assert.deepEqual(['00:00', '09:15', '23:59'].map(minutesOf), [0, 555, 1439]);
    for (const bad of ['9:15', '24:00', '12:60', ' 09:15', '09:15:00', '9.15', '', 915, null]) {
      assert.equal(minutesOf(bad), null, JSON.stringify(bad));
    }
  });

  it('an ISO date is a real date written YYYY-MM-DD', () => {
    assert.ok(isIsoDate('2026-01-26'));
    assert.ok(isIsoDate('2028-02-29'));
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-26', '20260126', '2026-W05-1', 20260126]) {
      assert.equal(isIsoDate(bad), false, JSON.stringify(bad));
    }
  });

  it('a zone is a known IANA name', () => {
    assert.ok(isKnownZone('Asia/Kolkata'));
    assert.ok(isKnownZone('America/New_York'));
    for (const bad of ['Mars/Olympus', 'India/Mumbai', '', ' ', 5]) assert.equal(isKnownZone(bad), false, JSON.stringify(bad));
    assert.equal(knownZone('Asia/Kolkata'), 'Asia/Kolkata');
    assert.throws(() => knownZone('Mars/Olympus'), { message: 'Unknown time zone "Mars/Olympus"' });
  });
});
