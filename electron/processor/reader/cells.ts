// Cell values as the reader sees them, whatever wrote the file: the numbers, text and dates
// the row rules need, with error cells and placeholders already turned into "missing" (null).

import { rememberedByText } from './remembered';

export type CellValue = number | string | Date | null;

const MISSING_TEXT = new Set(['', '-', '--', 'n/a', 'na', '#n/a', 'nan', 'null']);

/** exceljs hands back formulas, rich text, hyperlinks and errors as objects; flatten them. */
export function fromExcelValue(raw: unknown): CellValue {
  if (raw == null) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'string') return raw;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (typeof raw === 'boolean') return null;
  if (typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if ('error' in o) return null;
    if ('result' in o) return fromExcelValue(o.result); // formula: its cached result
    if ('formula' in o || 'sharedFormula' in o) return null; // formula never calculated
    if (Array.isArray(o.richText)) {
      return (o.richText as Array<{ text?: unknown }>).map((r) => String(r.text ?? '')).join('');
    }
    if ('text' in o) return fromExcelValue(o.text); // hyperlink
  }
  return null;
}

/** A number from a cell: numbers as they are, text like "1,234.50" or " 987.65 " parsed. */
export function toNumber(value: CellValue): number | null {
  if (value == null || value instanceof Date) return null;
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (MISSING_TEXT.has(text.toLowerCase()) || text.startsWith('#')) return null;
  // Thousands separators (1,234.50 and Indian 1,23,456.75) and inner spaces are cosmetic.
  const cleaned = text.replace(/[,\s\u00a0]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

export function toText(value: CellValue): string | null {
  if (value == null) return null;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? cleanTextRemembered(value) : cleanText(String(value));
}

function cleanText(raw: string): string | null {
  const text = raw.trim();
  if (MISSING_TEXT.has(text.toLowerCase()) || /^#[A-Z/0!?]+[!?A]?$/i.test(text)) return null;
  return text;
}

const cleanTextRemembered = rememberedByText(cleanText);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A last-trade time as HH:MM:SS. Excel stores a time as a fraction of a day; whole days are
 * the only difference between the 1900 and 1904 date systems, so the time of day is the same
 * in both. Readers that turn time cells into Dates anchor them at UTC midnight.
 */
export function toTimeOfDay(value: CellValue): string | null {
  if (value == null) return null;
  if (value instanceof Date) {
    return `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  }
  if (typeof value === 'number') {
    const fraction = value - Math.floor(value);
    const seconds = Math.round(fraction * 86_400) % 86_400;
    return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  }
  return toText(value);
}
