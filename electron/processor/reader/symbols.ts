// Symbol normalisation: the same stock written by different terminals must compare equal.

import { rememberedByText } from './remembered';

const PREFIX = /^(?:NSE|BSE|NFO|MCX)(?:_[A-Z]{2})?\s*[:|]\s*/; // NSE:, BSE:, NSE_EQ|, NSE_CM|
const SUFFIX = /(?:-EQ|\.NS|\.BO)$/;

/** Trimmed, upper-cased, exchange prefix and series suffix removed; `&` and inner `-` kept. */
export function normalizeSymbol(raw: string | null): string | null {
  return raw == null ? null : normalizeRemembered(raw);
}

const normalizeRemembered = rememberedByText(normalize);

function normalize(raw: string): string | null {
  let symbol = raw.trim().toUpperCase();
  symbol = symbol.replace(PREFIX, '').replace(SUFFIX, '').trim();
  return symbol === '' ? null : symbol;
}

/** Longest symbol a rejected row carries into the run log; real symbols are under 20 characters. */
export const RECORDED_SYMBOL_LENGTH = 32;

/**
 * A symbol as a rejected row records it: clipped, so a cell of arbitrary text in the symbol
 * column is not copied whole into the run log and every message that quotes it.
 */
export function recordedSymbol(symbol: string | null): string | null {
  return symbol !== null && symbol.length > RECORDED_SYMBOL_LENGTH ? `${symbol.slice(0, RECORDED_SYMBOL_LENGTH - 1)}…` : symbol;
}
