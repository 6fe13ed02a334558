import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, retryAfterMs } from './backoff';

describe('backoff', () => {
  it('doubles from the base up to the cap, keeping half the step plus a random share of the rest', () => {
    const at = (random: number) => [1, 2, 3, 4, 5, 6, 7].map((retry) => backoffMs(retry, () => random));
    assert.deepEqual(at(0), [500, 1000, 2000, 4000, 8000, 15000, 15000]);
    assert.deepEqual(at(1), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(backoffMs(2, () => 0.5, { baseMs: 100, capMs: 150 }), 113);
  });

  it('reads Retry-After as seconds or as an HTTP date, and nothing else', () => {
    const now = new Date('2024-08-01T10:00:00Z');
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Thu, 01 Aug 2024 10:00:12 GMT', now), 12_000);
    assert.equal(retryAfterMs('Thu, 01 Aug 2024 09:00:00 GMT', now), 0); // in the past: retry now
    for (const bad of [null, '', '1.5', '-3', 'soon', '2024-08-01']) assert.equal(retryAfterMs(bad, now), null, String(bad));
  });
});
