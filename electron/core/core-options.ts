// What a core is made of: the settings, the database, how to launch the processor, and the
// timings tests and the bench shorten.
import type { Clock } from './clock/clock';
import type { BreakerOptions } from './cycles/breaker';
import type { ProcessorLauncher } from './processor/processor-client';
import type { SettingsStore } from './settings/settings-store';

export interface CoreOptions {
  settings: SettingsStore;
  dbPath: string;
  launch: ProcessorLauncher;
  clock?: Clock;
  breaker?: BreakerOptions;
  backoffMs?: number[];
  /** Re-reads of a file that looked mid-save, before a cycle is called failed. */
  retryDelaysMs?: number[];
  /** A cycle taking longer is stuck: its processor is killed and restarted (default 20 s). */
  cycleTimeoutMs?: number;
  /** How long quitting waits for the running cycle and the database to close (default 3 s). */
  shutdownTimeoutMs?: number;
}
