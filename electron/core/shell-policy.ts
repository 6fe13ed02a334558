// The desktop shell's security decisions, free of Electron so they are tested under Node:
// which page may be loaded and navigated to, which frame may call the API over IPC, which links
// open in the browser, which folder the tray may open. electron/main only asks these.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the dashboard is loaded from: our own index.html, or the dev server in development. */
export type RendererSource =
  | { readonly kind: 'file'; readonly indexFile: string; readonly url: string }
  | { readonly kind: 'dev'; readonly url: string; readonly origin: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The dev server (electron-vite's ELECTRON_RENDERER_URL) only in an unpackaged build and only on
 * this computer: in a shipped app an environment variable must not load a page of its choice
 * with the full bridge.
 */
export function rendererSource(options: { packaged: boolean; devServerUrl: string | undefined; indexFile: string }): RendererSource {
  const file: RendererSource = { kind: 'file', indexFile: options.indexFile, url: pathToFileURL(options.indexFile).href };
  if (options.packaged || !options.devServerUrl) return file;
  const dev = parseUrl(options.devServerUrl);
  if (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:') || !LOOPBACK_HOSTS.has(dev.hostname)) return file;
  return { kind: 'dev', url: dev.href, origin: dev.origin };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Windows paths ignore letter case; Chromium and Node may spell a drive letter differently. */
function comparablePath(pathname: string): string {
  const decoded = decodeURIComponent(pathname);
  return /^\/[A-Za-z]:\//.test(decoded) ? decoded.toLowerCase() : decoded;
}

/** Is this our dashboard: our index.html (any query or hash), or a page of our dev server. */
export function isTrustedRendererUrl(url: string, source: RendererSource): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (source.kind === 'dev') return parsed.origin === source.origin;
  const index = new URL(source.url);
  return parsed.protocol === 'file:' && parsed.host === index.host && comparablePath(parsed.pathname) === comparablePath(index.pathname);
}

export interface IpcSender {
  /** webContents id of the sender, and of our dashboard window. */
  senderId: number;
  windowId: number;
  /** The sending frame is the window's main frame (not an iframe). */
  isMainFrame: boolean;
  /** The sending frame's URL; null when the frame is gone. */
  frameUrl: string | null;
}

/** Only our window's main frame, showing our own page, may call the API. */
export function isTrustedIpcSender(sender: IpcSender, source: RendererSource): boolean {
  return sender.senderId === sender.windowId && sender.isMainFrame && sender.frameUrl !== null && isTrustedRendererUrl(sender.frameUrl, source);
}

/**
 * May a frame navigate (or be redirected) to `url`? The main frame only to our own page (a
 * reload, the dev server's hot reload); subframes never: the dashboard has none.
 */
export function navigationAllowed(target: { url: string; isMainFrame: boolean }, source: RendererSource): boolean {
  return target.isMainFrame && isTrustedRendererUrl(target.url, source);
}

/** The link to hand to the system browser, or null: http(s) only, no credentials in it. */
export function externalLinkToOpen(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.username || parsed.password) return null;
  return parsed.href;
}

/** A link our dashboard opened (window.open, target=_blank): opened in the browser only if it came from our page. */
export function externalLinkFrom(request: { url: string; openerUrl: string }, source: RendererSource): string | null {
  return isTrustedRendererUrl(request.openerUrl, source) ? externalLinkToOpen(request.url) : null;
}

/**
 * The folder the tray's "Open data folder" may open, or null: an existing directory given by a
 * full path. Never a file: opening a path runs what is there.
 */
export function folderToOpen(folder: string, stat: (p: string) => { isDirectory(): boolean }): string | null {
  if (!folder || !path.isAbsolute(folder)) return null;
  try {
    return stat(folder).isDirectory() ? folder : null;
  } catch {
    return null;
  }
}
