import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultImportForm, importInput, type ImportForm } from './import-input';

const form = (patch: Partial<ImportForm> = {}): ImportForm => ({ ...defaultImportForm('2026-11-20', '2025-11-20'), ...patch });

describe('the Import history form', () => {
  it('starts a history-import job of the range from NSE, series EQ, by default', () => {
    assert.deepEqual(importInput(form()), {
      input: { kind: 'history-import', params: { from: '2025-11-20', to: '2026-11-20', sources: [{ kind: 'nse' }], universe: { series: ['EQ'] }, force: false } },
    });
  });

  it('a folder first, NSE for what it lacks (or not), another archive address, a rate, the universe and force', () => {
    const withFallback = importInput(form({ source: 'folder', folder: ' /data/bhav ', archiveUrl: 'http://127.0.0.1:9000', requestsPerSecond: '4', universe: 'workbook', force: true }));
    assert.deepEqual(withFallback, {
      input: {
        kind: 'history-import',
        params: {
          from: '2025-11-20', to: '2026-11-20', sources: [{ kind: 'folder', dir: '/data/bhav' }, { kind: 'nse', baseUrl: 'http://127.0.0.1:9000' }],
          universe: { historicalWorkbook: true }, force: true, rateLimitPerSecond: 4,
        },
      },
    });
    const folderOnly = importInput(form({ source: 'folder', folder: '/data/bhav', archiveFallback: false, universe: 'EQ+BE' }));
    assert.ok('input' in folderOnly);
    assert.deepEqual((folderOnly.input.params as { sources: unknown }).sources, [{ kind: 'folder', dir: '/data/bhav' }]);
    assert.deepEqual((folderOnly.input.params as { universe: unknown }).universe, { series: ['EQ', 'BE'] });
  });

  it('names the field at fault for what it can check itself', () => {
    assert.deepEqual(importInput(form({ from: '' })), { field: 'from', error: 'Choose the first day' });
    assert.deepEqual(importInput(form({ to: '' })), { field: 'to', error: 'Choose the last day' });
    assert.deepEqual(importInput(form({ from: '2026-11-21' })), { field: 'to', error: 'The last day comes before the first' });
    assert.deepEqual(importInput(form({ source: 'folder', folder: '  ' })), { field: 'folder', error: 'Name the folder that holds the bhavcopies' });
    for (const rate of ['0', '-1', 'fast']) {
      assert.deepEqual(importInput(form({ requestsPerSecond: rate })), { field: 'requestsPerSecond', error: 'Requests per second must be a number above 0' });
    }
  });
});
