import { useState } from 'react';
import { DateTime } from 'luxon';
import type { HistoryDay } from '../../../shared/history/indicators';
import type { JobRecord } from '../../../shared/jobs';
import { HISTORY_RANGES, dateLabel, type HistoryRangeKey } from '../charts/history-points';
import { num, pct, signed } from '../format';
import { defaultImportForm } from '../jobs/import-input';
import { HISTORY_IMPORT_KIND } from '../jobs/job-view';
import type { DashboardApi } from '../api/connect';
import { useHistory } from '../state/useHistory';
import type { JobsActions } from '../state/useJobs';
import { HistoryCharts } from './HistoryCharts';
import { ImportForm } from './ImportForm';
import { JobCard } from './JobCard';
import { useNow } from './useNow';

/**
 * The last point's figures at a glance. Today's provisional point has no per-symbol figures
 * (the host keeps no moving averages for intraday prices): the last final day's stand in, dated.
 */
function Latest({ days }: { days: HistoryDay[] }) {
  const day = days.at(-1);
  if (!day) return null;
  const lastFinal = day.provisional ? days.findLast((d) => !d.provisional) : undefined;
  const symbolFigure = (key: 'pctAbove50' | 'pctAbove200' | 'newHighs' | 'newLows') =>
    day[key] !== null || !lastFinal || lastFinal[key] === null ? { value: day[key], from: null } : { value: lastFinal[key], from: lastFinal.tradeDate };
  const above50 = symbolFigure('pctAbove50');
  const above200 = symbolFigure('pctAbove200');
  const highs = symbolFigure('newHighs');
  const lows = symbolFigure('newLows');
  const asOf = (from: string | null) => (from ? <span className="as-of"> ({DateTime.fromISO(from, { zone: 'UTC' }).toFormat('d LLL')})</span> : null);
  const facts: Array<[string, React.ReactNode]> = [
    ['A − D', signed(day.netAdvances)],
    ['A/D line', num(day.adLine)],
    ['McClellan', num(day.mcclellanOscillator, 1)],
    ['Summation', num(day.summationIndex)],
    ['> 50-day', <>{pct(above50.value, 1)}{asOf(above50.from)}</>],
    ['> 200-day', <>{pct(above200.value, 1)}{asOf(above200.from)}</>],
    ['Highs / lows', highs.value === null ? '—' : <>{num(highs.value)} / {num(lows.value)}{asOf(highs.from)}</>],
  ];
  return (
    <div className="history-latest" data-testid="history-latest">
      <span className="history-latest-day">
        {dateLabel(day.tradeDate)}
        {day.provisional && <span className="badge badge-provisional" title="From today's latest snapshot; final once the day's bhavcopy is imported">provisional</span>}
      </span>
      {facts.map(([label, value]) => (
        <span key={label} className="history-fact"><span className="label">{label}</span> {value}</span>
      ))}
    </div>
  );
}

export function HistoryView({ api, today, zone, jobs, jobActions, onShowJobs }: {
  api: DashboardApi;
  today: string;
  zone: string;
  jobs: JobRecord[];
  jobActions: JobsActions;
  onShowJobs: () => void;
}) {
  const [range, setRange] = useState<HistoryRangeKey>('1Y');
  const [formOpen, setFormOpen] = useState(false);
  const history = useHistory(api, range, today);
  const now = useNow(1000);
  const imports = jobs.filter((j) => j.kind === HISTORY_IMPORT_KIND && (j.state === 'queued' || j.state === 'running' || j.state === 'failed'));
  const finals = history.days.filter((d) => !d.provisional);
  const start = DateTime.fromISO(today, { zone: 'UTC' });

  return (
    <div className="history-view" data-testid="history-view" data-days={history.days.length}>
      <section className="panel history-head">
        <div className="panel-head">
          <h2>Daily breadth history</h2>
          <div className="range-picker" role="group" aria-label="Range">
            {HISTORY_RANGES.map((r) => (
              <button key={r.key} type="button" aria-pressed={range === r.key} className={range === r.key ? 'on' : ''} data-testid={`range-${r.key}`} onClick={() => setRange(r.key)}>
                {r.label}
              </button>
            ))}
          </div>
          <button type="button" className="primary" data-testid="import-open" onClick={() => setFormOpen(!formOpen)}>Import history…</button>
        </div>
        <p className="history-summary" data-testid="history-summary">
          {history.loading && history.days.length === 0
            ? 'Reading…'
            : finals.length === 0
              ? 'No imported sessions in this range.'
              : `${num(finals.length)} imported ${finals.length === 1 ? 'session' : 'sessions'}, ${dateLabel(finals[0]!.tradeDate)} to ${dateLabel(finals.at(-1)!.tradeDate)}.`}
          {history.days.at(-1)?.provisional && ' The last point is today, from the latest snapshot.'}
        </p>
        {history.error && <p className="field-error" role="alert">{history.error}</p>}
        <Latest days={history.days} />
      </section>
      {formOpen && (
        <ImportForm
          initial={defaultImportForm(start.minus({ days: 1 }).toISODate()!, start.minus({ years: 1 }).toISODate()!)}
          actions={jobActions}
          onStarted={() => setFormOpen(false)}
          onClose={() => setFormOpen(false)}
        />
      )}
      {imports.length > 0 && (
        <section className="panel history-imports" data-testid="history-imports" aria-label="Imports in progress">
          <div className="panel-head">
            <h2>Importing</h2>
            <button type="button" className="link" onClick={onShowJobs}>All jobs</button>
          </div>
          {imports.map((job) => <JobCard key={job.id} job={job} zone={zone} now={now} actions={jobActions} compact />)}
        </section>
      )}
      <HistoryCharts days={history.days} />
    </div>
  );
}
