import type { DaySummary } from '../../../shared/api';

export function DayPicker({ days, day, live, today, onPick }: { days: DaySummary[]; day: string | null; live: boolean; today: string | null; onPick: (day: string | null) => void }) {
  const liveDay = days[0]?.tradeDate ?? null;
  // The latest day with data is only "live" when it is the exchange's trade date today.
  const latestLabel = liveDay === today ? 'live' : 'latest';
  return (
    <label className="day-picker">
      Trading day
      <select
        data-testid="day-picker"
        value={live ? '' : (day ?? '')}
        onChange={(e) => onPick(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">{liveDay ? `${liveDay} (${latestLabel})` : 'Live'}</option>
        {days.slice(1).map((d) => (
          <option key={d.tradeDate} value={d.tradeDate}>
            {d.tradeDate} · {d.snapshots} snapshots
          </option>
        ))}
      </select>
    </label>
  );
}
