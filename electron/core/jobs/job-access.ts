// What a job would make this computer read or fetch, for the same rule as the file-system
// settings (api-dispatch.ts): only the local user may point the app at other files. A history
// import from a folder reads any folder it is given; one from an archive address other than
// NSE's makes the host fetch any URL it is given (and report what came back).
import type { StartJobInput } from '../../../shared/jobs';

/** The kind name the processor registers for the history import (processor/history/import-job.ts). */
export const HISTORY_IMPORT_KIND = 'history-import';

/** The parameters of a job that reach beyond the app's own data: empty when there are none. */
export function jobReachesOutside(input: StartJobInput): string[] {
  if (input.kind !== HISTORY_IMPORT_KIND) return [];
  const params = input.params as { sources?: unknown } | null;
  const sources = params && typeof params === 'object' && Array.isArray(params.sources) ? (params.sources as unknown[]) : [];
  const reaches = sources.some((source) => {
    if (!source || typeof source !== 'object') return false;
    const { kind, baseUrl } = source as { kind?: unknown; baseUrl?: unknown };
    return kind === 'folder' || (kind === 'nse' && baseUrl !== undefined);
  });
  return reaches ? ['sources'] : [];
}
