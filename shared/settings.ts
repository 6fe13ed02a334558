// The app's settings and their validation. Shared so the dashboard can show the same limits
// and messages; zod gives field-named errors without hand-written checks. The exchange
// profile's schema lives with the calendar (calendar/profile.ts).
import { z } from 'zod';
import { exchangeProfileSchema } from './calendar/profile';

export const INTERVAL_LIMITS = { min: 1, max: 3600 } as const;

export const settingsSchema = z.object({
  dataDir: z.string().min(1, 'choose the folder your broker feed writes to'),
  // No .default() here: a patch parsed with .partial() would get the default back for a field it
  // leaves out, resetting a custom name. Defaults come from the store (defaultSettings).
  liveFileName: z.string().min(1).max(100).regex(/^[^\\/:*?"<>|]+$/, 'must be a file name without an extension'),
  historicalFileName: z.string().min(1).max(100).regex(/^[^\\/:*?"<>|]+$/, 'must be a file name without an extension'),
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
  /** Not used yet: the storage issue (raw-tick retention, compaction) gives it its meaning. */
  retentionDays: z.number().int().min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days'),
  /** Poll the folder instead of OS events: for network shares, where events do not arrive. */
  usePolling: z.boolean(),
  /**
   * The daily history (issue 11). importAfterClose: import the day's bhavcopy after the close
   * (a history-import job of that one session), so the live day's provisional point becomes final.
   * Optional so that settings files from before it load unchanged; absent means the defaults.
   */
  history: z.strictObject({ importAfterClose: z.boolean('must be true or false') }).optional(),
});

export type HistorySettings = NonNullable<z.infer<typeof settingsSchema>['history']>;
export const DEFAULT_HISTORY_SETTINGS: HistorySettings = { importAfterClose: false };

/** The history settings in force: the stored ones, or the defaults (off). */
export function historySettingsOf(settings: { history?: HistorySettings }): HistorySettings {
  return settings.history ?? DEFAULT_HISTORY_SETTINGS;
}

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsPatch = Partial<Settings>;
export const settingsPatchSchema = settingsSchema.partial().strict();

/** A problem at a path: a zod issue, or one a caller has re-pathed (the API boundary drops the argument's position). */
export interface PathedIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * One problem as a line naming its field: "intervalSeconds: must be at most 3600". A message
 * that starts with its own field's name is already a sentence ('zone "X" is not a known time
 * zone', 'sessionClose must be after sessionOpen'): it follows the parent's path with a dot.
 * A problem with the value as a whole (no path) is named `whole`.
 */
export function issueLine(issue: PathedIssue, whole = 'value'): string {
  const path = issue.path.map(String);
  const key = issue.path.at(-1);
  if (typeof key === 'string' && issue.message.startsWith(`${key} `)) {
    return [...path.slice(0, -1), issue.message].join('.');
  }
  return `${path.length ? path.join('.') : whole}: ${issue.message}`;
}

/** "intervalSeconds: must be at most 3600; exchange.zone "X" is not…": every problem, one line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => issueLine(issue)).join('; ');
}
