// Cycles lost with their processor (it died, or was killed as stuck) have no run-log row: the
// processor that would have written it is gone. They are remembered here and written by the
// next processor that starts.
import { tradeDateOf } from '../../../shared/exchange-time';
import type { RecordFailedRunRequest } from '../../../shared/processor-protocol';
import type { ProcessorClient } from './processor-client';
import { firstLine } from './supervision';

type LostCycle = Omit<RecordFailedRunRequest, 'id' | 'type'>;

/** Lost cycles remembered for the run log while no processor can take them. */
const MAX_LOST_CYCLES = 20;

export class LostCycles {
  private cycles: LostCycle[] = [];

  /** `zone`: the exchange's, for the trade date; the default exchange's when it cannot be had. */
  remember(cycle: Omit<LostCycle, 'tradeDate'>, zone: () => string): void {
    let tradeDate: string;
    try {
      tradeDate = tradeDateOf(new Date(cycle.startedAt), zone());
    } catch {
      tradeDate = tradeDateOf(new Date(cycle.startedAt));
    }
    this.cycles.push({ ...cycle, tradeDate });
    if (this.cycles.length > MAX_LOST_CYCLES) this.cycles.shift();
  }

  /** Has `client` write the run log's rows for them; a row it cannot write is a warning. */
  writeWith(client: ProcessorClient, warn: (message: string) => void): void {
    const lost = this.cycles;
    this.cycles = [];
    for (const cycle of lost) {
      client.request({ type: 'recordFailedRun', ...cycle }).catch((error: unknown) => {
        warn(`An interrupted cycle (${cycle.startedAt}) could not be written to the run log: ${firstLine(error)}`);
      });
    }
  }
}
