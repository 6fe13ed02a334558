// settings/: the settings file, and what a change of settings does to the running app. The
// decision is a pure comparison of the old and new settings; the applier carries it out.
// May import shared/ and nothing else of core's (the parts it drives come in as functions).
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { parseHolidayFile } from './holiday-file';
import { SettingsError, type SettingsStore } from './settings-store';

export interface SettingsChange {
  /** The processor reads the folder, the file names and the zone: it reopens with them. */
  reconfigureProcessor: boolean;
  /** Another folder, other file names or another way of watching: a new watch. */
  rewatchFolder: boolean;
  /** Auto-processing switched on or off; null when unchanged. */
  autoProcessing: 'start' | 'stop' | null;
}

export function planSettingsChange(before: Settings, after: Settings): SettingsChange {
  const rewatchFolder = before.dataDir !== after.dataDir || before.liveFileName !== after.liveFileName ||
    before.historicalFileName !== after.historicalFileName || before.usePolling !== after.usePolling;
  return {
    reconfigureProcessor: rewatchFolder || before.exchange.zone !== after.exchange.zone,
    rewatchFolder,
    autoProcessing: after.autoStart === before.autoStart ? null : after.autoStart ? 'start' : 'stop',
  };
}

/** The running parts a settings change may touch. */
export interface SettingsTargets {
  reconfigureProcessor(): Promise<void>;
  rewatchFolder(): Promise<void>;
  startAutoProcessing(): void;
  stopAutoProcessing(): void;
  /** Plan the schedule again: the interval, the session or the stale threshold may have changed. */
  replan(): void;
}

export class SettingsApplier {
  constructor(private readonly store: SettingsStore, private readonly targets: SettingsTargets) {}

  /** Validates and saves the change (a bad value changes nothing), then applies it. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const before = this.store.get();
    const after = this.store.update(patch);
    const change = planSettingsChange(before, after);
    if (change.reconfigureProcessor) await this.targets.reconfigureProcessor();
    if (change.rewatchFolder) await this.targets.rewatchFolder();
    if (change.autoProcessing === 'start') this.targets.startAutoProcessing();
    if (change.autoProcessing === 'stop') this.targets.stopAutoProcessing();
    this.targets.replan();
    return after;
  }

  /** Adds the holidays in an imported file to the exchange's; an unreadable file changes nothing. */
  async importHolidays(fileName: string, content: string): Promise<Settings> {
    let dates: string[];
    try {
      dates = parseHolidayFile(content, fileName);
    } catch (error) {
      throw new SettingsError((error as Error).message);
    }
    const exchange = this.store.get().exchange;
    const holidays = [...new Set([...exchange.holidays, ...dates])].sort();
    return this.update({ exchange: { ...exchange, holidays } });
  }
}
