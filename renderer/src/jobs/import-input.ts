// The "Import history" form's fields → a history-import job's start (the parameters of
// processor/history/import-params.ts). Only what the form can get wrong on its own is checked
// here; the processor checks the rest and its refusal is shown as it comes.
import type { StartJobInput } from '../../../shared/jobs';
import { HISTORY_IMPORT_KIND } from './job-view';

export type ImportUniverse = 'EQ' | 'EQ+BE' | 'workbook';

export interface ImportForm {
  from: string;
  to: string;
  source: 'nse' | 'folder';
  folder: string;
  /** With a folder: NSE's archive for the days the folder lacks. */
  archiveFallback: boolean;
  /** Empty: NSE's own archive. */
  archiveUrl: string;
  /** Empty: the job's default (polite: 1 a second). */
  requestsPerSecond: string;
  universe: ImportUniverse;
  force: boolean;
}

export function defaultImportForm(today: string, yearAgo: string): ImportForm {
  return {
    from: yearAgo, to: today, source: 'nse', folder: '', archiveFallback: true, archiveUrl: '', requestsPerSecond: '',
    universe: 'EQ', force: false,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The job to start, or the field at fault and why (one line). */
export function importInput(form: ImportForm): { input: StartJobInput } | { field: keyof ImportForm; error: string } {
  if (!DATE.test(form.from)) return { field: 'from', error: 'Choose the first day' };
  if (!DATE.test(form.to)) return { field: 'to', error: 'Choose the last day' };
  if (form.to < form.from) return { field: 'to', error: 'The last day comes before the first' };
  const archive = form.archiveUrl.trim() ? { kind: 'nse' as const, baseUrl: form.archiveUrl.trim() } : { kind: 'nse' as const };
  let sources: unknown[];
  if (form.source === 'folder') {
    if (!form.folder.trim()) return { field: 'folder', error: 'Name the folder that holds the bhavcopies' };
    sources = [{ kind: 'folder', dir: form.folder.trim() }, ...(form.archiveFallback ? [archive] : [])];
  } else {
    sources = [archive];
  }
  const params: Record<string, unknown> = {
    from: form.from,
    to: form.to,
    sources,
    universe: form.universe === 'workbook' ? { historicalWorkbook: true } : { series: form.universe === 'EQ' ? ['EQ'] : ['EQ', 'BE'] },
    force: form.force,
  };
  if (form.requestsPerSecond.trim()) {
    const rate = Number(form.requestsPerSecond);
    if (!Number.isFinite(rate) || rate <= 0) return { field: 'requestsPerSecond', error: 'Requests per second must be a number above 0' };
    params.rateLimitPerSecond = rate;
  }
  return { input: { kind: HISTORY_IMPORT_KIND, params } };
}
