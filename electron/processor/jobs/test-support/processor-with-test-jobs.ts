// The real processor entry with the test job kinds registered: what process tests launch
// (launchNodeProcessor({ file: this file, ... })) to run jobs in a real child process.
import { processorJobKinds } from '../kinds';
import { writeRowsJob } from './write-rows-job';

processorJobKinds.register(writeRowsJob());
await import('../../main');
