// Launching the processor as a Node child process (headless host, CLI, tests). Electron's
// launcher in electron/main does the same with utilityProcess.fork.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessorHandle } from './processor-client';
import type { ProcessorMessage, ProcessorRequest } from '../../shared/processor-protocol';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The processor's entry: the TypeScript source under tsx, or the built file beside this one. */
export function processorEntry(): { file: string; execArgv: string[] } {
  const source = path.resolve(here, '../processor/main.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] };
  return { file: path.resolve(here, 'processor.js'), execArgv: [] };
}

export function launchNodeProcessor(): ProcessorHandle {
  const { file, execArgv } = processorEntry();
  const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message: ProcessorRequest) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as ProcessorMessage)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
