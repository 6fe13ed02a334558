import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coalesce } from './coalesce';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (t: unknown) => {
      const i = timers.indexOf(t as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
    pending: () => timers.length,
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('coalesced re-reads', () => {
  it('runs at once, then at most once per gap however often it is asked, and never two at a time', async () => {
    const clock = manualClock();
    let runs = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let finish: (() => void) | null = null;
    const c = coalesce(() => {
      runs++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve) => (finish = () => { inFlight--; resolve(); }));
    }, 1000, clock);
    c.request();
    assert.equal(runs, 1, 'the first at once');
    for (let i = 0; i < 10; i++) c.request(); // progress events while it reads
    assert.equal(runs, 1);
    finish!();
    await settle();
    assert.equal(runs, 1, 'the queued one waits for the gap');
    clock.advance(999);
    assert.equal(runs, 1);
    clock.advance(1);
    assert.equal(runs, 2, 'one more for all ten asks');
    finish!();
    await settle();
    clock.advance(5000);
    assert.equal(runs, 2, 'nothing runs unless asked');
    assert.equal(maxInFlight, 1);
  });

  it('a read slower than the gap: the next waits for it to end, then runs at once', async () => {
    const clock = manualClock();
    let runs = 0;
    let finish: (() => void) | null = null;
    const c = coalesce(() => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    }, 100, clock);
    c.request();
    c.request();
    clock.advance(500);
    assert.equal(runs, 1, 'not two at a time');
    finish!();
    await settle();
    assert.equal(runs, 2);
  });

  it('a failed run does not stop later ones; cancel drops what is queued', async () => {
    const clock = manualClock();
    let runs = 0;
    const c = coalesce(async () => {
      runs++;
      throw new Error('the link dropped');
    }, 100, clock);
    c.request();
    await settle();
    c.request();
    clock.advance(100);
    assert.equal(runs, 2);
    await settle();
    c.request();
    c.cancel();
    clock.advance(1000);
    assert.equal(runs, 2);
    assert.equal(clock.pending(), 0);
  });
});
