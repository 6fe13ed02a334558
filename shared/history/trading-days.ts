// Which dates in a range the exchange traded on, per the app's calendar: the days a history import
// asks a source for. A weekend or a listed holiday is never asked for; a day with only an extra
// session (a budget Saturday, a muhurat hour on a holiday) is, since NSE publishes its bhavcopy.
// The rule is sessionsOn's (a date with at least one session), answered without building each
// session's instants: sessionsOn costs ~1 ms a day, too much for years of days.
// shared/: no Node, Electron or React imports.
import { isIsoDate, minutesOf } from '../calendar/fields';
import { sessionsOn, type ExchangeProfile } from '../market-calendar';

/** Longest range asked for at once: NSE's whole history is ~32 years. */
export const MAX_RANGE_DAYS = 40 * 366;

const DAY_MS = 86_400_000;

/** The trading dates from `from` to `to`, both included, oldest first (YYYY-MM-DD, exchange-local). */
export function tradingDaysBetween(from: string, to: string, profile: ExchangeProfile): string[] {
  if (!isIsoDate(from)) throw new Error(`"${from}" is not a date like 2026-01-26`);
  if (!isIsoDate(to)) throw new Error(`"${to}" is not a date like 2026-01-26`);
  if (to < from) throw new Error(`The range ends (${to}) before it starts (${from})`);
  const first = Date.parse(`${from}T00:00:00Z`);
  const span = (Date.parse(`${to}T00:00:00Z`) - first) / DAY_MS;
  if (span > MAX_RANGE_DAYS) throw new Error(`The range ${from} to ${to} is longer than 40 years`);
  const open = minutesOf(profile.sessionOpen);
  const close = minutesOf(profile.sessionClose);
  const regular = open !== null && close !== null && close > open;
  const weekdays = new Set(profile.weekdays);
  const holidays = new Set(profile.holidays);
  const extraDates = new Set(profile.extraSessions.map((extra) => extra.date));
  const days: string[] = [];
  for (let offset = 0; offset <= span; offset++) {
    const day = new Date(first + offset * DAY_MS); // UTC midnight: calendar arithmetic without DST
    const date = day.toISOString().slice(0, 10);
    const isoWeekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (regular && weekdays.has(isoWeekday) && !holidays.has(date)) days.push(date);
    else if (extraDates.has(date) && sessionsOn(date, profile).length > 0) days.push(date); // rare: let the calendar decide
  }
  return days;
}
