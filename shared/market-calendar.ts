// The market calendar's public module: the exchange profile (./calendar/profile.ts, its one zod
// schema) and when the exchange trades (./calendar/sessions.ts). Importers use this file; the
// holiday-file import lives with the settings in electron/core/settings/holiday-file.ts.
// shared/: no Node, Electron or React imports.
export { NSE_PROFILE, type ExchangeProfile, type ExtraSession } from './calendar/profile';
export {
  NEXT_OPEN_SEARCH_DAYS,
  REGULAR_SESSION_LABEL,
  marketState,
  sessionsOn,
  type MarketPhase,
  type MarketSession,
  type MarketState,
} from './calendar/sessions';
