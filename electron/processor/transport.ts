// The one place that knows how the processor talks to its parent: Electron's utilityProcess
// gives it process.parentPort, a Node child process gives it process.send.
import type { ProcessorMessage, ProcessorRequest } from '../../shared/processor-protocol';

export interface ParentChannel {
  send(message: ProcessorMessage): void;
  onRequest(handler: (request: ProcessorRequest) => void): void;
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
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return {
      send: (message) => {
        send(message);
      },
      onRequest: (handler) => process.on('message', (message) => handler(message as ProcessorRequest)),
    };
  }
  throw new Error('The processor runs under LiveBreadth, which gives it a channel to talk on');
}
