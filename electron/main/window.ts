// The dashboard window, locked down: context isolation, sandbox, no Node. Navigation, new
// windows, webviews and permissions are refused app-wide by web-guard.ts.
import { BrowserWindow } from 'electron';
import path from 'node:path';
import type { RendererSource } from '../core/shell-policy';

export function createDashboardWindow(options: { source: RendererSource; hideOnClose: () => boolean; isQuitting: () => boolean }): BrowserWindow {
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

  // Closing hides to the tray so processing continues; Quit from the tray really quits.
  window.on('close', (event) => {
    if (!options.isQuitting() && options.hideOnClose()) {
      event.preventDefault();
      window.hide();
    }
  });

  if (options.source.kind === 'dev') void window.loadURL(options.source.url);
  else void window.loadFile(options.source.indexFile);
  return window;
}
