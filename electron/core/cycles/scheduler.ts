// The market-hours scheduler: in auto mode, a cycle every interval while the market is open, one
// at once when Live changes during the session, and one final cycle right after each close.
// Off-market it sleeps towards the next open in steps of at most a minute, re-reading the wall
// clock at each wake, so a sleep/resume or a clock change can never make it miss an open.
// Time comes from an injected Clock (tests and the bench use SimulatedClock); no Electron here.
import { marketState, type ExchangeProfile, type MarketState } from '../../../shared/market-calendar';
import type { Clock } from '../clock/clock';

export type CycleTrigger = 'schedule' | 'watcher' | 'close';

export interface SchedulerOptions {
  clock: Clock;
  /** Read afresh at every plan: settings can change. */
  profile: () => ExchangeProfile;
  /** Read afresh at every plan; call replan() after changing it. At least 1 s is used. */
  intervalMs: () => number;
  /** Fire-and-forget; the caller queues/coalesces cycles. */
  runCycle: (trigger: CycleTrigger) => void;
  /** After every plan: what the scheduler will do next (for the status bar). */
  onPlan?: (plan: SchedulerPlan) => void;
  /**
   * The calendar could not be computed (e.g. an unknown zone); it tries again within a minute.
   * Once per cause: not again for the same message until a plan has worked.
   */
  onError?: (error: Error) => void;
}

export interface SchedulerPlan {
  /** Auto mode on. */
  running: boolean;
  market: MarketState;
  /**
   * The next cycle it will run by itself: the next 'schedule' cycle while open (or the session's
   * close, when that comes first), the next open while closed; null when stopped.
   */
  nextCycleAt: Date | null;
  /** When its timer fires next (at most a minute ahead); null when stopped. */
  wakeAt: Date | null;
}

/** No timer is ever longer: each wake re-plans from the wall clock. */
export const MAX_TIMER_MS = 60_000;
/** The shortest interval honoured, whatever intervalMs() says. */
export const MIN_INTERVAL_MS = 1_000;

export class Scheduler {
  private active = false;
  private timer: unknown = null;
  /** The session the previous plan saw open (its close and trade date); null if it saw none. */
  private session: { close: Date; tradeDate: string } | null = null;
  /** When the last 'schedule' or 'watcher' cycle of the current session started (ms). */
  private lastCycleAt: number | null = null;
  /** The planning failure last reported; null once a plan works. */
  private failure: string | null = null;

  constructor(private readonly options: SchedulerOptions) {}

  get running(): boolean {
    return this.active;
  }

  /** Auto mode on. If the market is open, the first cycle runs at once. */
  start(): void {
    if (this.active) {
      this.plan();
      return;
    }
    this.active = true;
    this.session = null;
    this.lastCycleAt = null;
    this.plan();
  }

  /** Auto mode off: no more cycles, no timers (and no close cycle for the current session). */
  stop(): void {
    this.active = false;
    this.session = null;
    this.lastCycleAt = null;
    this.plan();
  }

  /** After sleep/resume, a clock jump or a settings change (interval, exchange): plan again from the clock. */
  replan(): void {
    this.plan();
  }

  /**
   * Live (or Historical) changed. During the session in auto mode: a 'watcher' cycle at once, and
   * the next 'schedule' cycle a full interval from now. Otherwise nothing.
   */
  fileChanged(): void {
    if (!this.active) return;
    const now = this.options.clock.now();
    let market: MarketState;
    try {
      market = marketState(now, this.options.profile());
    } catch {
      return; // the timer's plan reports it
    }
    if (market.phase !== 'open' || !market.currentClose) return;
    this.session = { close: market.currentClose, tradeDate: market.tradeDate };
    this.lastCycleAt = now.getTime();
    this.plan();
    this.options.runCycle('watcher');
  }

  private clearTimer(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(now: number, wakeAt: number): Date {
    const delay = Math.max(0, Math.min(wakeAt - now, MAX_TIMER_MS));
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.plan();
    }, delay);
    return new Date(now + delay);
  }

  private intervalMs(): number {
    const ms = this.options.intervalMs();
    return Number.isFinite(ms) ? Math.max(ms, MIN_INTERVAL_MS) : MIN_INTERVAL_MS;
  }

  /**
   * Decides from the wall clock what is due now and when to wake next. The timer is set and
   * onPlan told before any cycle is requested, so a runCycle that calls stop() or replan()
   * synchronously sees a consistent scheduler.
   */
  private plan(): void {
    this.clearTimer();
    const now = this.options.clock.now();
    const t = now.getTime();
    let market: MarketState;
    let profile: ExchangeProfile;
    try {
      profile = this.options.profile();
      market = marketState(now, profile);
    } catch (error) {
      if (this.active) this.arm(t, t + MAX_TIMER_MS);
      if ((error as Error).message !== this.failure) {
        this.failure = (error as Error).message;
        this.options.onError?.(error as Error);
      }
      return;
    }
    this.failure = null;
    if (!this.active) {
      this.options.onPlan?.({ running: false, market, nextCycleAt: null, wakeAt: null });
      return;
    }

    const cycles: CycleTrigger[] = [];
    let nextCycleAt: Date | null;
    let wake: number;
    const seen = this.session;
    const close = market.phase === 'open' ? market.currentClose : null;

    if (close) {
      if (!seen || seen.close.getTime() !== close.getTime()) {
        // A session began (or auto mode just started in one): its first cycle runs at once.
        this.session = { close, tradeDate: market.tradeDate };
        this.lastCycleAt = null;
      }
      const interval = this.intervalMs();
      // A clock that jumped back must not push the next cycle further than one interval away.
      let due = this.lastCycleAt === null ? t : Math.min(this.lastCycleAt + interval, t + interval);
      if (due <= t) {
        cycles.push('schedule');
        this.lastCycleAt = t;
        due = t + interval;
      }
      nextCycleAt = new Date(Math.min(due, close.getTime()));
      wake = Math.min(due, close.getTime());
    } else {
      if (seen && this.closeCycleDue(seen, market, profile, now)) cycles.push('close');
      this.session = null;
      this.lastCycleAt = null;
      nextCycleAt = market.nextOpen;
      wake = market.nextOpen?.getTime() ?? Infinity;
    }

    const wakeAt = this.arm(t, wake);
    this.options.onPlan?.({ running: true, market, nextCycleAt, wakeAt });
    for (const trigger of cycles) this.options.runCycle(trigger);
  }

  /**
   * The session seen open at the previous plan is over: its final cycle runs now, unless the
   * exchange date has changed since (the computer slept through the night) or another session
   * has opened since its close (that session's cycles have the newer prices).
   */
  private closeCycleDue(seen: { close: Date; tradeDate: string }, market: MarketState, profile: ExchangeProfile, now: Date): boolean {
    if (market.tradeDate !== seen.tradeDate) return false;
    const afterClose = marketState(seen.close, profile);
    if (afterClose.phase === 'open') return false;
    return afterClose.nextOpen === null || afterClose.nextOpen.getTime() > now.getTime();
  }
}
