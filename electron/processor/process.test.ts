// The processor as a real child process: configure, run a cycle, survive its crash.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { launchNodeProcessor } from '../core/processor/node-processor';
import { PROCESSOR_V8_FLAGS } from '../core/processor/processor-runtime';
import { ProcessorClient, ProcessorExitedError } from '../core/processor/processor-client';
import type { ProcessorEvent } from '../../shared/processor-protocol';
import { tempDir, writeDataFolder } from '../test-support/workbooks';
import { SCHEMA_VERSION } from './store/migrations';

describe('processor process', () => {
  it('runs a cycle on request, reports it once (as the reply: a snapshot crosses the pipe once), and shuts down', async (t) => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49.5]]);
    const client = new ProcessorClient(launchNodeProcessor());
    t.after(() => client.kill()); // a failed assertion must not leave the child holding the run open
    const events: ProcessorEvent[] = [];
    client.onEvent((e) => events.push(e));
    await client.ready;
    assert.notEqual(client.pid, process.pid);
    const { schemaVersion } = await client.request({ type: 'configure', settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'db.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] } });
    assert.equal(schemaVersion, SCHEMA_VERSION);
    const report = await client.request({ type: 'runCycle', trigger: 'manual' });
    assert.equal(report.status, 'ok');
    assert.deepEqual([report.snapshot!.advances, report.snapshot!.declines], [1, 1]);
    assert.deepEqual(events.map((e) => e.type).filter((type) => type !== 'log'), ['ready'], 'no event repeats the reply');
    const stats = await client.request({ type: 'stats' });
    assert.equal(stats.pid, client.pid);
    assert.ok(stats.maxRssBytes >= stats.rssBytes * 0.5 && stats.rssBytes > 10e6 && stats.cpuUserMicros > 0);
    for (const flag of PROCESSOR_V8_FLAGS) assert.ok(stats.execArgv.includes(flag), `the processor runs with ${flag}`);
    const exited = new Promise((resolve) => client.onExit(resolve));
    await client.request({ type: 'shutdown' });
    assert.equal(await exited, 0);
  });

  it('a bad request gets an error reply, and the processor keeps serving', async () => {
    const client = new ProcessorClient(launchNodeProcessor());
    await client.ready;
    await assert.rejects(client.request({ type: 'runCycle', trigger: 'manual' }), /not configured/);
    await assert.rejects(client.request({ type: 'nonsense' } as never), /Unknown request type "nonsense"/);
    client.kill();
  });

  it('a crash rejects what was pending and leaves this process running', async () => {
    const dir = await tempDir();
    await writeDataFolder(dir, [['TCS', 100]], [['TCS', 101]]);
    const client = new ProcessorClient(launchNodeProcessor());
    await client.ready;
    await client.request({ type: 'configure', settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Historical', dbPath: path.join(dir, 'db.sqlite'), exchangeZone: 'Asia/Kolkata', retryDelaysMs: [] } });
    const pending = client.request({ type: 'runCycle', trigger: 'manual' });
    client.kill();
    await assert.rejects(pending, ProcessorExitedError);
    assert.equal(client.isAlive, false);
    await assert.rejects(client.request({ type: 'runCycle', trigger: 'manual' }), /not running/);
  });
});
