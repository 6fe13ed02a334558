import { useState } from 'react';
import { importInput, type ImportForm as Fields, type ImportUniverse } from '../jobs/import-input';
import type { JobsActions } from '../state/useJobs';

/** The "Import history" job form: a history-import job is queued when it is sent. */
export function ImportForm({ initial, actions, onStarted, onClose }: { initial: Fields; actions: JobsActions; onStarted: () => void; onClose: () => void }) {
  const [form, setForm] = useState<Fields>(initial);
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [sending, setSending] = useState(false);
  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => setForm((f) => ({ ...f, [key]: value }));
  const invalid = (field: keyof Fields) => (problem?.field === field ? 'true' : undefined);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const checked = importInput(form);
    if ('error' in checked) {
      setProblem({ field: checked.field, message: checked.error });
      return;
    }
    setSending(true);
    const refused = await actions.start(checked.input);
    setSending(false);
    if (refused) {
      setProblem({ field: null, message: refused.replace(/^Bad parameters for a history-import job: /, '') });
      return;
    }
    setProblem(null);
    onStarted();
  };

  return (
    <form className="panel import-form" aria-label="Import history" data-testid="import-form" onSubmit={(e) => void submit(e)}>
      <h2>Import daily history</h2>
      <div className="import-grid">
        <label>
          First day
          <input type="date" data-testid="import-from" value={form.from} aria-invalid={invalid('from')} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          Last day
          <input type="date" data-testid="import-to" value={form.to} aria-invalid={invalid('to')} onChange={(e) => set('to', e.target.value)} />
        </label>
        <fieldset>
          <legend>Source</legend>
          <label className="check">
            <input type="radio" name="source" data-testid="import-source-nse" checked={form.source === 'nse'} onChange={() => set('source', 'nse')} />
            NSE archive (downloads each day once, politely)
          </label>
          <label className="check">
            <input type="radio" name="source" data-testid="import-source-folder" checked={form.source === 'folder'} onChange={() => set('source', 'folder')} />
            A folder of bhavcopies (.csv or .zip)
          </label>
          {form.source === 'folder' && (
            <>
              <input data-testid="import-folder" placeholder="Folder path" value={form.folder} aria-invalid={invalid('folder')} spellCheck={false} onChange={(e) => set('folder', e.target.value)} />
              <label className="check">
                <input type="checkbox" checked={form.archiveFallback} onChange={(e) => set('archiveFallback', e.target.checked)} />
                Then NSE's archive for the days the folder lacks
              </label>
            </>
          )}
        </fieldset>
        <label>
          Stocks that count
          <select data-testid="import-universe" value={form.universe} onChange={(e) => set('universe', e.target.value as ImportUniverse)}>
            <option value="EQ">Series EQ</option>
            <option value="EQ+BE">Series EQ and BE</option>
            <option value="workbook">The Historical workbook's symbols</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" data-testid="import-force" checked={form.force} onChange={(e) => set('force', e.target.checked)} />
          Import again the days already imported from the same file
        </label>
        <details className="import-advanced">
          <summary>Archive settings</summary>
          <label>
            Archive address
            <input data-testid="import-archive-url" placeholder="https://nsearchives.nseindia.com" value={form.archiveUrl} aria-invalid={invalid('archiveUrl')} spellCheck={false} onChange={(e) => set('archiveUrl', e.target.value)} />
          </label>
          <label>
            Requests per second
            <input data-testid="import-rate" inputMode="decimal" placeholder="1" value={form.requestsPerSecond} aria-invalid={invalid('requestsPerSecond')} onChange={(e) => set('requestsPerSecond', e.target.value)} />
          </label>
        </details>
      </div>
      <div className="settings-actions">
        <button type="submit" className="primary" data-testid="import-start" disabled={sending}>Start import</button>
        <button type="button" onClick={onClose}>Close</button>
        {problem && <span className="field-error" role="alert" data-testid="import-error">{problem.message}</span>}
      </div>
    </form>
  );
}
