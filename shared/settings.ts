// The app's settings and their validation. Shared so the dashboard can show the same limits
// and messages; zod gives field-named errors without hand-written checks.
import { z } from 'zod';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const extraSessionSchema = z.object({
  date: z.string().regex(ISO_DATE, 'must be a date like 2026-02-01'),
  open: z.string().regex(HHMM, 'must be a time like 09:15'),
  close: z.string().regex(HHMM, 'must be a time like 15:30'),
  label: z.string().min(1).max(60),
});

export const exchangeProfileSchema = z.object({
  name: z.string().min(1).max(40),
  zone: z.string().min(1),
  sessionOpen: z.string().regex(HHMM, 'must be a time like 09:15'),
  sessionClose: z.string().regex(HHMM, 'must be a time like 15:30'),
  weekdays: z.array(z.number().int().min(1).max(7)).max(7),
  holidays: z.array(z.string().regex(ISO_DATE, 'must be a date like 2026-01-26')).max(2000),
  extraSessions: z.array(extraSessionSchema).max(100),
});

export const INTERVAL_LIMITS = { min: 1, max: 3600 } as const;

export const settingsSchema = z.object({
  dataDir: z.string().min(1, 'choose the folder your broker feed writes to'),
  liveFileName: z.string().min(1).max(100).regex(/^[^\\/:*?"<>|]+$/, 'must be a file name without an extension').default('Live'),
  historicalFileName: z.string().min(1).max(100).regex(/^[^\\/:*?"<>|]+$/, 'must be a file name without an extension').default('Historical'),
  exchange: exchangeProfileSchema,
  intervalSeconds: z
    .number('must be a number of seconds')
    .int('must be a whole number of seconds')
    .min(INTERVAL_LIMITS.min, `must be at least ${INTERVAL_LIMITS.min} second`)
    .max(INTERVAL_LIMITS.max, `must be at most ${INTERVAL_LIMITS.max} seconds (an hour)`),
  autoStart: z.boolean(),
  hideToTrayOnClose: z.boolean(),
  startAtLogin: z.boolean(),
  staleAfterSeconds: z.number().int().min(5, 'must be at least 5 seconds').max(3600, 'must be at most 3600 seconds'),
  retentionDays: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days'),
  /** Poll the folder instead of OS events: for network shares, where events do not arrive. */
  usePolling: z.boolean(),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;
export const settingsPatchSchema = settingsSchema.partial().strict();

/** "intervalSeconds: must be at most 3600" — one line per problem, naming the field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length ? issue.path.join('.') : 'value';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
