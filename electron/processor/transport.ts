// The one place that knows how the processor talks to its parent: Electron's utilityProcess
// gives it process.parentPort, a Node child process gives it process.send.
import type { ProcessorMessage, ProcessorRequest } from '../../shared/processor-protocol';

export interface ParentChannel {
  send(message: ProcessorMessage): void;
  onRequest(handler: (request: ProcessorRequest) => void): void;
  /** The parent went away (a Node parent crashed or was killed); under Electron this never fires, see below. */
  onParentGone(handler: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToParent(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onRequest: (handler) => parentPort.on('message', (event) => handler(event.data as ProcessorRequest)),
      // Main gone without a shutdown request (a crash, a SIGKILL): Chromium's IO thread ends this process at once, even mid-cycle (POSIX: _exit(0) when its Mojo link to the browser breaks), and no JS runs, so nothing can close the database here: the next open replays the -wal and takes over the dead pid's lock.
      onParentGone: () => undefined,
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return {
      send: (message) => {
        // Once the parent is gone there is no one to tell; the callback takes the send's error
        // (without one it is thrown) while the database closes.
        if (process.connected) send(message, () => undefined);
      },
      onRequest: (handler) => process.on('message', (message) => handler(message as ProcessorRequest)),
      onParentGone: (handler) => process.once('disconnect', handler),
    };
  }
  throw new Error('The processor runs under LiveBreadth, which gives it a channel to talk on');
}
