// What a history import needs from the processor's settings: the exchange calendar (which dates
// are sessions, so a weekend or a holiday is never asked for) and where the Historical workbook
// is (the historicalWorkbook universe). The processor's configure hands its settings here
// (useProcessorSettings); the CLI passes its own environment to historyImportJob instead.
import type { ProcessorSettings } from '../../../shared/processor-protocol';
import { NSE_PROFILE, type ExchangeProfile } from '../../../shared/market-calendar';

export interface ImportEnvironment {
  exchange: ExchangeProfile;
  /** The data folder, for the Historical workbook; null when the processor has none yet. */
  dataDir: string | null;
  historicalFileName: string;
}

/** The processor's settings, with the exchange profile the protocol may carry. */
export type SettingsForImport = Pick<ProcessorSettings, 'dataDir' | 'historicalFileName'> & { exchange?: ExchangeProfile };

let configured: ImportEnvironment | null = null;

/** Called with every configure: the import reads the calendar and the folder as they are now. */
export function useProcessorSettings(settings: SettingsForImport): void {
  configured = {
    exchange: settings.exchange ?? NSE_PROFILE,
    dataDir: settings.dataDir || null,
    historicalFileName: settings.historicalFileName,
  };
}

/**
 * The environment of the processor's own import jobs. Until its settings carry the exchange
 * profile, NSE's weekdays stand in: a holiday is then asked for and recorded as not published.
 */
export function processorImportEnvironment(): ImportEnvironment {
  return configured ?? { exchange: NSE_PROFILE, dataDir: null, historicalFileName: 'Historical' };
}
