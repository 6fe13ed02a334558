// The dashboard window, locked down: context isolation, sandbox, no Node, no navigation away,
// no new windows; links we made open in the browser, http(s) only.
import { BrowserWindow, shell } from 'electron';
import path from 'node:path';

function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export function createDashboardWindow(options: { hideOnClose: () => boolean; isQuitting: () => boolean }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    title: 'LiveBreadth',
    backgroundColor: '#0f1115',
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());

  const devServer = process.env.ELECTRON_RENDERER_URL;
  window.webContents.on('will-navigate', (event, url) => {
    if (devServer && url.startsWith(devServer)) return;
    event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  // Closing hides to the tray so processing continues; Quit from the tray really quits.
  window.on('close', (event) => {
    if (!options.isQuitting() && options.hideOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });

  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(path.join(import.meta.dirname, '../renderer/index.html'));
  return window;
}
