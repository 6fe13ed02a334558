// The job kinds the processor runs (main.ts hands this registry to the service): the history
// import (history/import-job.ts), on the processor's calendar and data folder
// (history/import-environment.ts). A test entry (test-support/processor-with-test-jobs.ts) adds
// its own kinds before the processor starts.
import { JobRegistry } from './registry';

// Loaded on the first import job: its parameters' schema (zod), the sources and the calendar
// (luxon) cost a processor that only runs cycles ~10 MB of peak RSS (bench, 5,000 symbols).
export const processorJobKinds = new JobRegistry().registerLazy('history-import', async () => {
  const [{ historyImportJob }, { processorImportEnvironment }] = await Promise.all([
    import('../history/import-job'),
    import('../history/import-environment'),
  ]);
  return historyImportJob({ environment: processorImportEnvironment });
});
