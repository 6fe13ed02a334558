// The exchange's clock: trade dates and local times in the exchange's IANA zone, whatever
// zone the computer runs in. luxon does the zone arithmetic (DST-correct for any profile).
import { DateTime } from 'luxon';
import { knownZone } from './calendar/fields';

export const DEFAULT_EXCHANGE_ZONE = 'Asia/Kolkata';

/** The exchange-local calendar date of an instant, YYYY-MM-DD. */
export function tradeDateOf(instant: Date, zone: string = DEFAULT_EXCHANGE_ZONE): string {
  return DateTime.fromJSDate(instant, { zone: knownZone(zone) }).toISODate()!;
}

/**
 * "10:15:03 IST": a time for people (status lines, logs), in the exchange's zone with its
 * abbreviation. en-IN names Asia/Kolkata "IST"; other zones get their usual (en-US) name.
 */
export function exchangeClockLabel(instant: Date | number, zone: string = DEFAULT_EXCHANGE_ZONE, format = 'HH:mm:ss'): string {
  const local = DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime(), { zone })
    .setLocale(zone === 'Asia/Kolkata' ? 'en-IN' : 'en-US');
  return local.toFormat(`${format} ZZZZ`);
}
