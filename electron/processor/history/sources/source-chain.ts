// Sources tried in order for each day (for example the trader's folder, then NSE's archive): the
// first that has the day wins; one that has not published it, or that failed, hands over to the
// next. If none has it and none failed, the day is not published; if any failed, the day fails
// with every source's reason on one line, so the trader sees why each one could not help.
import { SourceError, throwIfAborted, type BhavcopySource, type FetchOutcome } from './source';

export class SourceChain implements BhavcopySource {
  readonly name: string;

  constructor(private readonly sources: readonly BhavcopySource[]) {
    if (sources.length === 0) throw new Error('A source chain needs at least one source');
    this.name = sources.map((source) => source.name).join('+');
  }

  async fetchDay(tradeDate: string, signal?: AbortSignal): Promise<FetchOutcome> {
    const reasons: string[] = []; // in the chain's order
    let anyFailed = false;
    for (const source of this.sources) {
      throwIfAborted(signal);
      try {
        const outcome = await source.fetchDay(tradeDate, signal);
        if (outcome.kind === 'found') return outcome;
        reasons.push(`${source.name}: ${outcome.detail}`);
      } catch (error) {
        // Cancelling stops the chain; it is not a reason to try the next source.
        if (signal?.aborted) throw signal.reason;
        anyFailed = true;
        reasons.push(`${source.name}: ${error instanceof SourceError ? error.reason : (error as Error).message}`);
      }
    }
    if (!anyFailed) return { kind: 'not-published', source: this.name, detail: reasons.join('; ') };
    throw new SourceError(this.name, `no bhavcopy for ${tradeDate}: ${reasons.join('; ')}`);
  }
}
