// The processor as an Electron utilityProcess: a Node process Chromium supervises, with a
// message port to main. It fits the same ProcessorHandle as a Node child process.
import { utilityProcess } from 'electron';
import path from 'node:path';
import type { ProcessorHandle } from '../core/processor/processor-client';
import { PROCESSOR_V8_FLAGS } from '../core/processor/processor-runtime';
import type { ProcessorMessage, ProcessorRequest } from '../../shared/processor-protocol';

export function launchUtilityProcessor(): ProcessorHandle {
  // electron-vite builds the processor beside main's entry (out/main/processor.js).
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'processor.js'), [], {
    serviceName: 'LiveBreadth processor',
    stdio: 'inherit',
    // Node and V8 options for the child, as with child_process.fork. Not launched on the build
    // machine (no Electron binary there): if a release ignored them, only memory would differ.
    execArgv: [...PROCESSOR_V8_FLAGS],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message: ProcessorRequest) => {
      if (exited) return;
      try {
        child.postMessage(message);
      } catch {
        // Died an instant ago: the exit event follows, rejects the request and restarts it.
      }
    },
    onMessage: (listener) => {
      const forward = (message: unknown) => listener(message as ProcessorMessage);
      child.on('message', forward);
      return () => child.off('message', forward);
    },
    onExit: (listener) => {
      const forward = (code: number) => listener(code);
      child.on('exit', forward);
      return () => child.off('exit', forward);
    },
    kill: () => {
      // utilityProcess.kill() sends SIGTERM, which a stuck or SIGSTOPped processor never acts
      // on; SIGKILL by pid ends it like the Node launcher's child.kill('SIGKILL').
      if (exited) return;
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
          return;
        } catch {
          // already gone, or not ours to signal: fall back to Electron's own kill
        }
      }
      child.kill();
    },
  };
}
