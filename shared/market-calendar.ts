// The market calendar's public module: the exchange profile (./calendar/profile.ts, its one zod
// schema) and when the exchange trades (./calendar/sessions.ts). Importers use this file; the
// holiday-file import lives with the settings in electron/core/settings/holiday-file.ts.
// shared/: no Node, Electron or React imports.
import { exchangeProfileSchema, type ExchangeProfile } from './calendar/profile';
import { issueLine } from './settings';

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

/**
 * What is wrong with a profile, one line per problem naming the field; [] if fine. It is the
 * schema's answer, which settingsSchema already gives for `exchange`.
 * @deprecated Validate with exchangeProfileSchema; kept until settings-store.ts stops calling it.
 */
export function validateProfile(profile: ExchangeProfile): string[] {
  const parsed = exchangeProfileSchema.safeParse(profile);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issueLine(issue));
}
