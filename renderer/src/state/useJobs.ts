// The background jobs on screen: read once, then kept current by the pushed jobProgress and
// jobRemoved events (never polled). The queue's statistics are re-read when a job changes state,
// and at most every few seconds while one makes progress.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { JobDetail, JobRecord, QueueStats, StartJobInput } from '../../../shared/jobs';
import type { DashboardApi } from '../api/connect';
import { upsertJob } from '../jobs/job-view';
import { coalesce } from './coalesce';

const STATS_GAP_MS = 2_000;

export interface JobsState {
  jobs: JobRecord[];
  stats: QueueStats | null;
  /** The last call that failed (a list that could not be read), one line. */
  error: string | null;
}

/** A list read while events kept coming: whatever an event brought that is newer stays. */
function mergeListed(listed: JobRecord[], current: JobRecord[]): JobRecord[] {
  let merged = listed;
  const newestListed = listed.reduce((max, j) => Math.max(max, j.id), 0);
  for (const job of current) {
    if (listed.some((j) => j.id === job.id) || job.id > newestListed) merged = upsertJob(merged, job);
  }
  return merged;
}

export function useJobs(api: DashboardApi) {
  const [state, setState] = useState<JobsState>({ jobs: [], stats: null, error: null });
  const known = useRef(new Map<number, JobRecord['state']>());

  const stats = useMemo(() => coalesce(async () => {
    const next = await api.getJobStats();
    setState((s) => ({ ...s, stats: next }));
  }, STATS_GAP_MS), [api]);

  const load = useCallback(async () => {
    try {
      const [jobs, queue] = await Promise.all([api.listJobs(), api.getJobStats()]);
      setState((s) => ({ jobs: mergeListed(jobs, s.jobs), stats: queue, error: null }));
    } catch (error) {
      setState((s) => ({ ...s, error: (error as Error).message }));
    }
  }, [api]);

  const take = useCallback((job: JobRecord) => {
    const before = known.current.get(job.id);
    known.current.set(job.id, job.state);
    setState((s) => ({ ...s, jobs: upsertJob(s.jobs, job) }));
    // A change of state moves the counts: read them now (or right after the read in flight).
    if (before !== job.state) stats.request();
    else if (job.state === 'running') stats.request(); // throughput, at most every STATS_GAP_MS
  }, [stats]);

  const drop = useCallback((id: number) => {
    known.current.delete(id);
    setState((s) => ({ ...s, jobs: s.jobs.filter((j) => j.id !== id) }));
    stats.request();
  }, [stats]);

  useEffect(() => {
    void load();
    const offs = [
      api.on('jobProgress', take),
      api.on('jobRemoved', ({ id }) => drop(id)),
      // A lost link missed events: read everything again.
      api.onConnection?.((connection, { reconnected }) => {
        if (connection === 'open' && reconnected) void load();
      }) ?? (() => undefined),
    ];
    return () => {
      for (const off of offs) off();
      stats.cancel();
    };
  }, [api, load, take, drop, stats]);

  // Each returns the refusal's one line, or null when done.
  const actions = useMemo(() => {
    const attempt = async (work: () => Promise<void>): Promise<string | null> => {
      try {
        await work();
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    return {
      start: (input: StartJobInput) => attempt(async () => take(await api.startJob(input))),
      cancel: (id: number) => attempt(async () => take(await api.cancelJob(id))),
      retry: (id: number) => attempt(async () => take(await api.retryJob(id))),
      dismiss: (id: number) => attempt(async () => drop((await api.dismissJob(id)).id)),
      detail: (id: number): Promise<JobDetail> => api.getJob(id),
    };
  }, [api, take, drop]);

  return { state, actions };
}

export type JobsActions = ReturnType<typeof useJobs>['actions'];
