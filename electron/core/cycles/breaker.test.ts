import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from './breaker';

describe('CircuitBreaker', () => {
  it('opens after 5 consecutive failures, half-opens after the pause for one trial, closes on success', () => {
    const b = new CircuitBreaker({ failureThreshold: 5, pauseMs: 60_000 });
    for (let i = 0; i < 4; i++) assert.equal(b.recordFailure(i), false);
    assert.equal(b.allows(10), true);
    assert.equal(b.recordFailure(1_000), true);
    assert.equal(b.state(1_000), 'open');
    assert.equal(b.allows(30_000), false);
    assert.equal(b.retryAt(30_000), 61_000);
    assert.equal(b.state(61_000), 'half-open');
    assert.equal(b.allows(61_000), true);
    assert.equal(b.allows(61_001), false, 'one trial at a time');
    b.recordSuccess();
    assert.equal(b.state(61_002), 'closed');
    assert.equal(b.consecutiveFailures, 0);
  });

  it('a failed trial waits a whole pause again', () => {
    const b = new CircuitBreaker({ failureThreshold: 2, pauseMs: 100 });
    b.recordFailure(0);
    b.recordFailure(0);
    assert.equal(b.allows(100), true);
    assert.equal(b.recordFailure(150), true);
    assert.equal(b.state(200), 'open');
    assert.equal(b.state(250), 'half-open');
  });

  it('a success before the threshold resets the count', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, pauseMs: 100 });
    b.recordFailure(0);
    b.recordFailure(0);
    b.recordSuccess();
    b.recordFailure(0);
    b.recordFailure(0);
    assert.equal(b.state(0), 'closed');
  });
});
