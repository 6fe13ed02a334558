// The exchange's clock: trade dates and local times in the exchange's IANA zone, whatever
// zone the computer runs in. luxon does the zone arithmetic (DST-correct for any profile).
import { DateTime } from 'luxon';

export const DEFAULT_EXCHANGE_ZONE = 'Asia/Kolkata';

export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** The exchange-local calendar date of an instant, YYYY-MM-DD. */
export function tradeDateOf(instant: Date, zone: string = DEFAULT_EXCHANGE_ZONE): string {
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) throw new Error(`Unknown time zone "${zone}"`);
  return local.toISODate()!;
}
