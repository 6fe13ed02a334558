// The job kinds the processor runs (main.ts hands this registry to the service). Empty until the
// history import registers here; a test entry (test-support/processor-with-test-jobs.ts) adds
// its own kinds before the processor starts.
import { JobRegistry } from './registry';

export const processorJobKinds = new JobRegistry();
