// The simulated clock the bench and the tests run on: timers fire in time order as it moves, each
// seeing the clock at its own due time; a wall-clock jump fires nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedClock } from './simulated-clock';

const START = '2026-01-23T03:00:00.000Z';

describe('SimulatedClock', () => {
  it('fires timers in due order (ties in the order set), each at its own time, including ones set on the way', () => {
    const clock = new SimulatedClock(START);
    const fired: string[] = [];
    const at = () => clock.now().toISOString().slice(11, 23);
    clock.setTimeout(() => fired.push(`b ${at()}`), 200);
    clock.setTimeout(() => {
      fired.push(`a ${at()}`);
      clock.setTimeout(() => fired.push(`c ${at()}`), 50); // due at 150 ms, inside the window
    }, 100);
    clock.setTimeout(() => fired.push(`b2 ${at()}`), 200);
    clock.setTimeout(() => fired.push('late'), 301);
    clock.advance(300);
    assert.deepEqual(fired, ['a 03:00:00.100', 'c 03:00:00.150', 'b 03:00:00.200', 'b2 03:00:00.200']);
    assert.equal(clock.now().toISOString(), '2026-01-23T03:00:00.300Z');
    assert.deepEqual(clock.pendingTimers(), [1]);
  });

  it('a cleared timer never fires; time only moves forward', () => {
    const clock = new SimulatedClock(START);
    let fired = 0;
    const handle = clock.setTimeout(() => fired++, 10);
    clock.clearTimeout(handle);
    clock.advance(1_000);
    assert.equal(fired, 0);
    assert.throws(() => clock.advance(-1), /only moves forward/);
    assert.throws(() => new SimulatedClock('not a date'), /bad start time/);
  });

  it('set() jumps the wall clock (a sleep, a clock change) without firing or moving timers', () => {
    const clock = new SimulatedClock(START);
    let fired = 0;
    clock.setTimeout(() => fired++, 60_000);
    clock.set('2026-01-26T03:00:00.000Z'); // three days later
    assert.equal(fired, 0);
    assert.deepEqual(clock.pendingTimers(), [60_000], 'timers count elapsed time, not wall time');
    clock.advanceTo('2026-01-26T03:01:00.000Z');
    assert.equal(fired, 1);
  });
});
