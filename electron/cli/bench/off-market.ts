// Off-market, the app sleeps: the scheduler's timers over a simulated weekend (NSE, Friday's
// close to Monday's open), counted on a simulated clock. The stale-feed timer only runs in session.
import { NSE_PROFILE } from '../../../shared/market-calendar';
import { SimulatedClock } from '../../core/clock/simulated-clock';
import { Scheduler } from '../../core/cycles/scheduler';
import { round1 } from './stats';

export interface OffMarketFigures {
  simulatedHours: number;
  wakeUps: number;
  wakeUpsPerHour: number;
  shortestGapSeconds: number;
  cyclesRun: number;
}

export function benchOffMarket(): OffMarketFigures {
  const start = new Date('2026-11-20T10:05:00Z'); // Friday 15:35 IST, after the close
  const end = new Date('2026-11-23T03:44:00Z'); // Monday 09:14 IST, before the open
  const clock = new SimulatedClock(start);
  const fired: number[] = [];
  const counting = {
    now: () => clock.now(),
    setTimeout: (fn: () => void, ms: number) => clock.setTimeout(() => {
      fired.push(clock.now().getTime());
      fn();
    }, ms),
    clearTimeout: (h: unknown) => clock.clearTimeout(h),
  };
  let cyclesRun = 0;
  const scheduler = new Scheduler({ clock: counting, profile: () => NSE_PROFILE, intervalMs: () => 6000, runCycle: () => void cyclesRun++ });
  scheduler.start();
  clock.advanceTo(end);
  scheduler.stop();
  const gaps = fired.slice(1).map((t, i) => (t - fired[i]!) / 1000);
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  return { simulatedHours: round1(hours), wakeUps: fired.length, wakeUpsPerHour: round1(fired.length / hours), shortestGapSeconds: gaps.length ? Math.min(...gaps) : Number.POSITIVE_INFINITY, cyclesRun };
}
