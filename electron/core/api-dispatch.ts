// The boundary every call crosses, from IPC or WebSocket: the method must exist and its
// arguments must pass the contract's schema, or the caller gets a clear refusal.
import { ApiError, apiArgs, isApiMethod, type ApiErrorShape, type LiveBreadthApi } from '../../shared/api';
import type { z } from 'zod';
import { SettingsError } from './settings-store';

export { ApiError };

/** "intervalSeconds: must be at most 3600 seconds" rather than "0.intervalSeconds: …". */
function describeArgumentIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const [first, ...rest] = issue.path;
      const field = rest.length ? rest.join('.') : typeof first === 'number' ? `argument ${first + 1}` : 'arguments';
      return `${field}: ${issue.message}`;
    })
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

export async function dispatchApiCall(api: LiveBreadthApi, method: unknown, args: unknown, caller: ApiCaller = LOCAL_CALLER): Promise<unknown> {
  void caller; // enforced by the settings rules (issue 9); the parameter fixes the boundary's shape
  if (!isApiMethod(method)) throw new ApiError('unknown-method', `Unknown call "${String(method)}"`);
  const list = Array.isArray(args) ? args : args === undefined ? [] : [args];
  // JSON cannot carry undefined: a null argument means "omitted" (no call takes a null).
  const parsed = apiArgs[method].safeParse(list.map((a: unknown) => (a === null ? undefined : a)));
  if (!parsed.success) throw new ApiError('bad-input', `${method}: ${describeArgumentIssues(parsed.error)}`);
  try {
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
