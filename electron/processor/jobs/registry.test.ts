import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processorJobKinds } from './kinds';
import { JobRegistry } from './registry';
import { writeRowsJob } from './test-support/write-rows-job';

test("a lazy kind is named at once but loaded only when a job of it is started or resumed", async () => {
  let loads = 0;
  const registry = new JobRegistry().registerLazy('write-rows', async () => {
    loads++;
    return writeRowsJob();
  });
  assert.deepEqual(registry.kinds(), ['write-rows']);
  assert.equal(registry.get('write-rows'), undefined);
  await registry.ensure('write-rows');
  await registry.ensure('write-rows');
  assert.equal(loads, 1);
  assert.equal(registry.get('write-rows')?.kind, 'write-rows');
  await registry.ensure('unknown'); // nothing to load: start() then names the kinds it runs
  assert.throws(() => registry.registerLazy('write-rows', async () => writeRowsJob()), /registered twice/);
});

test("the processor's history import stays unloaded until asked for (its code costs a cycles-only processor memory)", async () => {
  assert.deepEqual(processorJobKinds.kinds(), ['history-import']);
  assert.equal(processorJobKinds.isLoaded('history-import'), false);
  await processorJobKinds.ensure('history-import');
  assert.equal(processorJobKinds.get('history-import')?.kind, 'history-import');
});
