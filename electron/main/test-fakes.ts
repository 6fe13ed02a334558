// Test support for electron/main: what Electron hands to listeners and the objects it makes,
// built under Node.
import type { Event, ForkOptions, UtilityProcess, utilityProcess as ElectronUtilityProcess } from 'electron';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

/** An Electron event: preventDefault() sets defaultPrevented, which a test reads afterwards. */
export function electronEvent<P extends object>(params: P): Event<P> {
  let prevented = false;
  return {
    ...params,
    preventDefault: () => {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  };
}

/**
 * Electron's utilityProcess module: fork records what it was asked and returns a process that
 * is an EventEmitter with piped stdout and stderr, as Electron's is with stdio 'pipe'. A test
 * emits what Electron would ('spawn', 'exit', 'error') and ends the streams.
 */
export function fakeUtilityProcessModule(pid = 4242) {
  const forks: Array<{ modulePath: string; args: string[] | undefined; options: ForkOptions | undefined; child: UtilityProcess }> = [];
  const utilityProcess: Pick<typeof ElectronUtilityProcess, 'fork'> = {
    fork: (modulePath, args, options) => {
      const child = Object.assign(new EventEmitter(), {
        pid,
        stdout: new PassThrough(),
        stderr: new PassThrough(),
        postMessage: () => undefined,
        kill: () => true,
      }) as unknown as UtilityProcess;
      forks.push({ modulePath, args, options, child });
      return child;
    },
  };
  return { utilityProcess, forks };
}
