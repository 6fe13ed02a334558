// The chart's time axis: the session's span, its hour ticks, and instants as wall-clock time in
// the exchange zone (whatever zone the computer is in). Pure: no clocks, no I/O.
import { DateTime, IANAZone } from 'luxon';
import { sessionsOn, type ExchangeProfile } from '../../../shared/market-calendar';

function checkZone(zone: string): void {
  if (!IANAZone.create(zone).isValid) throw new Error(`Unknown time zone "${zone}"`);
}

/**
 * The chart's x domain for an exchange-local trade date (YYYY-MM-DD), epoch ms: the first
 * session's open to the last session's close (sessionsOn: the regular session and any extra ones,
 * so a muhurat-only day is that session's hour). With no session that day (a weekend or a
 * holiday) it is the profile's regular sessionOpen–sessionClose on that date in the profile's
 * zone. Throws on a bad date or zone, or (on the fallback) on unusable session hours.
 */
export function sessionDomain(tradeDate: string, profile: ExchangeProfile): [number, number] {
  const sessions = sessionsOn(tradeDate, profile);
  if (sessions.length > 0) {
    let open = Infinity;
    let close = -Infinity;
    for (const session of sessions) {
      open = Math.min(open, session.open.getTime());
      close = Math.max(close, session.close.getTime());
    }
    return [open, close];
  }
  const open = DateTime.fromISO(`${tradeDate}T${profile.sessionOpen.trim().padStart(5, '0')}`, { zone: profile.zone });
  const close = DateTime.fromISO(`${tradeDate}T${profile.sessionClose.trim().padStart(5, '0')}`, { zone: profile.zone });
  if (!open.isValid || !close.isValid || close <= open) {
    throw new Error(`${profile.name}: no usable session hours (${profile.sessionOpen}–${profile.sessionClose}) for ${tradeDate}`);
  }
  return [open.toMillis(), close.toMillis()];
}

/**
 * Axis ticks for a domain: its start, every whole hour of the exchange zone strictly inside it,
 * and its end, ascending and without duplicates (09:15, 10:00, 11:00, …, 15:00, 15:30 for NSE).
 */
export function sessionTicks(domain: [number, number], zone: string): number[] {
  checkZone(zone);
  const [start, end] = domain;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return [];
  if (end <= start) return [start];
  const ticks = [start];
  let hour = DateTime.fromMillis(start, { zone }).startOf('hour').plus({ hours: 1 }).startOf('hour');
  while (hour.toMillis() < end) {
    if (hour.toMillis() > start) ticks.push(hour.toMillis());
    hour = hour.plus({ hours: 1 }).startOf('hour');
  }
  ticks.push(end);
  return ticks;
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** One formatter per zone: building Intl formatters (or luxon DateTimes) per call is slow on a table. */
const timeParts = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant's wall-clock time in the zone, 24-hour: 'HH:mm', or 'HH:mm:ss' with seconds
 * (always Latin digits, whatever the locale). '' for a non-finite instant; throws on an unknown
 * zone.
 */
export function formatExchangeTime(t: number, zone: string, withSeconds = false): string {
  checkZone(zone);
  if (!Number.isFinite(t)) return '';
  let format = timeParts.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    timeParts.set(zone, format);
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of format.formatToParts(t)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'second') second = Number(part.value);
  }
  const hhmm = `${pad2(hour)}:${pad2(minute)}`;
  return withSeconds ? `${hhmm}:${pad2(second)}` : hhmm;
}
