// One app-wide guard for every web page Electron creates, ours or any that slips in: no navigation
// away from our dashboard, no redirects, no subframe navigation, no <webview>, no new windows
// (links our page opens go to the system browser, http(s) only), and no web permission granted.
// The decisions are in electron/core/shell-policy.ts, tested under Node.
import { app, session, shell, type WebContents } from 'electron';
import { externalLinkFrom, navigationAllowed, type RendererSource } from '../core/shell-policy';

function guardWebContents(contents: WebContents, source: RendererSource): void {
  const refuseUntrusted = (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => {
    if (!navigationAllowed({ url: event.url, isMainFrame: event.isMainFrame }, source)) event.preventDefault();
  };
  contents.on('will-navigate', refuseUntrusted);
  contents.on('will-frame-navigate', refuseUntrusted); // subframes too: the dashboard has none
  contents.on('will-redirect', refuseUntrusted);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLinkFrom({ url, openerUrl: contents.getURL() }, source);
    if (link) void shell.openExternal(link);
    return { action: 'deny' };
  });
}

/** Call once, when the app is ready and before the first window. */
export function installWebGuard(source: RendererSource): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, source));
  // The dashboard needs no camera, notification, clipboard or other web permission.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
