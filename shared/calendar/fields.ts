// The one check for each kind of calendar value: an HH:mm time, a YYYY-MM-DD date, an IANA
// zone. The settings schema and the calendar math both ask here, so they cannot disagree.
// shared/: no Node, Electron or React imports.
import { DateTime, IANAZone } from 'luxon';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after midnight of an 'HH:mm' time (00:00–23:59), or null if it is not one. */
export function minutesOf(hhmm: unknown): number | null {
  if (typeof hhmm !== 'string') return null;
  const match = HHMM.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Whether a value is a real date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
  // The pattern first: luxon's ISO reader also takes 20260126 and week dates.
  return typeof value === 'string' && ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** Whether the IANA zone is known here (IANAZone.create caches its answer; DateTime.setZone does not). */
export function isKnownZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.trim() !== '' && IANAZone.create(zone).isValid;
}

/** The zone, or an error naming it: for code that cannot go on without one. */
export function knownZone(zone: string): string {
  if (!isKnownZone(zone)) throw new Error(`Unknown time zone "${zone}"`);
  return zone;
}
