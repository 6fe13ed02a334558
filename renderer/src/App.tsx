import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { tradeDateOf } from '../../shared/exchange-time';
import { connectApi, type DashboardApi } from './api/connect';
import { Charts } from './components/Charts';
import { ConnectionBanner } from './components/ConnectionBanner';
import { DayPicker } from './components/DayPicker';
import { HistoryView } from './components/HistoryView';
import { JobsPanel } from './components/JobsPanel';
import { Movers } from './components/Movers';
import { Runs } from './components/Runs';
import { SectorBreadth } from './components/SectorBreadth';
import { SettingsPanel } from './components/SettingsPanel';
import { StatusBar } from './components/StatusBar';
import { StockTable } from './components/StockTable';
import { Tiles } from './components/Tiles';
import { useDashboard } from './state/useDashboard';
import { useJobs } from './state/useJobs';
import { useView, VIEWS } from './state/useView';
import { afterPaint, metrics } from './metrics';

type Theme = 'dark' | 'light';

export function App({ api: given }: { api?: DashboardApi }) {
  const api = useMemo(() => given ?? connectApi(), [given]);
  const { state, actions } = useDashboard(api);
  const jobs = useJobs(api);
  const [view, setView] = useView();
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('theme') as Theme | null) ?? 'dark');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('theme', theme);
  }, [theme]);

  useEffect(() => {
    if (state.connected && metrics.firstRenderMs === null) afterPaint(() => (metrics.firstRenderMs = performance.now()));
  }, [state.connected]);
  useLayoutEffect(() => {
    const received = metrics.pendingSnapshotAt;
    if (received === null) return;
    metrics.pendingSnapshotAt = null;
    metrics.snapshotCommitMs.push(performance.now() - received);
    afterPaint(() => metrics.snapshotApplyMs.push(performance.now() - received));
  }, [state.latest]);

  const profile = state.settings?.exchange ?? null;
  const zone = profile?.zone ?? 'Asia/Kolkata';
  const today = state.status?.market.tradeDate ?? tradeDateOf(new Date(), zone);
  const activeJobs = jobs.state.jobs.filter((j) => j.state === 'running' || j.state === 'queued').length;
  return (
    <div className="app" data-ready={state.connected ? 'true' : 'false'} data-series-points={state.series.length} data-view={view}>
      <div className="topline">
        <h1>LiveBreadth</h1>
        <nav className="views" role="tablist" aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v.key} type="button" role="tab" aria-selected={view === v.key} className={view === v.key ? 'on' : ''} data-testid={`view-${v.key}`} onClick={() => setView(v.key)}>
              {v.label}
              {v.key === 'jobs' && activeJobs > 0 && <span className="count-badge" data-testid="jobs-active">{activeJobs}</span>}
            </button>
          ))}
        </nav>
        {view === 'live' && <DayPicker days={state.days} day={state.day} live={state.live} today={state.status?.market.tradeDate ?? null} onPick={(d) => void actions.openDay(d)} />}
        {view === 'live' && !state.live && <span className="past-day" data-testid="past-day">Viewing {state.day} — not live</span>}
        <button type="button" className="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Switch theme">
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
      </div>
      <ConnectionBanner reconnecting={state.reconnecting} />
      <StatusBar status={state.status} staleAfter={state.settings?.staleAfterSeconds ?? 60} actions={actions} callError={state.callError} />
      {view === 'history' && (
        <main>
          <HistoryView api={api} today={today} zone={zone} jobs={jobs.state.jobs} jobActions={jobs.actions} onShowJobs={() => setView('jobs')} />
        </main>
      )}
      {view === 'jobs' && (
        <main>
          <JobsPanel jobs={jobs.state.jobs} stats={jobs.state.stats} zone={zone} actions={jobs.actions} error={jobs.state.error} />
        </main>
      )}
      {view === 'live' && <main>
        <Tiles latest={state.latest} first={state.series[0]} />
        <Charts series={state.series} tradeDate={state.day} profile={profile} />
        <div className="columns">
          <Movers movers={state.movers} />
          <SectorBreadth stocks={state.stocks} />
        </div>
        <StockTable stocks={state.stocks} />
        <Runs runs={state.runs} zone={zone} loadRejections={actions.runRejections} />
        <SettingsPanel settings={state.settings} shell={api.shell} actions={actions} />
      </main>}
    </div>
  );
}
