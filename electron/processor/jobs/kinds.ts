// The job kinds the processor runs (main.ts hands this registry to the service): the history
// import (history/import-job.ts), on the processor's calendar and data folder
// (history/import-environment.ts). A test entry (test-support/processor-with-test-jobs.ts) adds
// its own kinds before the processor starts.
import { historyImportJob } from '../history/import-job';
import { processorImportEnvironment } from '../history/import-environment';
import { JobRegistry } from './registry';

export const processorJobKinds = new JobRegistry([historyImportJob({ environment: processorImportEnvironment })]);
