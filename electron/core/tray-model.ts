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

/** Which events deserve a native notification, and its words. */
export function notificationFor(
  event: 'feedStale' | 'breakerOpened' | 'processorCrashed',
  detail: string,
): { title: string; body: string } {
  switch (event) {
    case 'feedStale':
      return { title: 'Live feed is stale', body: detail };
    case 'breakerOpened':
      return { title: 'LiveBreadth paused automatic cycles', body: detail };
    case 'processorCrashed':
      return { title: 'LiveBreadth processor restarted', body: detail };
  }
}
