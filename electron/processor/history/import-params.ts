// The history-import job's parameters: what to import (a date range), from where (sources, in
// order), which stocks count (the universe) and how (force, the archive's politeness). Validated
// with zod when the job is started, so a bad request is refused in one line and nothing is queued.
// Shared by the job (import-job.ts) and the CLI; plain data, safe to persist as the job's params.
import path from 'node:path';
import { z } from 'zod';
import { isIsoDate } from '../../../shared/calendar/fields';

/** The longest range one job takes: ten years of sessions (~2,500 days). */
export const MAX_IMPORT_YEARS = 10;
const MAX_SPAN_DAYS = MAX_IMPORT_YEARS * 366;
const DAY_MS = 86_400_000;

const isoDate = z.string('must be a date like 2025-11-01').refine(isIsoDate, 'must be a date like 2025-11-01');

const folderSource = z.strictObject({
  kind: z.literal('folder'),
  /** Searched recursively for .csv and .zip bhavcopies in either layout. */
  dir: z.string().min(1, 'must name a folder').refine(path.isAbsolute, 'must be an absolute path'),
});

const nseSource = z.strictObject({
  kind: z.literal('nse'),
  /** Default https://nsearchives.nseindia.com; tests and the bench point it at the loopback archive. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export const sourceParamsSchema = z.discriminatedUnion('kind', [folderSource, nseSource], {
  error: 'must be { kind: "folder", dir } or { kind: "nse", baseUrl? }',
});

const seriesUniverse = z.strictObject({
  /** EQ, or EQ and BE (EQ first: a symbol under both counts once, as EQ). */
  series: z.array(z.enum(['EQ', 'BE'])).refine(
    (series) => (series.length === 1 && series[0] === 'EQ') || (series.length === 2 && series[0] === 'EQ' && series[1] === 'BE'),
    'must be ["EQ"] or ["EQ", "BE"]',
  ),
});

/** Only the symbols of the Historical workbook in the processor's data folder (series EQ). */
const workbookUniverse = z.strictObject({ historicalWorkbook: z.literal(true) });

export const historyImportParamsSchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    sources: z.array(sourceParamsSchema).min(1, 'must name at least one source').max(4).default([{ kind: 'nse' }]),
    universe: z.union([seriesUniverse, workbookUniverse], { error: 'must be { series: ["EQ"] }, { series: ["EQ", "BE"] } or { historicalWorkbook: true }' })
      .default({ series: ['EQ'] }),
    /** Import days already imported from identical content again. */
    force: z.boolean().default(false),
    /** NSE's archive: requests per second at most (default 1), per-request timeout, retries after the first. */
    rateLimitPerSecond: z.number().positive('must be above 0').max(1000, 'must be at most 1000').optional(),
    timeoutMs: z.number().int().min(100, 'must be at least 100').max(300_000, 'must be at most 300000').optional(),
    retries: z.number().int().min(0, 'must be 0 or more').max(10, 'must be at most 10').optional(),
  })
  .superRefine((params, ctx) => {
    if (!isIsoDate(params.from) || !isIsoDate(params.to)) return;
    if (params.to < params.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range ends (${params.to}) before it starts (${params.from})` });
      return;
    }
    const span = (Date.parse(`${params.to}T00:00:00Z`) - Date.parse(`${params.from}T00:00:00Z`)) / DAY_MS;
    if (span > MAX_SPAN_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range ${params.from} to ${params.to} is longer than ${MAX_IMPORT_YEARS} years; import it in parts` });
    }
  });

export type HistoryImportParams = z.infer<typeof historyImportParamsSchema>;
/** What a caller writes: the defaults may be left out. */
export type HistoryImportInput = z.input<typeof historyImportParamsSchema>;
export type SourceParams = z.infer<typeof sourceParamsSchema>;
