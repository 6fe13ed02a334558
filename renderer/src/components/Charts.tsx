import { memo, useMemo, useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, Area, AreaChart } from 'recharts';
import type { SeriesPoint } from '../../../shared/domain';
import type { ExchangeProfile } from '../../../shared/market-calendar';
import { chartPointsOf, type ChartPoint, type ChartPoints } from '../charts/chart-points';
import { downsampleMinMax } from '../charts/downsample';
import { formatExchangeTime, sessionDomain, sessionTicks } from '../charts/session-axis';
import { num } from '../format';

/** Enough points for any screen width; the day's highs and lows are always kept. */
const DISPLAY_POINTS = 600;
const CHART_MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };

function ChartFrame({ title, testId, empty, children }: { title: string; testId: string; empty: boolean; children: React.ReactElement }) {
  return (
    <section className="panel chart" data-testid={testId} aria-label={title}>
      <h2>{title}</h2>
      {empty ? (
        <div className="empty" data-testid={`${testId}-empty`}>Waiting for the first snapshot of the session…</div>
      ) : (
        <div className="chart-body">
          <ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer>
        </div>
      )}
    </section>
  );
}

/**
 * The day's chart points, built once per new series (once per snapshot), and extended by one
 * point per pushed snapshot instead of re-reading the whole day (22,500 points at a 1-second
 * interval) every second.
 */
function useChartPoints(series: SeriesPoint[]): readonly ChartPoint[] {
  const built = useRef<ChartPoints | undefined>(undefined);
  return useMemo(() => (built.current = chartPointsOf(series, built.current)).points, [series]);
}

export const Charts = memo(function Charts({ series, tradeDate, profile }: { series: SeriesPoint[]; tradeDate: string | null; profile: ExchangeProfile | null }) {
  const points = useChartPoints(series);
  const shown = useMemo(
    () => downsampleMinMax(points, DISPLAY_POINTS, ['advances', 'declines', 'adRatio', 'adLine']),
    [points],
  );
  const zone = profile?.zone ?? 'Asia/Kolkata';
  const domain = useMemo<[number, number]>(() => {
    const date = tradeDate ?? series.at(-1)?.tradeDate;
    if (!profile || !date) return [0, 1];
    const [open, close] = sessionDomain(date, profile);
    const first = points[0]?.t ?? open;
    const last = points.at(-1)?.t ?? close;
    if (close - open > 12 * 3_600_000) {
      // A round-the-clock profile (the demo): a whole-day axis would squash the series, so
      // follow the data, at least half an hour wide.
      return [first, Math.max(last, first + 30 * 60_000)];
    }
    // Points outside the session (a late cycle, process now after hours) widen the axis.
    return [Math.min(open, first), Math.max(close, last)];
  }, [profile, tradeDate, series, points]);
  const ticks = useMemo(() => sessionTicks(domain, zone), [domain, zone]);
  const empty = shown.length === 0;

  const xAxis = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={domain}
      ticks={ticks}
      tickFormatter={(t: number) => formatExchangeTime(t, zone)}
      stroke="var(--muted)"
      fontSize={11}
    />
  );
  const tooltip = (
    <Tooltip
      isAnimationActive={false}
      labelFormatter={(t) => `${formatExchangeTime(Number(t), zone, true)} (${zone})`}
      formatter={(value, name) => [typeof value === 'number' ? num(value, name === 'A/D ratio' ? 2 : 0) : '—', name]}
      contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' }}
    />
  );
  const grid = <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />;
  // Only the latest point gets a marker: where the market is now, visible from the first
  // snapshot. One ReferenceDot, not a `dot` callback, which recharts runs for every point.
  const last = shown.at(-1);
  const lastDot = (key: keyof ChartPoint, colour: string) => {
    const y = last?.[key];
    if (!last || y === null || y === undefined) return null;
    return (
      <ReferenceDot
        x={last.t}
        y={y}
        r={3.5}
        ifOverflow="extendDomain"
        shape={(props: { cx?: number; cy?: number }) => (
          <circle data-testid="last-point" cx={props.cx} cy={props.cy} r={3.5} fill={colour} stroke="var(--panel)" strokeWidth={1} />
        )}
      />
    );
  };
  const line = (key: keyof ChartPoint, name: string, colour: string) => (
    <Line type="linear" dataKey={key} name={name} stroke={colour} dot={false} activeDot={{ r: 4 }} strokeWidth={1.6} isAnimationActive={false} connectNulls={false} />
  );

  return (
    <div className="charts">
      <ChartFrame title="Advances vs declines" testId="chart-ad" empty={empty}>
        <LineChart data={shown} margin={CHART_MARGIN}>
          {grid}
          {xAxis}
          <YAxis stroke="var(--muted)" fontSize={11} width={44} allowDecimals={false} domain={[0, 'auto']} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {line('advances', 'Advances', 'var(--up)')}
          {line('declines', 'Declines', 'var(--down)')}
          {lastDot('advances', 'var(--up)')}
          {lastDot('declines', 'var(--down)')}
        </LineChart>
      </ChartFrame>
      <ChartFrame title="A/D ratio" testId="chart-ratio" empty={empty}>
        <LineChart data={shown} margin={CHART_MARGIN}>
          {grid}
          {xAxis}
          <YAxis
            stroke="var(--muted)"
            fontSize={11}
            width={44}
            domain={[(min: number) => Math.max(0, Math.floor(Math.min(min, 1) * 10 - 1) / 10), (max: number) => Math.ceil(Math.max(max, 1) * 10 + 1) / 10]}
            tickFormatter={(v: number) => v.toFixed(2)}
          />
          {tooltip}
          <ReferenceLine y={1} stroke="var(--muted)" strokeDasharray="4 4" label={{ value: '1.0', fill: 'var(--muted)', fontSize: 11, position: 'insideTopLeft' }} />
          {line('adRatio', 'A/D ratio', 'var(--accent)')}
          {lastDot('adRatio', 'var(--accent)')}
        </LineChart>
      </ChartFrame>
      <ChartFrame title="Cumulative net advances (A/D line, 1-min bars)" testId="chart-adline" empty={empty}>
        <AreaChart data={shown} margin={CHART_MARGIN}>
          {grid}
          {xAxis}
          <YAxis stroke="var(--muted)" fontSize={11} width={56} allowDecimals={false} />
          {tooltip}
          <ReferenceLine y={0} stroke="var(--muted)" />
          <Area type="linear" dataKey="adLine" name="A/D line" stroke="var(--accent-2)" fill="var(--accent-2)" fillOpacity={0.15} dot={false} isAnimationActive={false} />
          {lastDot('adLine', 'var(--accent-2)')}
        </AreaChart>
      </ChartFrame>
    </div>
  );
});
