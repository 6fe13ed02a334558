// What the tray shows, decided without Electron so it is tested under Node.
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';

export type TrayState = 'running' | 'stopped' | 'closed' | 'error';

export function trayState(status: AppStatus): TrayState {
  if (status.breaker.state !== 'closed' || status.processor.health === 'restarting' || status.lastRun?.status === 'failed') return 'error';
  if (!status.running) return 'stopped';
  return status.market.phase === 'open' ? 'running' : 'closed';
}

/** e.g. "LiveBreadth — A 120 · D 80 · 1.50 (NSE open)". */
export function trayTooltip(status: AppStatus, snapshot: Snapshot | null): string {
  const market = `${status.market.exchange} ${status.market.phase}`;
  const auto = status.running ? '' : ', auto-processing off';
  if (!snapshot) return `LiveBreadth — no snapshot yet (${market}${auto})`;
  const ratio = snapshot.adRatio === null ? '—' : snapshot.adRatio.toFixed(2);
  return `LiveBreadth — A ${snapshot.advances} · D ${snapshot.declines} · ${ratio} (${market}${auto})`;
}

/** What the tray's menu shows that can change: its menu is rebuilt only when this does. */
export interface TrayMenuModel {
  autoProcessing: boolean;
}

export function trayMenuModel(status: AppStatus): TrayMenuModel {
  return { autoProcessing: status.running };
}

/** Everything the tray shows for a status; compared with the last one so a cycle redraws only what changed. */
export interface TrayView {
  state: TrayState;
  tooltip: string;
  menu: TrayMenuModel;
}

export function trayView(status: AppStatus, snapshot: Snapshot | null): TrayView {
  return { state: trayState(status), tooltip: trayTooltip(status, snapshot), menu: trayMenuModel(status) };
}

/** Which parts of the tray to redo: a status arrives every cycle, and rebuilding a native menu each time is waste. */
export function trayChanges(previous: TrayView | null, next: TrayView): { image: boolean; tooltip: boolean; menu: boolean } {
  return {
    image: previous?.state !== next.state,
    tooltip: previous?.tooltip !== next.tooltip,
    menu: previous === null || previous.menu.autoProcessing !== next.menu.autoProcessing,
  };
}

/**
 * The open-at-login value to write, or null when the system already has it: writing it is a
 * registry write on Windows, and a status arrives every cycle.
 */
export function loginItemChange(applied: boolean | null, wanted: boolean): boolean | null {
  return applied === wanted ? null : wanted;
}

/** Which events deserve a native notification, and its words. */
export function notificationFor(
  event: 'feedStale' | 'breakerOpened' | 'processorCrashed' | 'dataFolderMissing',
  detail: string,
): { title: string; body: string } {
  switch (event) {
    case 'feedStale':
      return { title: 'Live feed is stale', body: detail };
    case 'breakerOpened':
      return { title: 'LiveBreadth paused automatic cycles', body: detail };
    case 'processorCrashed':
      return { title: 'LiveBreadth processor restarted', body: detail };
    case 'dataFolderMissing':
      return { title: 'Data folder not found', body: detail };
  }
}

/** A crashed processor's notification text: the status's one line, and where its output is logged. */
export function processorCrashDetail(processor: AppStatus['processor']): string {
  const crash = processor.lastCrash ?? 'The processor stopped unexpectedly.';
  return processor.logFile ? `${crash}. Its output is in ${processor.logFile}` : crash;
}
