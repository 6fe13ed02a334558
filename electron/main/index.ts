// main/: Electron only — app lifecycle, the window, the tray, notifications, the IPC bridge and
// the utilityProcess launcher. Every behaviour that can live without Electron is in
// electron/core, where it is tested. May import electron; imported by nothing.
import { app, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, session, shell, Tray, utilityProcess, type BrowserWindow, type NativeImage } from 'electron';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { AppStatus } from '../../shared/api';
import type { Snapshot } from '../../shared/domain';
import { createCore } from '../core/launch-core';
import { folderToOpen, rendererSource } from '../core/shell-policy';
import { loginItemChange, notificationFor, processorCrashDetail } from '../core/tray-model';
import { registerIpcBridge } from './ipc-bridge';
import { boundedShutdown, quitOnAppOrSystemEnd, quitOnSessionEnd } from './quit';
import { AppTray } from './tray';
import { launchUtilityProcessor } from './utility-processor';
import { installWebGuard } from './web-guard';
import { createDashboardWindow } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit(); // a second launch hands over to the first (see 'second-instance')
} else {
  void main();
}

async function main(): Promise<void> {
  let window: BrowserWindow | null = null;
  let tray: AppTray<NativeImage, Menu> | null = null;
  let latest: Snapshot | null = null;
  let lastStatus: AppStatus | null = null;

  await app.whenReady();
  // The dev server only in an unpackaged build: in a shipped app the variable is ignored.
  const source = rendererSource({
    packaged: app.isPackaged,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    indexFile: path.join(import.meta.dirname, '../renderer/index.html'),
  });
  installWebGuard(source, { app, session: session.defaultSession, shell }); // before the first window
  const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
  const { core, settings, processorLog } = createCore({
    userDataDir: app.getPath('userData'),
    defaultDataDir: path.join(app.getPath('documents'), 'live_data'),
    launch: () => launchUtilityProcessor({ utilityProcess, app }),
  });
  // One bounded shutdown, whichever comes first: Quit, the system shutting down, the Windows session ending.
  const shutdown = boundedShutdown({
    // Lets the running cycle finish and the processor flush, then the processor's last lines reach its log.
    shutdownCore: () => core.shutdown().finally(() => processorLog.close()),
    abandonCore: () => core.abandon(),
    release: () => tray?.destroy(),
    exit: (code) => app.exit(code),
  });

  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createDashboardWindow({ source, hideOnClose: () => settings.get().hideToTrayOnClose, isQuitting: () => shutdown.started });
      window.on('closed', () => (window = null));
      quitOnSessionEnd(window, shutdown); // Windows tells windows, not the app
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
  // What the system has now, so a status that changes nothing writes nothing (a registry write on Windows).
  let loginItem: boolean | null = app.getLoginItemSettings().openAtLogin;
  core.on('snapshot', (s) => (latest = s));
  core.on('feedStale', ({ ageSeconds }) => notify('feedStale', `Live has not changed for ${ageSeconds ?? '?'} s during the session.`));
  core.on('status', (status) => {
    if (lastStatus?.breaker.state === 'closed' && status.breaker.state === 'open') notify('breakerOpened', status.error ?? '');
    if (lastStatus && status.processor.restarts > lastStatus.processor.restarts) notify('processorCrashed', processorCrashDetail(status.processor));
    lastStatus = status;
    const openAtLogin = loginItemChange(loginItem, settings.get().startAtLogin);
    if (openAtLogin !== null) {
      app.setLoginItemSettings({ openAtLogin });
      loginItem = openAtLogin;
    }
    tray?.update(status, latest);
  });

  registerIpcBridge(core, () => window, source, { ipcMain, dialog });
  tray = new AppTray(resourcesDir, {
    toggleAuto: (on) => void (on ? core.start() : core.stop()),
    processNow: () => void core.processNow(),
    openDashboard: showWindow,
    openDataFolder: () => {
      // Only an existing folder: opening a path runs whatever file is there.
      const dataDir = settings.get().dataDir;
      const folder = folderToOpen(dataDir, statSync);
      if (folder) void shell.openPath(folder);
      else notify('dataFolderMissing', `No folder at ${dataDir}. Choose the data folder in Settings.`);
    },
    quit: () => app.quit(),
  }, { Tray, Menu, nativeImage });

  powerMonitor.on('resume', () => core.resume());
  powerMonitor.on('unlock-screen', () => core.resume());

  app.on('window-all-closed', () => {
    // Stay in the tray; Quit is explicit.
  });
  quitOnAppOrSystemEnd({ app, powerMonitor }, shutdown);

  await core.init();
  latest = await core.getLatestSnapshot();
  tray.update(await core.getStatus(), latest);
  showWindow();
}
