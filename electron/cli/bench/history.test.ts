// The bench's history part, small: it runs end to end, and a live cycle waits for at most the one
// chunk in hand while an import runs (the bench reports the figure against its 50 ms target).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../test-support/workbooks';
import { benchHistory, historyLines } from './history';

describe('bench: history import', () => {
  it('measures the import rates, and a live cycle waits for at most one chunk while an import runs', async () => {
    const figures = await benchHistory(await tempDir(), { sessions: 80, symbols: 1000 });
    console.log(historyLines(figures).join('\n'));
    assert.equal(figures.sessions, 80);
    assert.ok(figures.coldSessionsPerSecond > 0 && figures.warmSessionsPerSecond > 0 && figures.dbGrowthMb > 0);
    // The forced re-import on a new processor: 80 replaced days, then the figures' chunks.
    assert.equal(figures.chunks, 80 + Math.ceil((80 + 80) / 5));
    assert.ok(figures.cycles >= 5, `${figures.cycles} cycles ran during the import`);
    // The bound, not a wall-clock target: at most one chunk stood before any cycle, beyond what a
    // cycle waits with no job (a loaded machine's scheduling), plus a turn of the event loop.
    const bound = figures.maxChunkMs + figures.idleMaxWaitMs + 5;
    assert.ok(figures.maxWaitMs <= bound, `longest wait ${figures.maxWaitMs} ms > ${bound} ms (longest chunk ${figures.maxChunkMs} ms)`);
  });
});
