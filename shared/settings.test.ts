import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NSE_PROFILE } from './market-calendar';
import { describeIssues, historySettingsOf, settingsPatchSchema, settingsSchema, type Settings } from './settings';

const SETTINGS: Settings = {
  dataDir: '/data', liveFileName: 'Live', historicalFileName: 'Historical', exchange: NSE_PROFILE, intervalSeconds: 6,
  autoStart: true, hideToTrayOnClose: true, startAtLogin: false, staleAfterSeconds: 60, retentionDays: 90, usePolling: false,
};

describe('settings validation', () => {
  it('one line naming each field; a message that names its own field follows its parent\'s path', () => {
    const parsed = settingsSchema.safeParse({
      ...SETTINGS,
      intervalSeconds: 0,
      exchange: { ...NSE_PROFILE, zone: 'India/Mumbai', sessionOpen: '9.15', weekdays: [0] },
    });
    assert.equal(parsed.success, false);
    assert.equal(describeIssues(parsed.error!), [
      'exchange.zone "India/Mumbai" is not a known time zone (use an IANA name such as Asia/Kolkata)',
      'exchange.sessionOpen: must be a time like 09:15',
      'exchange.weekdays.0: must be an ISO weekday (1=Mon..7=Sun)',
      'intervalSeconds: must be at least 1 second',
    ].join('; '));
  });

  it('the dashboard checks the calendar before sending: the zone\'s problem is keyed by its field', () => {
    const parsed = settingsSchema.safeParse({ ...SETTINGS, exchange: { ...NSE_PROFILE, zone: 'Asia/Mumbai' } });
    assert.deepEqual(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message]), [
      ['exchange.zone', 'zone "Asia/Mumbai" is not a known time zone (use an IANA name such as Asia/Kolkata)'],
    ]);
  });
});

describe('a settings patch', () => {
  it('holds only the fields sent: a change to one setting never resets another (custom file names)', () => {
    assert.deepEqual(settingsPatchSchema.parse({ autoStart: true }), { autoStart: true });
    assert.deepEqual(settingsPatchSchema.parse({ intervalSeconds: 60 }), { intervalSeconds: 60 });
  });
});

describe('the history settings', () => {
  it('import after the close is off by default, also for a settings file from before the setting existed', () => {
    const before = settingsSchema.parse(SETTINGS);
    assert.equal(before.history, undefined);
    assert.deepEqual(historySettingsOf(before), { importAfterClose: false });
    assert.deepEqual(historySettingsOf(settingsSchema.parse({ ...SETTINGS, history: { importAfterClose: true } })), { importAfterClose: true });
    assert.deepEqual(settingsPatchSchema.parse({ history: { importAfterClose: true } }), { history: { importAfterClose: true } });
    const bad = settingsPatchSchema.safeParse({ history: { importAfterClose: 'yes' } });
    assert.equal(describeIssues(bad.error!), 'history.importAfterClose: must be true or false');
  });
});
