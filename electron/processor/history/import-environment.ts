// What a history import needs from the processor's settings: the exchange calendar (which dates
// are sessions, so a weekend or a holiday is never asked for) and where the Historical workbook
// is (the historicalWorkbook universe). The processor's configure hands its settings here
// (current-settings.ts); the CLI passes its own environment to historyImportJob instead.
import { currentProcessorSettings } from '../current-settings';
import { NSE_PROFILE, type ExchangeProfile } from '../../../shared/market-calendar';

export interface ImportEnvironment {
  exchange: ExchangeProfile;
  /** The data folder, for the Historical workbook; null when the processor has none yet. */
  dataDir: string | null;
  historicalFileName: string;
}

/**
 * The environment of the processor's own import jobs, from its last configure. Before one (or
 * from settings without the exchange profile) NSE's weekdays stand in: a holiday is then asked
 * for and recorded as not published.
 */
export function processorImportEnvironment(): ImportEnvironment {
  const settings = currentProcessorSettings();
  return {
    exchange: settings?.exchange ?? NSE_PROFILE,
    dataDir: settings?.dataDir || null,
    historicalFileName: settings?.historicalFileName ?? 'Historical',
  };
}
