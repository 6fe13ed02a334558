// The dashboard's data: fetched once, then kept current by pushed events (no polling timer).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppStatus, DaySummary, Movers, StockRow } from '../../../shared/api';
import type { RunRecord, SeriesPoint, Snapshot } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import type { DashboardApi } from '../api/connect';
import { topMovers } from '../../../shared/breadth';
import { metrics } from '../metrics';

export interface DashboardState {
  status: AppStatus | null;
  settings: Settings | null;
  days: DaySummary[];
  /** The trade date on screen; null until there is data. */
  day: string | null;
  /** True when following the live day (new snapshots are appended). */
  live: boolean;
  series: SeriesPoint[];
  latest: Snapshot | null;
  stocks: StockRow[];
  movers: Movers;
  runs: RunRecord[];
  /** A call that failed, to show beside the controls. */
  callError: string | null;
  connected: boolean;
  /** The browser's link to the host was lost and is being re-established. */
  reconnecting: boolean;
}

const EMPTY_MOVERS: Movers = { gainers: [], losers: [] };
const MOVERS_SHOWN = 10;

export function useDashboard(api: DashboardApi) {
  const [state, setState] = useState<DashboardState>({
    status: null, settings: null, days: [], day: null, live: true, series: [], latest: null,
    stocks: [], movers: EMPTY_MOVERS, runs: [], callError: null, connected: false, reconnecting: false,
  });
  // Snapshots pushed while a (re)load is in flight: the load may have read the series before them.
  const arrivedDuringLoad = useRef<Snapshot[] | null>(null);
  const view = useRef<{ day: string | null; live: boolean }>({ day: null, live: true });
  const patch = useCallback((p: Partial<DashboardState>) => setState((s) => ({ ...s, ...p })), []);

  const guard = useCallback(async <T,>(work: Promise<T>): Promise<T | undefined> => {
    try {
      const result = await work;
      patch({ callError: null });
      return result;
    } catch (error) {
      patch({ callError: (error as Error).message });
      return undefined;
    }
  }, [patch]);

  const loadDay = useCallback(async (day: string | undefined) => {
    const [series, stocks] = await Promise.all([api.getSeries(day), api.getLatestStocks(day)]);
    const movers = topMovers(stocks, MOVERS_SHOWN);
    const latest = series.length ? await api.getLatestSnapshot(series.at(-1)!.tradeDate) : null;
    return { series, stocks, movers, latest, day: latest?.tradeDate ?? day ?? null };
  }, [api]);

  // Stocks and movers after a snapshot: at most one fetch in flight, one queued.
  const refresh = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const refreshStocks = useCallback(async () => {
    if (refresh.current.running) {
      refresh.current.again = true;
      return;
    }
    refresh.current.running = true;
    try {
      do {
        refresh.current.again = false;
        const day = view.current.day ?? undefined;
        // Movers come from the same stock table: one fetch, not two reads of the board.
        const stocks = await api.getLatestStocks(day);
        if (view.current.live) patch({ stocks, movers: topMovers(stocks, MOVERS_SHOWN) });
      } while (refresh.current.again);
    } finally {
      refresh.current.running = false;
    }
  }, [api, patch]);

  useEffect(() => {
    let cancelled = false;
    // Everything on screen, read afresh: on start, and after a lost connection (snapshots pushed
    // during the gap were missed, but they are in the database).
    const load = async () => {
      const arrived: Snapshot[] = [];
      arrivedDuringLoad.current = arrived;
      try {
        const { day, live } = view.current;
        const [status, settings, days, runs, loaded] = await Promise.all([
          api.getStatus(), api.getSettings(), api.getDays(), api.getRuns(100), loadDay(live ? undefined : day ?? undefined),
        ]);
        if (cancelled) return;
        metrics.dataLoadedMs = performance.now();
        metrics.seriesPoints = loaded.series.length;
        const last = loaded.series.at(-1);
        const newer = live ? arrived.filter((s) => (!last || (s.tradeDate === last.tradeDate && s.pollTime > last.pollTime))) : [];
        if (newer.length) {
          loaded.series = [...loaded.series, ...newer];
          loaded.latest = newer.at(-1)!;
          loaded.day = loaded.latest.tradeDate;
        }
        view.current = { day: loaded.day, live };
        setState((s) => ({ ...s, status, settings, days, runs, ...loaded, live, connected: true, reconnecting: false }));
      } finally {
        if (arrivedDuringLoad.current === arrived) arrivedDuringLoad.current = null;
      }
    };
    void load().catch((error: Error) => patch({ callError: error.message }));

    const offs = [
      api.on('status', (status) => patch({ status })),
      api.on('snapshot', (snapshot) => {
        arrivedDuringLoad.current?.push(snapshot);
        if (!view.current.live) return;
        metrics.pendingSnapshotAt = performance.now();
        const sameDay = view.current.day === snapshot.tradeDate;
        view.current.day = snapshot.tradeDate;
        setState((s) => ({
          ...s,
          day: snapshot.tradeDate,
          latest: snapshot,
          series: sameDay ? [...s.series, snapshot] : [snapshot],
        }));
        void refreshStocks();
        if (!sameDay) void api.getDays().then((days) => patch({ days }));
      }),
      api.on('runFinished', () => {
        void api.getRuns(100).then((runs) => patch({ runs }));
      }),
    ];
    const offConnection = api.onConnection?.((connection, { reconnected }) => {
      if (connection === 'reconnecting') patch({ connected: false, reconnecting: true });
      if (connection === 'open' && reconnected) void load().catch((error: Error) => patch({ callError: error.message }));
    });
    return () => {
      cancelled = true;
      offConnection?.();
      for (const off of offs) off();
    };
  }, [api, loadDay, patch, refreshStocks]);

  const actions = useMemo(() => ({
    start: () => guard(api.start()).then((status) => status && patch({ status })),
    stop: () => guard(api.stop()).then((status) => status && patch({ status })),
    setInterval: (seconds: number) => guard(api.setInterval(seconds)).then((status) => status && patch({ status })),
    processNow: () => guard(api.processNow()),
    openDay: async (day: string | null) => {
      const days = await api.getDays();
      const liveDay = days[0]?.tradeDate ?? null;
      const live = day === null || day === liveDay;
      view.current = { day: live ? liveDay : day, live };
      const loaded = await loadDay(live ? undefined : day!);
      patch({ ...loaded, days, live });
    },
    updateSettings: async (changes: Partial<Settings>) => {
      const settings = await api.updateSettings(changes);
      patch({ settings, status: await api.getStatus() });
      return settings;
    },
    importHolidays: async (fileName: string, content: string) => {
      const settings = await api.importHolidays(fileName, content);
      patch({ settings });
      return settings;
    },
    chooseDataFolder: () => api.chooseDataFolder(),
    runRejections: (runId: number) => api.getRunRejections(runId),
  }), [api, guard, loadDay, patch]);

  return { state, actions };
}

export type DashboardActions = ReturnType<typeof useDashboard>['actions'];
