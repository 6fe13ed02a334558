// The daily history on screen for a range: read when the range changes, again (coalesced) while
// an import adds days and when it ends, and its provisional last point moved by each pushed
// snapshot with the same withLiveDay the host uses. Nothing is polled.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryDay } from '../../../shared/history/indicators';
import type { DashboardApi } from '../api/connect';
import { rangeFrom, withLiveSnapshot, type HistoryRangeKey } from '../charts/history-points';
import { HISTORY_IMPORT_KIND } from '../jobs/job-view';
import { coalesce } from './coalesce';

/** While an import runs, its new days are read at most this often. */
const IMPORT_REFRESH_MS = 3_000;

export interface HistoryState {
  days: HistoryDay[];
  loading: boolean;
  error: string | null;
  /** The range the days are for. */
  from: string | undefined;
}

export function useHistory(api: DashboardApi, range: HistoryRangeKey, today: string) {
  const from = rangeFrom(range, today);
  const [state, setState] = useState<HistoryState>({ days: [], loading: true, error: null, from });
  const days = useRef<HistoryDay[]>([]);

  const reload = useMemo(() => coalesce(async () => {
    try {
      const next = await api.getHistory(from ? { from } : undefined);
      days.current = next;
      setState({ days: next, loading: false, error: null, from });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error: (error as Error).message }));
    }
  }, IMPORT_REFRESH_MS), [api, from]);

  useEffect(() => {
    setState((s) => ({ ...s, loading: true, from }));
    reload.request();
    const offs = [
      api.on('snapshot', (snapshot) => {
        const next = withLiveSnapshot(days.current, snapshot);
        if (next === null) {
          reload.request(); // no final day in the range to continue from: the host knows
          return;
        }
        days.current = next;
        setState((s) => ({ ...s, days: next }));
      }),
      api.on('jobProgress', (job) => {
        if (job.kind !== HISTORY_IMPORT_KIND) return;
        // Days arrive while it runs; the figures settle when it ends (the last chunks compute them).
        if (job.state === 'running' || job.state === 'completed' || job.state === 'cancelled' || job.state === 'failed' || job.state === 'dead') reload.request();
      }),
      api.onConnection?.((connection, { reconnected }) => {
        if (connection === 'open' && reconnected) reload.request();
      }) ?? (() => undefined),
    ];
    return () => {
      for (const off of offs) off();
      reload.cancel();
    };
  }, [api, from, reload]);

  return state;
}
