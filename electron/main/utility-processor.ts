// The processor as an Electron utilityProcess: a Node process Chromium supervises, with a
// message port to main. Its output is piped (a packaged Windows app has no console to inherit)
// and its end told with Electron's reason; the logic is in core (utility-handle.ts), tested
// under Node. Electron's objects come in as parameters, so this file is tested with fakes.
import type { App, utilityProcess as ElectronUtilityProcess } from 'electron';
import path from 'node:path';
import type { ProcessorHandle } from '../core/processor/processor-client';
import { PROCESSOR_V8_FLAGS } from '../core/processor/processor-runtime';
import { utilityProcessorHandle } from '../core/processor/utility-handle';

/** The name Electron gives the process in child-process-gone and app.getAppMetrics. */
export const PROCESSOR_SERVICE_NAME = 'LiveBreadth processor';

export interface UtilityElectron {
  utilityProcess: Pick<typeof ElectronUtilityProcess, 'fork'>;
  app: Pick<App, 'on' | 'off'>;
}

export function launchUtilityProcessor({ utilityProcess, app }: UtilityElectron): ProcessorHandle {
  // electron-vite builds the processor beside main's entry (out/main/processor.js).
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'processor.js'), [], {
    serviceName: PROCESSOR_SERVICE_NAME,
    stdio: 'pipe',
    // Node and V8 options for the child, as with child_process.fork. Not launched on the build
    // machine (no Electron binary there): if a release ignored them, only memory would differ.
    execArgv: [...PROCESSOR_V8_FLAGS],
  });
  return utilityProcessorHandle(child, app, { serviceName: PROCESSOR_SERVICE_NAME });
}
