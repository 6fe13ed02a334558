// The journal as the trader sees it through the real core: the snapshot still pushed to the
// dashboard, and the status saying how many cycles wait to be written.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startTestCore } from '../../test-support/core';
import { writeDataFolder } from '../../test-support/workbooks';
import { holdWriteLock } from './hold-write-lock';

describe('journal in the app status', () => {
  it('a locked database: the cycle succeeds, its snapshot is pushed, the status counts what waits, then clears', async (t) => {
    const { core, dataDir, home, events } = await startTestCore({}, {}, (dir) => writeDataFolder(dir, [['TCS', 100], ['ITC', 50]], [['TCS', 101], ['ITC', 49]]));
    assert.notEqual((await core.processNow()).status, 'failed'); // 'unchanged' when the start's own cycle stored it
    const holder = await holdWriteLock(path.join(home, 'breadth.sqlite'));
    let released = false;
    t.after(() => (released ? undefined : holder.release()));
    await writeDataFolder(dataDir, null, [['TCS', 102], ['ITC', 48]]);
    const kept = await core.processNow();
    assert.deepEqual([kept.status, kept.runId], ['ok', 0]);
    assert.equal(events.snapshot.at(-1)?.pollTime, kept.snapshot!.pollTime, 'pushed to the dashboard as usual');
    const status = await core.getStatus();
    assert.deepEqual(status.journal, { pending: 1, full: false });
    assert.equal(status.error, null, 'not an error: nothing is lost');
    await holder.release();
    released = true;
    await writeDataFolder(dataDir, null, [['TCS', 103], ['ITC', 47]]);
    assert.ok((await core.processNow()).runId > 0);
    assert.deepEqual((await core.getStatus()).journal, { pending: 0, full: false });
    assert.equal((await core.getLatestSnapshot())?.advances, 1);
    assert.equal((await core.getSeries()).length, 3, 'all three cycles stored');
  });
});
