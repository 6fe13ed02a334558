// Simulated time: wall time that moves only when told, and timers that fire in time order as
// it moves, so days of scheduling run in milliseconds. The bench uses it to count the
// scheduler's wake-ups over an off-market weekend; tests use it to put the core at any hour.
// Like the real thing, timers count elapsed time, not wall time: `set()` jumps the wall clock
// (a sleep, a clock change) without firing or moving any timer.
import type { Clock } from './clock';

interface SimulatedTimer {
  id: number;
  /** When it is due, in elapsed (monotonic) milliseconds. */
  dueAt: number;
  fn: () => void;
}

export class SimulatedClock implements Clock {
  private wallOffsetMs: number;
  private elapsedMs = 0;
  private nextId = 1;
  private timers: SimulatedTimer[] = [];

  constructor(start: Date | string | number) {
    const ms = new Date(start).getTime();
    if (Number.isNaN(ms)) throw new Error(`SimulatedClock: bad start time ${String(start)}`);
    this.wallOffsetMs = ms;
  }

  now(): Date {
    return new Date(this.wallOffsetMs + this.elapsedMs);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.timers.push({ id, dueAt: this.elapsedMs + delay, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in time order (ties
   * in the order they were set), each with the clock at its due time. Timers set by a callback
   * that fall due within the window fire too.
   */
  advance(ms: number): void {
    if (ms < 0) throw new Error('SimulatedClock.advance: time only moves forward; use set() to jump back');
    const target = this.elapsedMs + ms;
    for (;;) {
      const due = this.nextDue(target);
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.elapsedMs = Math.max(this.elapsedMs, due.dueAt);
      due.fn();
    }
    this.elapsedMs = target;
  }

  /** advance() up to a wall-clock time. */
  advanceTo(date: Date | string | number): void {
    this.advance(new Date(date).getTime() - this.now().getTime());
  }

  /** Jumps the wall clock to `date` without firing timers: a sleep/resume or a clock change. */
  set(date: Date | string | number): void {
    this.wallOffsetMs = new Date(date).getTime() - this.elapsedMs;
  }

  /** The delays until each pending timer fires, soonest first. */
  pendingTimers(): number[] {
    return this.timers.map((timer) => timer.dueAt - this.elapsedMs).sort((a, b) => a - b);
  }

  private nextDue(limit: number): SimulatedTimer | undefined {
    let best: SimulatedTimer | undefined;
    for (const timer of this.timers) {
      if (timer.dueAt <= limit && (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id))) {
        best = timer;
      }
    }
    return best;
  }
}
