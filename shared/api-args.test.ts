import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trimOmittedArgs } from './api-args';

test('trailing undefined arguments are dropped, so an omitted optional argument does not travel', () => {
  assert.deepEqual(trimOmittedArgs([undefined]), []);
  assert.deepEqual(trimOmittedArgs(['2025-01-02', undefined, undefined]), ['2025-01-02']);
  // What JSON would otherwise carry: [null], which a call with no arguments refuses.
  assert.equal(JSON.stringify(trimOmittedArgs([undefined])), '[]');
});

test('an undefined before a given argument stays as its placeholder; null and other falsy values stay', () => {
  assert.deepEqual(trimOmittedArgs([undefined, 5]), [undefined, 5]);
  assert.deepEqual(trimOmittedArgs([0, '', false, null]), [0, '', false, null]);
  assert.deepEqual(trimOmittedArgs([]), []);
});

test('the caller’s array is left as it was', () => {
  const args = ['2025-01-02', undefined];
  trimOmittedArgs(args);
  assert.deepEqual(args, ['2025-01-02', undefined]);
});
