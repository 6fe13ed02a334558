// The market calendar's math: when the exchange trades, as pure functions of an instant and an
// exchange profile. luxon does the date and zone arithmetic, so the answers are the same
// whatever zone the computer runs in, and DST-correct for any profile.
// shared/: no Node, Electron or React imports; no clocks or timers (callers pass `now`).
import { DateTime } from 'luxon';
import { isIsoDate, knownZone, minutesOf } from './fields';
import type { ExchangeProfile, ExtraSession } from './profile';

export const REGULAR_SESSION_LABEL = 'Regular';

/** How far ahead `marketState` looks for the next session. */
export const NEXT_OPEN_SEARCH_DAYS = 400;

export type MarketPhase = 'open' | 'closed' | 'holiday' | 'weekend';

export interface MarketState {
  /**
   * 'open' inside a session [open, close); otherwise 'holiday' on a listed holiday, 'weekend' on
   * a day that is not a trading weekday, 'closed' before the open or after the close of a trading
   * day. A listed holiday that falls on a weekend is 'holiday'.
   */
  phase: MarketPhase;
  /** The exchange-local date of `now`, YYYY-MM-DD. */
  tradeDate: string;
  /** The extra session's label, or 'Regular', while open; null when not open. */
  sessionLabel: string | null;
  /** While open: the end of the current session. */
  currentClose: Date | null;
  /** While not open: the start of the next session (null if none within 400 days). */
  nextOpen: Date | null;
  /** The close of the current session if open, else of the next session. */
  nextClose: Date | null;
}

export interface MarketSession {
  open: Date;
  close: Date;
  label: string;
}

/** A profile indexed for repeated look-ups (holidays as a set, extra sessions by date). */
interface Calendar {
  zone: string;
  open: number | null;
  close: number | null;
  weekdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  extras: ReadonlyMap<string, ExtraSession[]>;
}

function calendarOf(profile: ExchangeProfile): Calendar {
  const extras = new Map<string, ExtraSession[]>();
  for (const extra of profile.extraSessions) {
    const list = extras.get(extra.date) ?? [];
    list.push(extra);
    extras.set(extra.date, list);
  }
  return {
    zone: knownZone(profile.zone),
    open: minutesOf(profile.sessionOpen),
    close: minutesOf(profile.sessionClose),
    weekdays: new Set(profile.weekdays),
    holidays: new Set(profile.holidays),
    extras,
  };
}

/** A calendar date as a luxon date in UTC: day arithmetic and weekdays without any DST. */
function calendarDay(isoDate: string): DateTime {
  return DateTime.fromISO(isoDate, { zone: 'utc' });
}

/** The instant of an exchange-local date and time (a time inside a DST gap moves forward). */
function instantAt(zone: string, day: DateTime, minutes: number): Date {
  const { year, month, day: date } = day;
  return DateTime.fromObject({ year, month, day: date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toJSDate();
}

/** Sessions of one calendar day, sorted by opening time. */
function sessionsOfDay(calendar: Calendar, day: DateTime): MarketSession[] {
  const date = day.toISODate()!;
  const sessions: MarketSession[] = [];
  const add = (open: number | null, close: number | null, label: string) => {
    if (open === null || close === null || close <= open) return; // invalid: the profile schema says why
    const session = { open: instantAt(calendar.zone, day, open), close: instantAt(calendar.zone, day, close), label };
    if (session.close > session.open) sessions.push(session);
  };
  if (calendar.weekdays.has(day.weekday) && !calendar.holidays.has(date)) {
    add(calendar.open, calendar.close, REGULAR_SESSION_LABEL);
  }
  for (const extra of calendar.extras.get(date) ?? []) {
    add(minutesOf(extra.open), minutesOf(extra.close), extra.label);
  }
  // Stable sort: for equal hours, the regular session comes before an extra one.
  return sessions.sort((a, b) => a.open.getTime() - b.open.getTime() || a.close.getTime() - b.close.getTime());
}

/** Every session on an exchange-local date (YYYY-MM-DD), sorted by opening time. */
export function sessionsOn(date: string, profile: ExchangeProfile): MarketSession[] {
  if (!isIsoDate(date)) throw new Error(`"${date}" is not a date like 2026-01-26`);
  return sessionsOfDay(calendarOf(profile), calendarDay(date));
}

/** Where the market stands at `now`: phase, trade date, and the next open and close. */
export function marketState(now: Date, profile: ExchangeProfile): MarketState {
  const calendar = calendarOf(profile);
  const local = DateTime.fromJSDate(now, { zone: calendar.zone });
  const tradeDate = local.toISODate()!;
  const t = now.getTime();
  const day = calendarDay(tradeDate);
  const today = sessionsOfDay(calendar, day);

  // Sessions never cross midnight (close > open on one date), so only today's can hold `now`.
  // If extra sessions overlap, the one that stays open longest is the current one.
  let current: MarketSession | null = null;
  for (const session of today) {
    if (session.open.getTime() <= t && t < session.close.getTime()) {
      if (!current || session.close >= current.close) current = session;
    }
  }
  if (current) {
    return { phase: 'open', tradeDate, sessionLabel: current.label, currentClose: current.close, nextOpen: null, nextClose: current.close };
  }

  let next: MarketSession | null = null;
  for (let offset = 0; offset <= NEXT_OPEN_SEARCH_DAYS && !next; offset++) {
    const sessions = offset === 0 ? today : sessionsOfDay(calendar, day.plus({ days: offset }));
    next = sessions.find((session) => session.open.getTime() > t) ?? null;
  }
  let phase: MarketPhase = 'closed';
  if (calendar.holidays.has(tradeDate)) phase = 'holiday';
  else if (!calendar.weekdays.has(local.weekday)) phase = 'weekend';
  return { phase, tradeDate, sessionLabel: null, currentClose: null, nextOpen: next?.open ?? null, nextClose: next?.close ?? null };
}
