// Launching the processor as a Node child process (headless host, CLI, tests). Electron's
// launcher in electron/main does the same with utilityProcess.fork.
import { fork } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessorMessage, ProcessorRequest } from '../../../shared/processor-protocol';
import { LineSplitter, type OutputLine } from './output-tail';
import type { ProcessorHandle } from './processor-client';
import { isOutOfMemoryLine, nodeExitReason, type ProcessorExit } from './processor-exit';
import { PROCESSOR_V8_FLAGS } from './processor-runtime';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ProcessorEntry {
  file: string;
  execArgv: string[];
  /** 'source': the TypeScript under tsx; 'built': electron-vite's bundle, as the app ships it. */
  kind: 'source' | 'built';
  /** The Node that runs it (default: the one running us). */
  execPath?: string;
}

/** The bundle electron-vite writes: beside this file when running built, under out/ from source. */
export function builtProcessorFile(): string | null {
  const candidates = [path.resolve(here, 'processor.js'), path.resolve(here, '../../../out/main/processor.js')];
  return candidates.find((file) => existsSync(file)) ?? null;
}

/**
 * The processor's entry. By default the TypeScript source under tsx when it is there (tests and
 * the CLI see edits without a build), else the built file; `prefer: 'built'` takes the bundle
 * when one exists, so a measurement sees what ships rather than tsx's loader.
 */
export function processorEntry(prefer: 'source' | 'built' = 'source'): ProcessorEntry {
  const source = path.resolve(here, '../../processor/main.ts');
  const built = builtProcessorFile();
  const fromSource: ProcessorEntry = { file: source, execArgv: ['--import', 'tsx', ...PROCESSOR_V8_FLAGS], kind: 'source' };
  if (built && (prefer === 'built' || !existsSync(source))) return { file: built, execArgv: [...PROCESSOR_V8_FLAGS], kind: 'built' };
  if (existsSync(source)) return fromSource;
  throw new Error(`The processor is missing: neither ${source} nor a built processor.js was found`);
}

/** When the built processor was written, for a report that says what it measured. */
export function entryBuiltAt(entry: ProcessorEntry): Date | null {
  return entry.kind === 'built' ? statSync(entry.file).mtime : null;
}

export function launchNodeProcessor(entry: ProcessorEntry = processorEntry()): ProcessorHandle {
  const child = fork(entry.file, [], {
    execPath: entry.execPath,
    execArgv: entry.execArgv,
    // Piped, not inherited: a packaged app has no console, and the parent logs it (processor-log.ts).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const outputListeners = new Set<(line: OutputLine) => void>();
  let sawOutOfMemory = false;
  for (const stream of ['stdout', 'stderr'] as const) {
    const lines = new LineSplitter();
    const hear = (text: string) => {
      if (isOutOfMemoryLine(text)) sawOutOfMemory = true;
      for (const listener of outputListeners) listener({ stream, text });
    };
    // Always read, listeners or not: a pipe nobody reads fills (64 KB on Linux) and the
    // processor's next write to it blocks, and its cycle with it.
    child[stream]!.on('data', (chunk: Buffer) => lines.push(chunk).forEach(hear));
    child[stream]!.on('end', () => lines.end().forEach(hear));
  }
  let spawnError: Error | null = null;
  child.on('error', (error) => {
    if (child.pid === undefined) spawnError = error; // no process: 'close' follows, without 'exit'
  });
  const exitOf = (code: number | null, signal: NodeJS.Signals | null): ProcessorExit => {
    const reason = nodeExitReason({ code, signal, spawnError, sawOutOfMemory });
    return reason === 'launch-failed' ? { code: null, signal: null, reason, detail: spawnError?.message } : { code, signal, reason };
  };
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message: ProcessorRequest) => {
      // A child killed an instant ago can still look connected; the send then fails with EPIPE.
      // The callback takes that error (without one it is thrown as an 'error' event); the exit
      // that follows rejects the request and the supervisor restarts the processor.
      if (child.connected) child.send(message, () => undefined);
    },
    onMessage: (listener) => {
      const forward = (m: unknown) => listener(m as ProcessorMessage);
      child.on('message', forward);
      return () => child.off('message', forward);
    },
    onExit: (listener) => {
      // 'close', not 'exit': it comes once the output is read to its end, so the last lines (an
      // out-of-memory report) are heard first; and it also comes for a process that never spawned.
      const forward = (code: number | null, signal: NodeJS.Signals | null) => {
        const exit = exitOf(code, signal);
        listener(exit.code, exit);
      };
      child.on('close', forward);
      return () => child.off('close', forward);
    },
    onOutput: (listener) => {
      outputListeners.add(listener);
      return () => outputListeners.delete(listener);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
