import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HistoryDay } from '../../../shared/history/indicators';
import { dateLabel, dateTicks } from '../charts/history-points';
import { num } from '../format';

const MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };
type Key = keyof HistoryDay;

interface Series {
  key: Key;
  name: string;
  colour: string;
  dashed?: boolean;
}

interface ChartSpec {
  testId: string;
  title: string;
  series: Series[];
  digits: number;
  zeroLine?: boolean;
  domain?: [number, number];
  wide?: boolean;
}

const CHARTS: ChartSpec[] = [
  { testId: 'history-adline', title: 'Advance–decline line', series: [{ key: 'adLine', name: 'A/D line', colour: 'var(--accent-2)' }], digits: 0, zeroLine: true, wide: true },
  {
    testId: 'history-mcclellan', title: 'McClellan oscillator', digits: 1, zeroLine: true,
    series: [{ key: 'mcclellanOscillator', name: 'Oscillator', colour: 'var(--accent)' }, { key: 'mcclellanRatioAdjusted', name: 'Ratio-adjusted', colour: 'var(--muted)', dashed: true }],
  },
  {
    testId: 'history-summation', title: 'McClellan summation index', digits: 0, zeroLine: true,
    series: [{ key: 'summationIndex', name: 'Summation index', colour: 'var(--accent)' }, { key: 'summationRatioAdjusted', name: 'Ratio-adjusted', colour: 'var(--muted)', dashed: true }],
  },
  {
    testId: 'history-above', title: 'Stocks above their moving averages', digits: 1, domain: [0, 100],
    series: [{ key: 'pctAbove50', name: '% above 50-day', colour: 'var(--up)' }, { key: 'pctAbove200', name: '% above 200-day', colour: 'var(--accent-2)' }],
  },
  {
    testId: 'history-highs-lows', title: 'New 52-week highs and lows', digits: 0,
    series: [{ key: 'newHighs', name: 'New highs', colour: 'var(--up)' }, { key: 'newLows', name: 'New lows', colour: 'var(--down)' }],
  },
];

/** Points of a series that exist: % above the 200-day average has none in the first 199 sessions. */
function count(days: readonly HistoryDay[], key: Key): number {
  let n = 0;
  for (const d of days) if (typeof d[key] === 'number') n++;
  return n;
}

function HistoryChart({ spec, days, axis }: { spec: ChartSpec; days: HistoryDay[]; axis: ReturnType<typeof dateTicks> }) {
  const last = days.at(-1);
  const provisional = last?.provisional ? last : null;
  const points = spec.series.reduce((n, s) => n + count(days, s.key), 0);
  return (
    <section className={`panel chart${spec.wide ? ' wide' : ''}`} data-testid={spec.testId} data-points={points} aria-label={spec.title}>
      <h2>{spec.title}</h2>
      {points === 0 ? (
        <div className="empty" data-testid={`${spec.testId}-empty`}>
          {days.length === 0 ? 'No history yet: import some.' : 'Not enough sessions yet for this figure.'}
        </div>
      ) : (
        <div className="chart-body">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={days} margin={MARGIN}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis dataKey="tradeDate" stroke="var(--muted)" fontSize={11} ticks={axis.ticks} interval={0} tickFormatter={axis.label} />
              <YAxis stroke="var(--muted)" fontSize={11} width={56} domain={spec.domain ?? ['auto', 'auto']} allowDecimals={spec.digits > 0} tickFormatter={(v: number) => num(v, 0)} />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={(d) => {
                  const day = days.find((x) => x.tradeDate === d);
                  return `${dateLabel(String(d))}${day?.provisional ? ' (today, provisional)' : ''}`;
                }}
                formatter={(value, name) => [typeof value === 'number' ? num(value, spec.digits) : '—', name]}
                contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
              />
              {spec.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={(item) => spec.series.findIndex((s) => s.key === item.dataKey)} />}
              {spec.zeroLine && <ReferenceLine y={0} stroke="var(--muted)" />}
              {spec.series.map((s) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.name}
                  stroke={s.colour}
                  strokeDasharray={s.dashed ? '4 3' : undefined}
                  dot={false}
                  activeDot={{ r: 4 }}
                  strokeWidth={1.6}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
              {/* Today, from the latest snapshot: a hollow marker, until the day's bhavcopy makes it final. */}
              {provisional && spec.series.map((s) => {
                const y = provisional[s.key];
                if (typeof y !== 'number') return null;
                return (
                  <ReferenceDot
                    key={`live-${s.key}`}
                    x={provisional.tradeDate}
                    y={y}
                    r={4}
                    ifOverflow="extendDomain"
                    shape={(props: { cx?: number; cy?: number }) => (
                      <circle data-testid="provisional-point" cx={props.cx} cy={props.cy} r={4} fill="var(--panel)" stroke={s.colour} strokeWidth={2} />
                    )}
                  />
                );
              })}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}

export const HistoryCharts = memo(function HistoryCharts({ days }: { days: HistoryDay[] }) {
  const axis = useMemo(() => dateTicks(days), [days]);
  return (
    <div className="history-charts">
      {CHARTS.map((spec) => <HistoryChart key={spec.testId} spec={spec} days={days} axis={axis} />)}
    </div>
  );
});
