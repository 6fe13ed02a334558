// The dashboard's "Import history" form against the job it starts: every shape the form can send
// is accepted by the history-import kind's own parameter schema (so the form never sends what the
// processor refuses for its shape), under the kind's own name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_IMPORT_KIND } from '../../processor/history/import-job';
import { historyImportParamsSchema } from '../../processor/history/import-params';
import { defaultImportForm, importInput, type ImportForm } from '../../../renderer/src/jobs/import-input';
import { HISTORY_IMPORT_KIND as PANEL_KIND } from '../../../renderer/src/jobs/job-view';
import { HISTORY_IMPORT_KIND as CORE_KIND } from './job-access';

describe('the Import history form and the history-import kind', () => {
  it('every source, universe, force and rate the form offers parses as the kind\'s parameters', () => {
    assert.equal(PANEL_KIND, HISTORY_IMPORT_KIND);
    assert.equal(CORE_KIND, HISTORY_IMPORT_KIND);
    const base = defaultImportForm('2026-11-20', '2025-11-20');
    const variants: Array<Partial<ImportForm>> = [
      {},
      { universe: 'EQ+BE', force: true },
      { universe: 'workbook' },
      { source: 'folder', folder: '/data/bhav' },
      { source: 'folder', folder: '/data/bhav', archiveFallback: false },
      { archiveUrl: 'http://127.0.0.1:9000', requestsPerSecond: '2.5' },
    ];
    for (const variant of variants) {
      const made = importInput({ ...base, ...variant });
      assert.ok('input' in made, JSON.stringify(variant));
      assert.equal(made.input.kind, HISTORY_IMPORT_KIND);
      const parsed = historyImportParamsSchema.safeParse(made.input.params);
      assert.ok(parsed.success, `${JSON.stringify(variant)}: ${parsed.success ? '' : parsed.error.message}`);
    }
  });
});
