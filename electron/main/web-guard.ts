// One app-wide guard for every web page Electron creates, ours or any that slips in: no navigation
// away from our dashboard, no redirects, no subframe navigation, no <webview>, no new windows
// (links our page opens go to the system browser, http(s) only), and no web permission granted.
// The decisions are in electron/core/shell-policy.ts; the Electron objects come in as parameters
// (typed by what the guard uses of them), so the wiring is tested under Node (web-guard.test.ts).
import type {
  Event,
  HandlerDetails,
  Session,
  Shell,
  WebContentsWillFrameNavigateEventParams,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WindowOpenHandlerResponse,
} from 'electron';
import { externalLinkFrom, navigationAllowed, type RendererSource } from '../core/shell-policy';

/** What the guard uses of a WebContents, in Electron's own signatures. */
export interface GuardedWebContents {
  on(event: 'will-navigate', listener: (details: Event<WebContentsWillNavigateEventParams>) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: Event<WebContentsWillFrameNavigateEventParams>) => void): unknown;
  on(event: 'will-redirect', listener: (details: Event<WebContentsWillRedirectEventParams>) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Event) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  getURL(): string;
}

/** A web permission, as Electron names it (media, geolocation, notifications, …). */
export type WebPermission = Parameters<NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>>[1];

/** What the guard uses of Electron's default session. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: WebPermission, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: WebPermission) => boolean): void;
}

/** Electron's app, default session and shell, as far as the guard uses them. */
export interface WebGuardHost {
  app: { on(event: 'web-contents-created', listener: (event: Event, contents: GuardedWebContents) => void): unknown };
  session: PermissionSession;
  shell: Pick<Shell, 'openExternal'>;
}

function guardWebContents(contents: GuardedWebContents, source: RendererSource, shell: WebGuardHost['shell']): void {
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

/** Call once, when the app is ready and before the first window; `session` is the default session. */
export function installWebGuard(source: RendererSource, host: WebGuardHost): void {
  host.app.on('web-contents-created', (_event, contents) => guardWebContents(contents, source, host.shell));
  // The dashboard needs no camera, notification, clipboard or other web permission.
  host.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  host.session.setPermissionCheckHandler(() => false);
}
