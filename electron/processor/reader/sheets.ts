// Which sheet to read: brokers' templates often keep one sheet per trading day.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return null; // 31-02-2026 is not a date
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The date a sheet is named after, YYYY-MM-DD, or null. Accepted: 20-11-2026, 20.11.2026,
 * 20/11/2026, 2026-11-20, 20-Nov-2026, 20 Nov 2026 (day first, as Indian sheets are written).
 */
export function sheetNameDate(name: string): string | null {
  const s = name.trim();
  let m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(s);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-\s]([A-Za-z]{3,9})[-\s](\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase());
    if (month >= 0) return isoDate(Number(m[3]), month + 1, Number(m[1]));
  }
  return null;
}

/**
 * Sheet names in the order to try them. Dated sheets first: today's (when given), then the
 * latest date back; then the undated sheets in workbook order, should no dated sheet have a
 * header.
 */
export function sheetCandidates(names: readonly string[], today?: string): string[] {
  const dated = names
    .map((name) => ({ name, date: sheetNameDate(name) }))
    .filter((s): s is { name: string; date: string } => s.date !== null);
  if (dated.length === 0) return [...names];
  dated.sort((a, b) => {
    if (today !== undefined && (a.date === today) !== (b.date === today)) {
      return a.date === today ? -1 : 1;
    }
    return b.date.localeCompare(a.date);
  });
  const datedNames = new Set(dated.map((s) => s.name));
  return [...dated.map((s) => s.name), ...names.filter((n) => !datedNames.has(n))];
}
