// The processor's log on real files: each line stamped in UTC with its pid and stream, rotated
// at the size limit keeping N files, a real processor's output and end written through the
// logging launcher, and a log that cannot be written costing nothing but the log.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { SimulatedClock } from '../clock/simulated-clock';
import { launchNodeProcessor, processorEntry } from './node-processor';
import { ProcessorClient } from './processor-client';
import { PROCESSOR_LOG_FILE, ProcessorLog, withOutputLog } from './processor-log';

const GENEROUS_MS = 60_000;

describe('ProcessorLog', () => {
  it('writes each line stamped with the UTC time, the pid and the stream, in <dir>/processor.log (the folder created)', async () => {
    const dir = path.join(await tempDir('livebreadth-log-'), 'logs');
    const log = new ProcessorLog({ dir, clock: new SimulatedClock('2026-01-23T04:00:00.000Z') });
    log.write(4242, 'stdout', 'hello');
    log.write(4242, 'stderr', 'Error: boom');
    log.write(undefined, 'parent', 'processor launched');
    await log.close();
    assert.equal(log.file, path.join(dir, PROCESSOR_LOG_FILE));
    assert.equal(readFileSync(log.file, 'utf8'), [
      '2026-01-23T04:00:00.000Z [pid 4242] stdout: hello',
      '2026-01-23T04:00:00.000Z [pid 4242] stderr: Error: boom',
      '2026-01-23T04:00:00.000Z [pid ?] parent: processor launched',
      '',
    ].join('\n'));
  });

  it('rotates at the size limit: processor.log, .1 … .N, the oldest dropped, the newest lines in processor.log', async () => {
    const dir = await tempDir('livebreadth-log-');
    const log = new ProcessorLog({ dir, maxBytes: 4 * 1024, keep: 2 });
    const line = (i: number) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(90)}`;
    // ~150 bytes a line with its stamp: 400 lines are ~60 KB, fifteen files' worth.
    for (let i = 0; i < 400; i++) {
      log.write(1, 'stdout', line(i));
      if (i % 20 === 19) await new Promise((r) => setImmediate(r)); // the writes as they come in a real run, not all at once
    }
    await log.close();
    assert.deepEqual(readdirSync(dir).sort(), ['processor.log', 'processor.log.1', 'processor.log.2']);
    for (const file of ['processor.log.1', 'processor.log.2']) {
      const size = statSync(path.join(dir, file)).size;
      // A file is rotated after the write that passes the limit: at most a few lines over it.
      assert.ok(size >= 4 * 1024 && size < 8 * 1024, `${file}: ${size} bytes`);
    }
    const newest = readFileSync(path.join(dir, 'processor.log'), 'utf8').trimEnd().split('\n');
    assert.match(newest.at(-1)!, /stdout: line 0399 x+$/);
    const older = readFileSync(path.join(dir, 'processor.log.1'), 'utf8').trimEnd().split('\n');
    assert.equal(Number(/line (\d+)/.exec(older.at(-1)!)![1]) + 1, Number(/line (\d+)/.exec(newest[0]!)![1]), 'processor.log.1 ends where processor.log begins');
  });

  it('a log that cannot be written says so once and drops its lines; the caller goes on', async () => {
    const home = await tempDir('livebreadth-log-');
    const notAFolder = path.join(home, 'logs');
    writeFileSync(notAFolder, 'a file where the logs folder should be');
    const problems: string[] = [];
    const log = new ProcessorLog({ dir: notAFolder, onProblem: (message) => problems.push(message) });
    for (let i = 0; i < 5; i++) log.write(1, 'stdout', `line ${i}`);
    await new Promise((r) => setTimeout(r, 200));
    await log.close();
    assert.equal(problems.length, 1, problems.join('; '));
    assert.match(problems[0]!, /^The processor's log .*logs\/processor\.log cannot be written: /);
  });
});

describe('withOutputLog: a real processor\'s output in the log', () => {
  it('its lines, when it was launched and how it ended; its handle says where the log is', { timeout: GENEROUS_MS }, async (t) => {
    const dir = path.join(await tempDir('livebreadth-log-'), 'logs');
    const log = new ProcessorLog({ dir });
    const entry = processorEntry();
    const code = "console.log('stdout says hello'); console.error('stderr says hello');";
    const launch = withOutputLog(() => launchNodeProcessor({ ...entry, execArgv: [...entry.execArgv, '--import', `data:text/javascript,${encodeURIComponent(code)}`] }), log);
    const handle = launch();
    assert.equal(handle.logFile, log.file);
    const client = new ProcessorClient(handle);
    t.after(() => client.kill());
    await client.ready;
    const pid = client.pid!;
    const exited = new Promise((resolve) => client.onExit(resolve));
    process.kill(pid, 'SIGKILL');
    await exited;
    await log.close();
    const text = readFileSync(log.file, 'utf8');
    const stamp = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
    assert.match(text, new RegExp(`^${stamp} \\[pid ${pid}\\] parent: processor launched$`, 'm'));
    assert.match(text, new RegExp(`^${stamp} \\[pid ${pid}\\] stdout: stdout says hello$`, 'm'));
    assert.match(text, new RegExp(`^${stamp} \\[pid ${pid}\\] stderr: stderr says hello$`, 'm'));
    assert.match(text, new RegExp(`^${stamp} \\[pid ${pid}\\] parent: processor was killed by SIGKILL \\(killed\\)$`, 'm'));
    assert.ok(existsSync(log.file));
  });
});
