// Settings persisted as a validated JSON file in the user's data directory. A bad value is
// refused with a message naming the field; a damaged file falls back to defaults and says so.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { NSE_PROFILE } from '../../../shared/market-calendar';
import { describeIssues, settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../../../shared/settings';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

export function defaultSettings(dataDir: string): Settings {
  return {
    dataDir,
    liveFileName: 'Live',
    historicalFileName: 'Historical',
    exchange: structuredClone(NSE_PROFILE),
    intervalSeconds: 6,
    autoStart: true,
    hideToTrayOnClose: true,
    startAtLogin: false,
    staleAfterSeconds: 60,
    retentionDays: 90,
    usePolling: false,
  };
}

/** Validates a whole settings object against the one schema (the exchange profile's zone and times included). */
export function validateSettings(candidate: unknown): Settings {
  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) throw new SettingsError(describeIssues(parsed.error));
  return parsed.data;
}

/**
 * Why `dir` cannot be the data folder, or null: it must be an existing folder, or a typo would
 * watch nothing and process nothing, silently.
 */
export function dataDirProblem(dir: string, stat: (p: string) => { isDirectory(): boolean } = statSync): string | null {
  try {
    if (stat(dir).isDirectory()) return null;
  } catch {
    // missing or unreadable: the same answer
  }
  return `dataDir: no folder at ${dir}`;
}

export class SettingsStore {
  private current: Settings;
  /** Why the stored file was not used, if it was not; shown once in the status. */
  readonly loadProblem: string | null = null;

  /**
   * `overrides` apply for this run only and are not written (the command line's --data, the
   * demo's round-the-clock session); a settings change to an overridden field replaces it.
   */
  constructor(
    private readonly file: string,
    defaults: Settings,
    private readonly overrides: Partial<Settings> = {},
  ) {
    let raw: string | null = null;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      raw = null; // first run
    }
    if (raw === null) {
      this.current = defaults;
      return;
    }
    try {
      this.current = validateSettings({ ...defaults, ...JSON.parse(raw) });
    } catch (error) {
      this.current = defaults;
      this.loadProblem = `Settings file ${file} was not used (${(error as Error).message}); defaults apply`;
    }
  }

  get(): Settings {
    return structuredClone({ ...this.current, ...this.overrides });
  }

  /**
   * Applies a partial change after validating it; nothing changes when any field is bad. A new
   * data folder must exist; the current one, sent back unchanged with the rest of a settings
   * form, is not re-checked (a network share that is briefly away must not block other changes).
   */
  update(patch: SettingsPatch): Settings {
    const checked = settingsPatchSchema.safeParse(patch);
    if (!checked.success) throw new SettingsError(describeIssues(checked.error));
    const next = validateSettings({ ...this.current, ...this.overrides, ...checked.data });
    if (checked.data.dataDir !== undefined && checked.data.dataDir !== this.get().dataDir) {
      const problem = dataDirProblem(checked.data.dataDir);
      if (problem) throw new SettingsError(problem);
    }
    const persisted = validateSettings({ ...this.current, ...checked.data });
    this.write(persisted);
    this.current = persisted;
    for (const key of Object.keys(checked.data) as Array<keyof Settings>) {
      if (key in this.overrides) (this.overrides as Record<string, unknown>)[key] = next[key];
    }
    return this.get();
  }

  /**
   * Never a half-written settings file: a temp file, synced, renamed over it. The temp file's
   * name is this process's and this write's own, so two processes on one file (the app and
   * `serve` on one user-data folder) never write into, or rename, each other's.
   */
  private write(settings: Settings): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic.sync(this.file, `${JSON.stringify(settings, null, 2)}\n`);
  }
}
