import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import { tempDir } from '../../test-support/workbooks';
import { ProcessorService } from '../service';
import { processorImportEnvironment } from './import-environment';

test("the processor's own imports use the calendar and data folder its configure carries (a holiday is never asked for)", async () => {
  const dir = await tempDir('livebreadth-import-env-');
  const service = new ProcessorService(() => undefined);
  const exchange = { ...NSE_PROFILE, holidays: ['2026-11-24'] };
  await service.handle({
    id: 1, type: 'configure',
    settings: { dataDir: dir, liveFileName: 'Live', historicalFileName: 'Closes', dbPath: path.join(dir, 'breadth.sqlite'), exchangeZone: exchange.zone, exchange, retryDelaysMs: [] },
  });
  try {
    const environment = processorImportEnvironment();
    assert.deepEqual(environment.exchange.holidays, ['2026-11-24']);
    assert.equal(environment.dataDir, dir);
    assert.equal(environment.historicalFileName, 'Closes');
  } finally {
    await service.handle({ id: 2, type: 'shutdown' });
  }
});
