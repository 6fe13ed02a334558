// Test support: a real processor launcher whose processor also runs the test job kind
// (write-rows, electron/processor/jobs/test-support), for tests of jobs through the core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchNodeProcessor, processorEntry } from '../../processor/node-processor';
import type { ProcessorHandle } from '../../processor/processor-client';

export { WRITE_ROWS_KIND } from '../../../processor/jobs/test-support/write-rows-job';

const testEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../processor/jobs/test-support/processor-with-test-jobs.ts');

export function launchWithTestJobs(): ProcessorHandle {
  return launchNodeProcessor({ ...processorEntry('source'), file: testEntry });
}

/** Waits (generously: a loaded machine) until `check` holds. */
export async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
