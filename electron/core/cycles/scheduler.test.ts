// The scheduler against a simulated clock: whole trading days pass in milliseconds. The computer's
// zone is set far from IST on purpose; the exchange's calendar must not depend on it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { NSE_PROFILE, type ExchangeProfile } from '../../../shared/market-calendar';
import { SimulatedClock } from '../clock/simulated-clock';
import { MAX_TIMER_MS, Scheduler, type CycleTrigger, type SchedulerPlan } from './scheduler';

// January 2026: Fri 23, Sat 24, Sun 25, Mon 26 (Republic Day, a holiday), Tue 27 … Fri 30,
// Sat 31 (a special session 11:00–12:00).
const PROFILE: ExchangeProfile = {
  ...NSE_PROFILE,
  holidays: ['2026-01-26'],
  extraSessions: [{ date: '2026-01-31', open: '11:00', close: '12:00', label: 'Special session' }],
};

const MINUTE = 60_000;
const ist = (date: string, time: string) => new Date(`${date}T${time}+05:30`);
const istText = (d: Date) => DateTime.fromJSDate(d, { zone: 'Asia/Kolkata' }).toFormat('yyyy-MM-dd HH:mm:ss');

interface Harness {
  clock: SimulatedClock;
  scheduler: Scheduler;
  /** Every cycle requested, with the IST wall time it was requested at. */
  cycles: Array<{ trigger: CycleTrigger; at: string }>;
  /** Every timer set, with the IST time it was set at and its delay. */
  timers: Array<{ at: string; ms: number }>;
  plans: SchedulerPlan[];
  /** Every planning failure reported. */
  errors: string[];
  setIntervalMs(ms: number): void;
  setProfile(profile: ExchangeProfile): void;
  triggers(): string[];
}

function harness(start: Date, intervalMs = MINUTE, profile = PROFILE): Harness {
  const clock = new SimulatedClock(start);
  const cycles: Harness['cycles'] = [];
  const timers: Harness['timers'] = [];
  const plans: SchedulerPlan[] = [];
  const errors: string[] = [];
  const setTimer = clock.setTimeout.bind(clock);
  clock.setTimeout = (fn, ms) => {
    timers.push({ at: istText(clock.now()), ms });
    return setTimer(fn, ms);
  };
  let interval = intervalMs;
  let current = profile;
  const scheduler = new Scheduler({
    clock,
    profile: () => current,
    intervalMs: () => interval,
    runCycle: (trigger) => cycles.push({ trigger, at: istText(clock.now()) }),
    onPlan: (plan) => plans.push(plan),
    onError: (error) => errors.push(error.message),
  });
  return {
    clock, scheduler, cycles, timers, plans, errors,
    setIntervalMs: (ms) => { interval = ms; },
    setProfile: (p) => { current = p; },
    triggers: () => cycles.map((c) => `${c.trigger} ${c.at}`),
  };
}

describe('Scheduler', () => {
  const originalTz = process.env.TZ;
  before(() => {
    process.env.TZ = 'America/Los_Angeles'; // 13½ hours behind IST: a different date half the day
  });
  after(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('from 08:00 IST: sleeps in steps of at most a minute, first cycle at 09:15:00 exactly', () => {
    const h = harness(ist('2026-01-23', '08:00:00'), 5 * MINUTE);
    h.scheduler.start();
    assert.equal(h.scheduler.running, true);
    assert.deepEqual(h.cycles, []);
    const first = h.plans[0]!;
    assert.equal(first.market.phase, 'closed');
    assert.equal(istText(first.nextCycleAt!), '2026-01-23 09:15:00');
    assert.equal(istText(first.wakeAt!), '2026-01-23 08:01:00');

    h.clock.advanceTo(ist('2026-01-23', '09:14:59.999'));
    assert.deepEqual(h.cycles, []);
    assert.ok(h.timers.every((t) => t.ms <= MAX_TIMER_MS), 'no timer longer than a minute');
    assert.ok(h.timers.every((t) => t.ms === MAX_TIMER_MS), 'off-market: one wake a minute, landing on the open');
    h.clock.advance(1);
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 09:15:00']);
  });

  it('a cycle every interval in the session, exactly one close cycle at 15:30, none after', () => {
    const h = harness(ist('2026-01-23', '08:00:00'), 5 * MINUTE);
    h.scheduler.start();
    h.clock.advanceTo(ist('2026-01-23', '23:59:00'));
    const schedule = h.cycles.filter((c) => c.trigger === 'schedule').map((c) => c.at.slice(11));
    assert.equal(schedule.length, 75); // 09:15, 09:20 … 15:25
    assert.equal(schedule[0], '09:15:00');
    assert.equal(schedule.at(-1), '15:25:00');
    const ms = schedule.map((s) => DateTime.fromFormat(s, 'HH:mm:ss').toMillis());
    assert.ok(ms.every((m, i) => i === 0 || m - ms[i - 1]! === 5 * MINUTE), 'evenly spaced by the interval');
    assert.deepEqual(h.cycles.filter((c) => c.trigger !== 'schedule'), [{ trigger: 'close', at: '2026-01-23 15:30:00' }]);
    assert.equal(h.cycles.at(-1)!.trigger, 'close');

    // Off-market the timer fires once a minute: no busier.
    const afterClose = h.timers.filter((t) => t.at > '2026-01-23 15:30:00');
    assert.ok(afterClose.length > 0);
    assert.ok(afterClose.every((t) => t.ms === MAX_TIMER_MS));
  });

  it('nothing on a weekend or holiday; the extra Saturday session trades', () => {
    const h = harness(ist('2026-01-23', '16:00:00'), 15 * MINUTE);
    h.scheduler.start();
    h.clock.advanceTo(ist('2026-01-27', '09:14:59'));
    assert.equal(h.cycles.length, 0, 'Saturday, Sunday and Monday the 26th (holiday): no cycles');
    assert.equal(h.plans.at(-1)!.market.phase, 'closed');
    assert.ok(h.plans.some((p) => p.market.phase === 'weekend'));
    assert.ok(h.plans.some((p) => p.market.phase === 'holiday'));

    h.clock.advanceTo(ist('2026-02-02', '09:00:00'));
    const byDate = new Map<string, string[]>();
    for (const c of h.cycles) byDate.set(c.at.slice(0, 10), [...(byDate.get(c.at.slice(0, 10)) ?? []), `${c.trigger} ${c.at.slice(11)}`]);
    assert.deepEqual([...byDate.keys()], ['2026-01-27', '2026-01-28', '2026-01-29', '2026-01-30', '2026-01-31']);
    for (const date of ['2026-01-27', '2026-01-28', '2026-01-29', '2026-01-30']) {
      const day = byDate.get(date)!;
      assert.equal(day.length, 26, date); // 25 schedule cycles 09:15 … 15:15, then the close
      assert.equal(day[0], 'schedule 09:15:00');
      assert.equal(day.at(-1), 'close 15:30:00');
    }
    assert.deepEqual(byDate.get('2026-01-31'), ['schedule 11:00:00', 'schedule 11:15:00', 'schedule 11:30:00', 'schedule 11:45:00', 'close 12:00:00']);
  });

  it('a file change in the session runs a watcher cycle at once and postpones the next schedule cycle', () => {
    const h = harness(ist('2026-01-23', '10:00:00'), MINUTE);
    h.scheduler.start();
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 10:00:00'], 'started in the session: a cycle at once');
    h.clock.advance(20_000);
    h.scheduler.fileChanged();
    assert.deepEqual(h.triggers().slice(1), ['watcher 2026-01-23 10:00:20']);
    assert.equal(istText(h.plans.at(-1)!.nextCycleAt!), '2026-01-23 10:01:20');
    h.clock.advanceTo(ist('2026-01-23', '10:01:19.999'));
    assert.equal(h.cycles.length, 2, 'no schedule cycle at 10:01:00');
    h.clock.advance(1);
    assert.deepEqual(h.triggers().slice(2), ['schedule 2026-01-23 10:01:20']);
    h.clock.advance(MINUTE);
    assert.deepEqual(h.triggers().slice(3), ['schedule 2026-01-23 10:02:20']);
  });

  it('a file change outside the session, or when stopped, does nothing', () => {
    const h = harness(ist('2026-01-23', '08:00:00'));
    h.scheduler.start();
    const timersBefore = h.clock.pendingTimers();
    h.scheduler.fileChanged();
    assert.deepEqual(h.cycles, []);
    assert.deepEqual(h.clock.pendingTimers(), timersBefore);
    for (const [date, time] of [['2026-01-23', '15:30:00'], ['2026-01-24', '11:00:00'], ['2026-01-26', '11:00:00']] as const) {
      h.clock.set(ist(date, time));
      h.scheduler.fileChanged();
    }
    assert.deepEqual(h.cycles, []);

    const stopped = harness(ist('2026-01-23', '10:00:00'));
    stopped.scheduler.fileChanged();
    assert.deepEqual(stopped.cycles, []);
    assert.deepEqual(stopped.clock.pendingTimers(), []);
  });

  it('stop() ends cycles and timers, with no close cycle; start() again runs at once', () => {
    const h = harness(ist('2026-01-23', '10:00:00'));
    h.scheduler.start();
    h.clock.advance(3 * MINUTE);
    assert.equal(h.cycles.length, 4);
    h.scheduler.stop();
    assert.equal(h.scheduler.running, false);
    assert.deepEqual(h.clock.pendingTimers(), []);
    assert.deepEqual(h.plans.at(-1), { running: false, market: h.plans.at(-1)!.market, nextCycleAt: null, wakeAt: null });
    h.clock.advanceTo(ist('2026-01-23', '16:00:00'));
    h.scheduler.replan(); // a settings change while stopped plans nothing
    assert.equal(h.cycles.length, 4);
    assert.deepEqual(h.clock.pendingTimers(), []);

    h.clock.set(ist('2026-01-27', '12:00:30'));
    h.scheduler.start();
    assert.deepEqual(h.triggers().slice(4), ['schedule 2026-01-27 12:00:30']);
  });

  it('replan() after the clock jumps into the session runs at once; without it the next wake catches up', () => {
    const h = harness(ist('2026-01-23', '08:00:00'));
    h.scheduler.start();
    h.clock.advance(10_000);
    h.clock.set(ist('2026-01-23', '11:00:00')); // the laptop slept until 11:00
    assert.deepEqual(h.cycles, []);
    h.scheduler.replan();
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 11:00:00']);
    h.clock.advance(MINUTE);
    assert.deepEqual(h.triggers().slice(1), ['schedule 2026-01-23 11:01:00']);

    // No resume event at all: the pending (≤ 1 min) timer re-reads the wall clock.
    const quiet = harness(ist('2026-01-23', '08:00:00'));
    quiet.scheduler.start();
    quiet.clock.advance(10_000);
    quiet.clock.set(ist('2026-01-23', '11:00:00'));
    quiet.clock.advance(50_000); // the 60-s timer set at 08:00:00 fires now
    assert.deepEqual(quiet.triggers(), ['schedule 2026-01-23 11:00:50']);
  });

  it('sleeping across the close: one close cycle on wake, the same day only', () => {
    const h = harness(ist('2026-01-23', '15:00:00'));
    h.scheduler.start();
    h.clock.set(ist('2026-01-23', '18:00:00'));
    h.scheduler.replan();
    h.scheduler.replan();
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 15:00:00', 'close 2026-01-23 18:00:00']);

    // Woken on another exchange date, the day's closing cycle would be filed under the wrong date.
    const overnight = harness(ist('2026-01-23', '15:00:00'));
    overnight.scheduler.start();
    overnight.clock.set(ist('2026-01-24', '08:00:00'));
    overnight.scheduler.replan();
    assert.deepEqual(overnight.triggers(), ['schedule 2026-01-23 15:00:00']);
  });

  it('an interval change takes effect at replan(), counted from the last cycle', () => {
    const h = harness(ist('2026-01-23', '10:00:00'), MINUTE);
    h.scheduler.start();
    h.clock.advance(30_000);
    h.setIntervalMs(20_000);
    h.scheduler.replan(); // 10:00:00 + 20 s has passed: at once
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 10:00:00', 'schedule 2026-01-23 10:00:30']);
    h.clock.advance(40_000);
    assert.deepEqual(h.triggers().slice(2), ['schedule 2026-01-23 10:00:50', 'schedule 2026-01-23 10:01:10']);

    h.clock.advance(5_000);
    h.setIntervalMs(5 * MINUTE);
    h.scheduler.replan(); // next at 10:01:10 + 5 min
    assert.equal(istText(h.plans.at(-1)!.nextCycleAt!), '2026-01-23 10:06:10');
    assert.ok(h.clock.pendingTimers().every((ms) => ms <= MAX_TIMER_MS));
    h.clock.advanceTo(ist('2026-01-23', '10:06:09'));
    assert.equal(h.cycles.length, 4);
    h.clock.advance(1_000);
    assert.deepEqual(h.triggers().slice(4), ['schedule 2026-01-23 10:06:10']);
  });

  it('the close comes on time even when the next interval would end later', () => {
    const h = harness(ist('2026-01-23', '15:29:30'), 5 * MINUTE);
    h.scheduler.start();
    assert.equal(istText(h.plans.at(-1)!.nextCycleAt!), '2026-01-23 15:30:00');
    h.clock.advanceTo(ist('2026-01-23', '15:45:00'));
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 15:29:30', 'close 2026-01-23 15:30:00']);
  });

  it('a profile change is read at the next plan', () => {
    const h = harness(ist('2026-01-23', '16:00:00'));
    h.scheduler.start();
    h.setProfile({ ...PROFILE, sessionClose: '17:00' });
    h.scheduler.replan();
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 16:00:00']);
    h.setProfile({ ...PROFILE, zone: 'Mars/Olympus' });
    h.clock.advance(MINUTE); // an impossible calendar: no cycle, no crash, tries again in a minute
    assert.equal(h.cycles.length, 1);
    assert.deepEqual(h.clock.pendingTimers(), [MAX_TIMER_MS]);
  });

  it('an impossible calendar is reported once while it lasts, tried again every minute; fixed, planning resumes', () => {
    const h = harness(ist('2026-01-23', '10:00:00'));
    h.setProfile({ ...PROFILE, zone: 'Mars/Olympus' });
    h.scheduler.start();
    h.clock.advance(5 * MINUTE);
    assert.deepEqual(h.errors, ['Unknown time zone "Mars/Olympus"'], 'once, not every minute');
    assert.deepEqual(h.cycles, []);
    assert.deepEqual(h.clock.pendingTimers(), [MAX_TIMER_MS]);
    h.setProfile(PROFILE);
    h.clock.advance(MINUTE);
    assert.deepEqual(h.triggers(), ['schedule 2026-01-23 10:06:00']);
    h.setProfile({ ...PROFILE, zone: 'Mars/Olympus' });
    h.scheduler.replan();
    assert.equal(h.errors.length, 2, 'broken again after a plan worked: said again');
  });

  it('cycles run after the timer is set, so runCycle may stop the scheduler', () => {
    const clock = new SimulatedClock(ist('2026-01-23', '10:00:00'));
    const seen: CycleTrigger[] = [];
    const scheduler: Scheduler = new Scheduler({
      clock, profile: () => PROFILE, intervalMs: () => MINUTE,
      runCycle: (trigger) => { seen.push(trigger); scheduler.stop(); },
    });
    scheduler.start();
    clock.advance(10 * MINUTE);
    assert.deepEqual(seen, ['schedule']);
    assert.deepEqual(clock.pendingTimers(), []);
  });
});
