// What the Jobs panel says about a job, in a trader's words: its title, what may be done with it,
// its progress, times and result. Pure: no React, no clock (the caller passes "now").
import type { JobRecord, JobState, QueueStats } from '../../../shared/jobs';
import { exchangeClockLabel } from '../../../shared/exchange-time';
import { num } from '../format';

export const HISTORY_IMPORT_KIND = 'history-import';

/** What the history import's parameters look like (processor/history/import-params.ts), as far as the panel reads them. */
interface ImportParams {
  from?: string;
  to?: string;
  sources?: Array<{ kind: 'folder'; dir: string } | { kind: 'nse'; baseUrl?: string }>;
  universe?: { series: string[] } | { historicalWorkbook: true };
  force?: boolean;
}

export function sourceLabel(source: NonNullable<ImportParams['sources']>[number]): string {
  if (source.kind === 'folder') return `folder ${source.dir}`;
  return source.baseUrl ? `archive at ${source.baseUrl}` : 'NSE archive';
}

export function universeLabel(universe: ImportParams['universe']): string {
  if (!universe) return 'EQ';
  return 'historicalWorkbook' in universe ? 'Historical workbook symbols' : universe.series.join(' + ');
}

export interface JobTitle {
  title: string;
  /** Parameters worth a glance: sources, universe, force. */
  detail: string | null;
}

export function describeJob(job: Pick<JobRecord, 'kind' | 'params'>): JobTitle {
  if (job.kind !== HISTORY_IMPORT_KIND) return { title: job.kind, detail: null };
  const p = (job.params ?? {}) as ImportParams;
  const sources = (p.sources && p.sources.length ? p.sources : [{ kind: 'nse' as const }]).map(sourceLabel).join(', then ');
  return {
    title: `History import ${p.from ?? '?'} → ${p.to ?? '?'}`,
    detail: [sources, universeLabel(p.universe), p.force ? 'forced' : null].filter(Boolean).join(' · '),
  };
}

/** What the queue allows (electron/processor/jobs/runner.ts): the buttons shown. */
export function jobActions(job: Pick<JobRecord, 'state' | 'progress'>): { cancel: boolean; retry: boolean; dismiss: boolean } {
  const { state } = job;
  return {
    cancel: state === 'queued' || state === 'running' || state === 'failed',
    retry: state === 'dead' || state === 'failed' || state === 'cancelled' || (state === 'completed' && job.progress.failed > 0),
    dismiss: state === 'completed' || state === 'cancelled' || state === 'dead',
  };
}

export const STATE_LABEL: Record<JobState, string> = {
  queued: 'queued', running: 'running', completed: 'completed', failed: 'failed, retrying', cancelled: 'cancelled', dead: 'dead',
};

/** 42 → "42 s", 200 → "3 min 20 s", 7300 → "2 h 1 min"; a time to read, not to compute with. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${Math.floor(s / 60)} min`;
  }
  const minutes = Math.floor((s % 3600) / 60);
  return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${Math.floor(s / 3600)} h`;
}

/** "about 3 min left": rounded up to the unit a person reads, never "0 s". */
export function etaLabel(etaSeconds: number | null): string | null {
  if (etaSeconds === null || !Number.isFinite(etaSeconds)) return null;
  if (etaSeconds < 10) return 'a few seconds left';
  if (etaSeconds < 60) return `about ${Math.ceil(etaSeconds / 10) * 10} s left`;
  if (etaSeconds < 3600) return `about ${humanDuration(Math.ceil(etaSeconds / 60) * 60)} left`;
  return `about ${humanDuration(Math.ceil(etaSeconds / 600) * 600)} left`;
}

/** Seconds the job has run: from its first start to its end, or to now while it is not finished. */
export function elapsedSeconds(job: Pick<JobRecord, 'startedAt' | 'finishedAt'>, now: number): number | null {
  if (!job.startedAt) return null;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  return Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
}

/** "20 Nov 14:05:12 IST": a job's time in the exchange's zone. */
export function jobTime(iso: string | null, zone: string): string | null {
  return iso ? exchangeClockLabel(Date.parse(iso), zone, 'd LLL HH:mm:ss') : null;
}

/** "120 of 250 done · 3 failed": the counts under the bar. */
export function countsLine(job: Pick<JobRecord, 'progress'>): string {
  const { done, failed, total } = job.progress;
  const counts = total > 0 ? `${num(done)} of ${num(total)} done` : done > 0 ? `${num(done)} done` : 'planning…';
  return failed > 0 ? `${counts} · ${num(failed)} failed` : counts;
}

interface ImportResult {
  sessions: number;
  imported: number;
  skipped: number;
  replaced: number;
  notPublished: number;
  failed: number;
  fromCache?: number;
}

/** A completed job's result in one line; a kind the panel does not know shows its JSON. */
export function resultLine(job: Pick<JobRecord, 'kind' | 'result'>): string | null {
  const r = job.result;
  if (r === null || r === undefined) return null;
  if (job.kind === HISTORY_IMPORT_KIND && typeof r === 'object' && 'sessions' in r) {
    const x = r as ImportResult;
    const parts = [
      `${num(x.sessions)} sessions`, `${num(x.imported)} imported`,
      x.skipped ? `${num(x.skipped)} already there` : null,
      x.replaced ? `${num(x.replaced)} replaced` : null,
      x.notPublished ? `${num(x.notPublished)} not published` : null,
      x.failed ? `${num(x.failed)} failed` : null,
      x.fromCache ? `${num(x.fromCache)} from the cache` : null,
    ];
    return parts.filter(Boolean).join(' · ');
  }
  return JSON.stringify(r);
}

/** The queue's statistics in one line: counts by state (only those present), throughput. */
export function statsLine(stats: QueueStats | null): string {
  if (!stats) return '';
  const order: JobState[] = ['running', 'queued', 'failed', 'dead', 'cancelled', 'completed'];
  const counts = order.filter((s) => stats.byState[s] > 0).map((s) => `${stats.byState[s]} ${s}`);
  const rate = stats.throughput > 0 ? `${num(stats.throughput, stats.throughput < 10 ? 1 : 0)} items/s over the last minute` : null;
  return [...(counts.length ? counts : ['no jobs']), rate].filter(Boolean).join(' · ');
}

/** The list as the panel keeps it: newest first, one record per job, the newest version wins. */
export function upsertJob(jobs: readonly JobRecord[], job: JobRecord): JobRecord[] {
  const at = jobs.findIndex((j) => j.id === job.id);
  if (at >= 0) {
    // Events can cross a list read in flight: never go back to an older version of a job.
    if (jobs[at]!.updatedAt > job.updatedAt) return jobs as JobRecord[];
    const next = jobs.slice();
    next[at] = job;
    return next;
  }
  return [job, ...jobs].sort((a, b) => b.id - a.id);
}
