import { useEffect, useState } from 'react';
import { settingsSchema, type Settings } from '../../../shared/settings';
import type { DashboardActions } from '../state/useDashboard';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "intervalSeconds: must be…; exchange.zone "X" is not…" → { field: message }. */
function errorsByField(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.replace(/^updateSettings: /, '').split('; ')) {
    const m = /^([\w.]+)(?::\s*|\s)(.*)$/.exec(part);
    if (m) out[m[1]!] = m[2]!;
    else out._ = part;
  }
  return out;
}

export function SettingsPanel({ settings, shell, actions }: { settings: Settings | null; shell: 'electron' | 'browser'; actions: DashboardActions }) {
  const [draft, setDraft] = useState<Settings | null>(settings);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setDraft(settings), [settings]);
  if (!draft) return null;

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setDraft({ ...draft, [key]: value });
  const setExchange = <K extends keyof Settings['exchange']>(key: K, value: Settings['exchange'][K]) =>
    setDraft({ ...draft, exchange: { ...draft.exchange, [key]: value } });
  const error = (field: string) =>
    errors[field] ? <span className="field-error" role="alert" data-testid={`error-${field}`}>{errors[field]}</span> : null;

  const save = async () => {
    setSaved(null);
    const checked = settingsSchema.safeParse(draft);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [i.path.join('.'), i.message])));
      return;
    }
    try {
      await actions.updateSettings(checked.data);
      setErrors({});
      setSaved('Saved');
    } catch (e) {
      setErrors(errorsByField((e as Error).message));
    }
  };

  const number = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));

  return (
    <section className="panel settings" aria-label="Settings" data-testid="settings">
      <h2>Settings</h2>
      <div className="settings-grid">
        <label>
          Data folder
          <span className="row">
            <input data-testid="setting-dataDir" value={draft.dataDir} onChange={(e) => set('dataDir', e.target.value)} spellCheck={false} />
            {shell === 'electron' && (
              <button type="button" onClick={async () => {
                const folder = await actions.chooseDataFolder();
                if (folder) set('dataDir', folder);
              }}>Choose…</button>
            )}
          </span>
          {error('dataDir')}
        </label>
        <label>
          Interval (seconds)
          <input data-testid="setting-interval" inputMode="numeric" value={Number.isNaN(draft.intervalSeconds) ? '' : draft.intervalSeconds} onChange={(e) => set('intervalSeconds', number(e.target.value))} />
          {error('intervalSeconds')}
        </label>
        <label>
          Stale after (seconds)
          <input data-testid="setting-stale" inputMode="numeric" value={Number.isNaN(draft.staleAfterSeconds) ? '' : draft.staleAfterSeconds} onChange={(e) => set('staleAfterSeconds', number(e.target.value))} />
          {error('staleAfterSeconds')}
        </label>
        <label>
          Exchange
          <input value={draft.exchange.name} onChange={(e) => setExchange('name', e.target.value)} />
          {error('exchange.name')}
        </label>
        <label>
          Time zone
          <input data-testid="setting-zone" value={draft.exchange.zone} onChange={(e) => setExchange('zone', e.target.value)} spellCheck={false} />
          {error('exchange.zone')}
        </label>
        <label>
          Session
          <span className="row">
            <input aria-label="Session opens" value={draft.exchange.sessionOpen} onChange={(e) => setExchange('sessionOpen', e.target.value)} size={5} />
            –
            <input aria-label="Session closes" value={draft.exchange.sessionClose} onChange={(e) => setExchange('sessionClose', e.target.value)} size={5} />
          </span>
          {error('exchange.sessionOpen')}
          {error('exchange.sessionClose')}
        </label>
        <fieldset>
          <legend>Trading days</legend>
          {WEEKDAYS.map((name, i) => (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={draft.exchange.weekdays.includes(i + 1)}
                onChange={(e) => setExchange('weekdays', e.target.checked ? [...draft.exchange.weekdays, i + 1].sort() : draft.exchange.weekdays.filter((d) => d !== i + 1))}
              />
              {name}
            </label>
          ))}
        </fieldset>
        <label>
          Holidays ({draft.exchange.holidays.length})
          <input
            type="file"
            accept=".csv,.json,text/csv,application/json"
            data-testid="holiday-file"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              try {
                await actions.importHolidays(file.name, await file.text());
                setErrors({});
                setSaved(`Imported holidays from ${file.name}`);
              } catch (err) {
                setErrors({ holidays: (err as Error).message.replace(/^importHolidays: /, '') });
              }
              e.target.value = '';
            }}
          />
          {error('holidays')}
        </label>
        <fieldset>
          <legend>Start-up and tray</legend>
          <label className="check"><input type="checkbox" checked={draft.autoStart} onChange={(e) => set('autoStart', e.target.checked)} />Auto-processing on start</label>
          <label className="check"><input type="checkbox" checked={draft.hideToTrayOnClose} onChange={(e) => set('hideToTrayOnClose', e.target.checked)} />Closing the window hides to the tray</label>
          <label className="check"><input type="checkbox" checked={draft.startAtLogin} onChange={(e) => set('startAtLogin', e.target.checked)} />Start at login</label>
        </fieldset>
        <fieldset>
          <legend>Daily history</legend>
          <label className="check" title="A history-import job of that session, 3 hours after the close (18:30 IST for NSE), like your last import: today's provisional point becomes final">
            <input type="checkbox" data-testid="setting-import-after-close" checked={draft.history?.importAfterClose ?? false} onChange={(e) => set('history', { importAfterClose: e.target.checked })} />
            Import the day's bhavcopy after the close
          </label>
        </fieldset>
      </div>
      <div className="settings-actions">
        <button type="button" className="primary" data-testid="save-settings" onClick={() => void save()}>Save settings</button>
        <button type="button" onClick={() => { setDraft(settings); setErrors({}); }}>Discard changes</button>
        {saved && <span className="saved" role="status">{saved}</span>}
        {errors._ && <span className="field-error" role="alert">{errors._}</span>}
      </div>
    </section>
  );
}
