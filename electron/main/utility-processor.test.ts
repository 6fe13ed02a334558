// The utilityProcess launcher's wiring under Node, with Electron's utilityProcess and app as
// fakes (test-fakes.ts): what it forks, and that Electron's reason reaches the handle. The
// handle's own logic is tested in core (utility-handle.test.ts).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { App } from 'electron';
import type { ProcessorExit } from '../core/processor/processor-exit';
import { PROCESSOR_V8_FLAGS } from '../core/processor/processor-runtime';
import { fakeUtilityProcessModule } from './test-fakes';
import { launchUtilityProcessor, PROCESSOR_SERVICE_NAME } from './utility-processor';

describe('launchUtilityProcessor', () => {
  it('forks the built processor with its output piped, a service name and the V8 flags', () => {
    const { utilityProcess, forks } = fakeUtilityProcessModule();
    launchUtilityProcessor({ utilityProcess, app: new EventEmitter() as unknown as App });
    assert.equal(forks.length, 1);
    assert.equal(path.basename(forks[0]!.modulePath), 'processor.js');
    // Before: stdio 'inherit', which a packaged Windows app loses.
    assert.deepEqual(forks[0]!.options, { serviceName: PROCESSOR_SERVICE_NAME, stdio: 'pipe', execArgv: [...PROCESSOR_V8_FLAGS] });
  });

  it('its end carries the reason of the app\'s child-process-gone for that service name, and its output is heard', async () => {
    const { utilityProcess, forks } = fakeUtilityProcessModule();
    const app = new EventEmitter();
    const handle = launchUtilityProcessor({ utilityProcess, app: app as unknown as App });
    const child = forks[0]!.child;
    const heard: string[] = [];
    handle.onOutput!((line) => heard.push(line.text));
    const exited = new Promise<ProcessorExit>((resolve) => handle.onExit((_code, exit) => resolve(exit!)));
    (child.stderr as unknown as NodeJS.WritableStream).end('a last word\n');
    (child.stdout as unknown as NodeJS.WritableStream).end();
    // A reason only Electron can give: the system ended it to free memory.
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'memory-eviction', exitCode: 9, serviceName: 'node.mojom.NodeService', name: PROCESSOR_SERVICE_NAME });
    await new Promise((r) => setImmediate(r));
    (child as unknown as EventEmitter).emit('exit', 9);
    assert.deepEqual(await exited, { code: 9, signal: null, reason: 'memory-eviction' });
    assert.deepEqual(heard, ['a last word']);
    assert.equal(app.listenerCount('child-process-gone'), 0);
  });
});
