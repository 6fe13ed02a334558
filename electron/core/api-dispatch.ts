// The boundary every call crosses, from IPC or WebSocket: the method must exist and its
// arguments must pass the contract's schema, or the caller gets a clear refusal.
import { ApiError, apiArgs, isApiMethod, type ApiErrorShape, type LiveBreadthApi } from '../../shared/api';
import { issueLine, type Settings, type SettingsPatch } from '../../shared/settings';
import type { StartJobInput } from '../../shared/jobs';
import type { z } from 'zod';
import { jobReachesOutside } from './jobs/job-access';
import { SettingsError } from './settings/settings-store';

export { ApiError };

/**
 * Each problem named as settings name theirs (issueLine), within its argument:
 * "intervalSeconds: must be at most 3600 seconds" rather than "0.intervalSeconds: …"; a problem
 * with a whole argument names its position ("argument 1: …"), one with the list "arguments: …".
 */
function describeArgumentIssues(error: z.ZodError): string {
  return error.issues
    .map(({ path: [position, ...field], message }) => issueLine({ path: field, message }, typeof position === 'number' ? `argument ${position + 1}` : 'arguments'))
    .join('; ');
}

/**
 * Who is calling. The desktop window and a dashboard on this computer's loopback are the local
 * user; a dashboard reached over the network (the host bound off loopback, with a token) is not,
 * and may not point the app at other files (see fileSystemSettingsAllowed).
 */
export interface ApiCaller {
  /** The local user: may change settings that point at the file system. */
  readonly local: boolean;
}

export const LOCAL_CALLER: ApiCaller = { local: true };

/** Settings that make the app read files: whoever sets them chooses what the processor opens. */
export const FILE_SYSTEM_SETTINGS = ['dataDir', 'liveFileName', 'historicalFileName'] as const satisfies ReadonlyArray<keyof Settings>;

/**
 * The file-system settings this patch would change. A value equal to the current one is no
 * change: the dashboard's settings form sends every field back on each save.
 */
export function fileSystemSettingsChanged(patch: SettingsPatch, current: Settings): Array<(typeof FILE_SYSTEM_SETTINGS)[number]> {
  return FILE_SYSTEM_SETTINGS.filter((key) => patch[key] !== undefined && patch[key] !== current[key]);
}

/** Field-named, so the dashboard shows it beside the field; says nothing about the path asked for. */
export function fileSystemSettingRefusal(fields: readonly string[]): ApiError {
  return new ApiError(
    'forbidden',
    fields.map((f) => `${f}: can be changed only on the computer LiveBreadth runs on (in the desktop app, or a dashboard opened there)`).join('; '),
  );
}

/** A job that would read a folder or fetch an address of the caller's choosing, from the network. */
export function outsideJobRefusal(fields: readonly string[]): ApiError {
  return new ApiError(
    'forbidden',
    fields.map((f) => `${f}: a folder or an archive address other than NSE's can be chosen only on the computer LiveBreadth runs on`).join('; '),
  );
}

export async function dispatchApiCall(api: LiveBreadthApi, method: unknown, args: unknown, caller: ApiCaller = LOCAL_CALLER): Promise<unknown> {
  if (!isApiMethod(method)) throw new ApiError('unknown-method', `Unknown call "${String(method)}"`);
  const list = Array.isArray(args) ? args : args === undefined ? [] : [args];
  // JSON cannot carry undefined: a null argument means "omitted" (no call takes a null).
  const parsed = apiArgs[method].safeParse(list.map((a: unknown) => (a === null ? undefined : a)));
  if (!parsed.success) throw new ApiError('bad-input', `${method}: ${describeArgumentIssues(parsed.error)}`);
  try {
    if (method === 'updateSettings' && !caller.local) {
      // Before the core sees the patch, so a network client cannot probe which folders exist.
      const [patch] = parsed.data as [SettingsPatch];
      const changed = fileSystemSettingsChanged(patch, await api.getSettings());
      if (changed.length) throw fileSystemSettingRefusal(changed);
    }
    if (method === 'startJob' && !caller.local) {
      const outside = jobReachesOutside((parsed.data as [StartJobInput])[0]);
      if (outside.length) throw outsideJobRefusal(outside);
    }
    return await (api[method] as (...a: unknown[]) => Promise<unknown>)(...(parsed.data as unknown[]));
  } catch (error) {
    if (error instanceof SettingsError) throw new ApiError('bad-input', error.message);
    if (error instanceof ApiError) throw error;
    throw new ApiError('failed', (error as Error).message);
  }
}

export function toApiError(error: unknown): ApiErrorShape {
  if (error instanceof ApiError) return error.toJSON();
  return { code: 'failed', message: (error as Error)?.message ?? String(error) };
}
