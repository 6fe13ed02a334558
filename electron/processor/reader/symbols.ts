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
