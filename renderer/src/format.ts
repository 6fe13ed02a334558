// Numbers as a trader reads them. Missing reads as "—", never as 0.
export const MISSING = '—';

// Indian digit grouping (1,23,456.75). One formatter per precision: toLocaleString builds a
// new one on every call, which costs more than the rest of a table render.
const formatters = new Map<number, Intl.NumberFormat>();

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  let format = formatters.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-IN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(digits, format);
  }
  return format.format(value);
}

export function pct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? MISSING : `${num(value, digits)}%`;
}

export function signed(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return MISSING;
  const text = num(Math.abs(value), digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function compactVolume(value: number | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  if (value >= 1e7) return `${num(value / 1e7, 2)} Cr`;
  if (value >= 1e5) return `${num(value / 1e5, 2)} L`;
  return num(value);
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return MISSING;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function ago(seconds: number | null): string {
  if (seconds === null) return MISSING;
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s ago`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min ago`;
}
