// The Node launcher on a real child process: a processor that dies between a check and a send
// must not take the parent down with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorMessage } from '../../shared/processor-protocol';
import { launchNodeProcessor } from './node-processor';

describe('launchNodeProcessor', () => {
  it('a message sent to a processor that has just been killed is dropped, and its exit is reported', async () => {
    const handle = launchNodeProcessor();
    const exited = new Promise<number | null>((resolve) => handle.onExit(resolve));
    await new Promise<void>((resolve) => handle.onMessage((m: ProcessorMessage) => m.type === 'ready' && resolve()));
    process.kill(handle.pid!, 'SIGKILL');
    // Hold the event loop while the child dies, so the parent has not seen the death yet and the
    // channel still looks open: these sends hit a closed pipe. Unhandled, that is an 'error'
    // event, thrown as an uncaught exception.
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy: no I/O callbacks run meanwhile
    }
    for (let id = 1; id <= 50; id++) handle.postMessage({ id, type: 'stats' });
    assert.equal(await exited, null, 'killed by a signal, so no exit code');
  });

  it('onExit and onMessage return a function that removes the listener', async () => {
    const handle = launchNodeProcessor();
    const heard: string[] = [];
    const offMessage = handle.onMessage(() => heard.push('message'));
    const offExit = handle.onExit(() => heard.push('exit'));
    const exited = new Promise<void>((resolve) => handle.onExit(() => resolve()));
    await new Promise<void>((resolve) => handle.onMessage((m: ProcessorMessage) => m.type === 'ready' && resolve()));
    offMessage();
    offExit();
    handle.postMessage({ id: 1, type: 'stats' }); // a reply the removed listener must not hear
    await new Promise<void>((resolve) => handle.onMessage(() => resolve()));
    handle.kill();
    await exited;
    assert.deepEqual(heard, ['message'], 'only the ready message, heard before the listeners were removed');
  });
});
