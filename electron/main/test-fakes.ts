// Test support for electron/main: what Electron hands to listeners, built under Node.
import type { Event } from 'electron';

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
