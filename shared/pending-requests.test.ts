import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingRequests } from './pending-requests';

test('each reply settles the request with its id, whatever order replies come in', async () => {
  const pending = new PendingRequests();
  const sent: number[] = [];
  const first = pending.open<string>((id) => sent.push(id));
  const second = pending.open<string>((id) => sent.push(id));
  assert.equal(new Set(sent).size, 2);
  pending.resolve(sent[1]!, 'second');
  pending.reject(sent[0]!, new Error('first failed'));
  assert.equal(await second, 'second');
  await assert.rejects(first, /first failed/);
  assert.equal(pending.size, 0);
});

test('a late or unknown reply is ignored; a lost channel fails all that still wait', async () => {
  const pending = new PendingRequests();
  let id = 0;
  const waiting = pending.open((sentId) => (id = sentId));
  pending.resolve(id + 100, 'stray');
  pending.resolve(null, 'no id');
  assert.equal(pending.size, 1);
  pending.rejectAll(new Error('The processor exited'));
  await assert.rejects(waiting, /processor exited/);
  pending.resolve(id, 'too late'); // no throw, nothing waits
  assert.equal(pending.size, 0);
});

test('a request that cannot be sent fails at once and leaves nothing waiting', async () => {
  const pending = new PendingRequests();
  await assert.rejects(pending.open(() => { throw new Error('too large to send'); }), /too large/);
  assert.equal(pending.size, 0);
});
