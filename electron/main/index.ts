// main/: Electron only — app lifecycle, the window, the tray, notifications, the IPC bridge and
// the utilityProcess launcher. Every behaviour that can live without Electron is in
// electron/core, where it is tested. May import electron; imported by nothing.
import { app, Notification, powerMonitor, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';
import { createCore } from '../core/launch-core';
import { notificationFor } from '../core/tray-model';
import { registerIpcBridge } from './ipc-bridge';
import { AppTray } from './tray';
import { launchUtilityProcessor } from './utility-processor';
import { createDashboardWindow } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit(); // a second launch hands over to the first (see 'second-instance')
} else {
  void main();
}

async function main(): Promise<void> {
  let window: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  let quitting = false;
  let latest: Snapshot | null = null;
  let lastStatus: AppStatus | null = null;

  await app.whenReady();
  const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
  const { core, settings } = createCore({
    userDataDir: app.getPath('userData'),
    defaultDataDir: path.join(app.getPath('documents'), 'live_data'),
    launch: launchUtilityProcessor,
  });

  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createDashboardWindow({ hideOnClose: () => settings.get().hideToTrayOnClose, isQuitting: () => quitting });
      window.on('closed', () => (window = null));
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  const notify = (kind: Parameters<typeof notificationFor>[0], detail: string) => {
    if (Notification.isSupported()) new Notification(notificationFor(kind, detail)).show();
  };
  core.on('snapshot', (s) => (latest = s));
  core.on('feedStale', ({ ageSeconds }) => notify('feedStale', `Live has not changed for ${ageSeconds ?? '?'} s during the session.`));
  core.on('status', (status) => {
    if (lastStatus?.breaker.state === 'closed' && status.breaker.state === 'open') notify('breakerOpened', status.error ?? '');
    if (lastStatus && status.processor.restarts > lastStatus.processor.restarts) notify('processorCrashed', status.processor.lastCrash ?? '');
    lastStatus = status;
    app.setLoginItemSettings({ openAtLogin: settings.get().startAtLogin });
    tray?.update(status, latest);
  });

  registerIpcBridge(core, () => window);
  tray = new AppTray(resourcesDir, {
    toggleAuto: (on) => void (on ? core.start() : core.stop()),
    processNow: () => void core.processNow(),
    openDashboard: showWindow,
    openDataFolder: () => void shell.openPath(settings.get().dataDir),
    quit: () => app.quit(),
  });

  powerMonitor.on('resume', () => core.resume());
  powerMonitor.on('unlock-screen', () => core.resume());

  app.on('window-all-closed', () => {
    // Stay in the tray; Quit is explicit.
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    // Let the running cycle finish and the processor flush before exiting.
    void core.shutdown().finally(() => {
      tray?.destroy();
      app.exit(0);
    });
  });

  await core.init();
  latest = await core.getLatestSnapshot();
  tray.update(await core.getStatus(), latest);
  showWindow();
}
