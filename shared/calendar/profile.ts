// An exchange's calendar as data: zone, session hours, trading weekdays, holidays and extra
// sessions (a Saturday budget session, a Diwali muhurat hour). One zod schema is both the type
// and the only validation: the settings file, the dashboard's form and an imported holiday list
// all pass through it. Each message names its field (describeIssues in ../settings.ts).
// shared/: no Node, Electron or React imports.
import { z } from 'zod';
import { isIsoDate, isKnownZone, minutesOf } from './fields';

const time = (example: string) => z.string().refine((value) => minutesOf(value) !== null, `must be a time like ${example}`);
const isoDate = (example: string) => z.string().refine(isIsoDate, `must be a date like ${example}`);
const text = (max: number) => z.string().max(max).refine((value) => value.trim() !== '', 'must not be empty');
const WEEKDAY = 'must be an ISO weekday (1=Mon..7=Sun)';

/**
 * A session must last: `closeKey` after `openKey`, checked once both are times. The message
 * starts with the field's name, so it reads whole beside the input and after its parent's path.
 */
function closesAfterOpen<T extends Record<K, string>, K extends string>(openKey: K, closeKey: K) {
  return (value: T, ctx: z.RefinementCtx) => {
    const open = minutesOf(value[openKey]);
    const close = minutesOf(value[closeKey]);
    if (open !== null && close !== null && close <= open) {
      ctx.addIssue({ code: 'custom', path: [closeKey], message: `${closeKey} must be after ${openKey}` });
    }
  };
}

export const extraSessionSchema = z
  .object({
    /** YYYY-MM-DD, exchange-local. */
    date: isoDate('2026-02-01'),
    /** HH:mm, exchange-local. */
    open: time('18:00'),
    /** HH:mm, exchange-local; after `open`. */
    close: time('19:00'),
    label: text(60),
  })
  .superRefine(closesAfterOpen('open', 'close'));

export const exchangeProfileSchema = z
  .object({
    name: text(40),
    /** IANA time zone, e.g. 'Asia/Kolkata'. */
    zone: z.string().refine(isKnownZone, {
      error: (issue) => `zone ${JSON.stringify(issue.input)} is not a known time zone (use an IANA name such as Asia/Kolkata)`,
    }),
    /** HH:mm, e.g. '09:15'. */
    sessionOpen: time('09:15'),
    /** HH:mm, e.g. '15:30'; after `sessionOpen`. */
    sessionClose: time('15:30'),
    /** ISO weekdays with a regular session, 1 = Monday … 7 = Sunday. */
    weekdays: z.array(z.number(WEEKDAY).int(WEEKDAY).min(1, WEEKDAY).max(7, WEEKDAY)).max(7),
    /** YYYY-MM-DD exchange-local dates with no regular session. */
    holidays: z.array(isoDate('2026-01-26')).max(2000),
    /** Sessions outside the regular calendar; one on a holiday still trades at its own hours. */
    extraSessions: z.array(extraSessionSchema).max(100),
  })
  .superRefine(closesAfterOpen('sessionOpen', 'sessionClose'));

export type ExtraSession = z.infer<typeof extraSessionSchema>;
export type ExchangeProfile = z.infer<typeof exchangeProfileSchema>;

export const NSE_PROFILE: ExchangeProfile = {
  name: 'NSE',
  zone: 'Asia/Kolkata',
  sessionOpen: '09:15',
  sessionClose: '15:30',
  weekdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraSessions: [],
};
