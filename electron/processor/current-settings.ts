// The processor's settings as its last configure gave them, for job kinds loaded later (the
// history import reads the calendar and the data folder here). Kept free of imports with a
// cost, so a processor that only runs cycles loads nothing for it.
import type { ProcessorSettings } from '../../shared/processor-protocol';

let current: ProcessorSettings | null = null;

export function useProcessorSettings(settings: ProcessorSettings): void {
  current = settings;
}

export function currentProcessorSettings(): ProcessorSettings | null {
  return current;
}
