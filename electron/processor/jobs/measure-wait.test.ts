// A live cycle waits for at most one job chunk: measured with real cycles while a job runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { measureCycleWait } from './measure-wait';

describe('live cycles while a job runs', () => {
  it('a cycle waits for at most the one chunk in hand (20 ms chunks, a cycle every 100 ms)', async () => {
    const figures = await measureCycleWait({ cycles: 30, applyMs: 20, symbols: 300, workDir: await tempDir() });
    console.log(`cycle wait while a job runs: ${JSON.stringify(figures)}`);
    assert.ok(figures.chunks >= 30 * 2, `the job kept the queue busy (${figures.chunks} chunks)`);
    // The bound, not a wall-clock target (the bench reports that, < 50 ms): at most one chunk
    // stood before any cycle, beyond what a cycle waits with no job at all (a loaded machine's
    // scheduling), plus a turn of the event loop. Two chunks queued at once would break it.
    const bound = figures.maxChunkMs + figures.idleMaxWaitMs + 5;
    assert.ok(figures.maxWaitMs <= bound, `longest wait ${figures.maxWaitMs} ms > ${bound} ms (longest chunk ${figures.maxChunkMs} ms, idle ${figures.idleMaxWaitMs} ms)`);
  });
});
