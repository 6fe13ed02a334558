// The web guard's wiring under Node: fakes of Electron's app, default session, shell and web
// contents (the Electron binary cannot run here), emitting what Electron emits, with events whose
// preventDefault is recorded as Electron's is.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { rendererSource } from '../core/shell-policy';
import { electronEvent } from './test-fakes';
import { installWebGuard, type GuardedWebContents, type PermissionSession, type WebGuardHost, type WebPermission } from './web-guard';

const indexFile = path.resolve('/opt/LiveBreadth/resources/app.asar/out/renderer/index.html');
const ourPage = pathToFileURL(indexFile).href;
const source = rendererSource({ packaged: true, devServerUrl: undefined, indexFile });

type Navigation = 'will-navigate' | 'will-frame-navigate' | 'will-redirect';

class FakeWebContents extends EventEmitter implements GuardedWebContents {
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  constructor(private url: string) {
    super();
  }
  getURL(): string {
    return this.url;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  /** Emits as Electron does (the details event, then the deprecated positional arguments); true when let through. */
  navigate(kind: Navigation, url: string, isMainFrame = true): boolean {
    const event = electronEvent({ url, isSameDocument: false, isMainFrame, frame: null });
    if (kind === 'will-frame-navigate') this.emit(kind, event);
    else this.emit(kind, event, url, false, isMainFrame, 1, 1);
    return !event.defaultPrevented;
  }
  attachWebview(src: string): boolean {
    const event = electronEvent({});
    this.emit('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }
  windowOpen(url: string): WindowOpenHandlerResponse {
    assert.ok(this.openHandler, 'a window-open handler is set');
    return this.openHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: this.url, policy: 'default' } });
  }
}

type RequestHandler = Parameters<PermissionSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<PermissionSession['setPermissionCheckHandler']>[0];

class FakeSession implements PermissionSession {
  request: RequestHandler | null = null;
  check: CheckHandler | null = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.check = handler;
  }
}

class FakeApp extends EventEmitter {
  /** Electron emits web-contents-created for every page it makes: windows, popups, webviews, devtools. */
  createWebContents(url: string): FakeWebContents {
    const contents = new FakeWebContents(url);
    this.emit('web-contents-created', electronEvent({}), contents);
    return contents;
  }
}

function guarded() {
  const app = new FakeApp();
  const session = new FakeSession();
  const opened: string[] = [];
  const shell: WebGuardHost['shell'] = { openExternal: async (url) => void opened.push(url) };
  installWebGuard(source, { app, session, shell });
  return { app, session, opened };
}

describe('web guard: every web contents the app creates', () => {
  it('navigation, redirects and frame navigation to a foreign URL are prevented; our own page is allowed', () => {
    const { app } = guarded();
    const contents = app.createWebContents(ourPage);
    for (const kind of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', pathToFileURL(path.join(path.dirname(indexFile), 'other.html')).href]) {
        assert.equal(contents.navigate(kind, url), false, `${kind} to ${url}`);
      }
      assert.equal(contents.navigate(kind, `${ourPage}#/runs`), true, `${kind} to our page`);
      assert.equal(contents.navigate(kind, ourPage, false), false, `${kind} of a subframe, even to our page`);
    }
  });

  it('a page that was not ours (a popup, devtools) is guarded as well: the guard hangs on the app, not on our window', () => {
    const { app } = guarded();
    const other = app.createWebContents('about:blank');
    assert.equal(other.navigate('will-navigate', 'https://evil.example/'), false);
    assert.equal(other.attachWebview('https://evil.example/'), false);
  });

  it('a <webview> is refused, whatever it loads', () => {
    const { app } = guarded();
    const contents = app.createWebContents(ourPage);
    assert.equal(contents.attachWebview('https://evil.example/'), false);
    assert.equal(contents.attachWebview(ourPage), false);
  });

  it('window.open is denied; only an http(s) link from our page goes to the system browser', () => {
    const { app, opened } = guarded();
    const ours = app.createWebContents(ourPage);
    for (const url of ['https://www.nseindia.com/', 'http://example.com/x', 'file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'https://user:pw@example.com/']) {
      assert.deepEqual(ours.windowOpen(url), { action: 'deny' }, url);
    }
    assert.deepEqual(opened, ['https://www.nseindia.com/', 'http://example.com/x']);
    const foreign = app.createWebContents('https://evil.example/');
    assert.deepEqual(foreign.windowOpen('https://www.nseindia.com/'), { action: 'deny' });
    assert.equal(opened.length, 2, 'a link from a page that is not ours is not opened');
  });

  it('every permission request and check is denied', () => {
    const { app, session } = guarded();
    const contents = app.createWebContents(ourPage);
    assert.ok(session.request && session.check, 'both handlers are set');
    const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'openExternal', 'pointerLock', 'hid', 'serial', 'usb', 'fileSystem', 'unknown'] satisfies WebPermission[];
    for (const permission of permissions) {
      const answers: boolean[] = [];
      session.request(contents, permission, (granted) => answers.push(granted));
      assert.deepEqual(answers, [false], `request ${permission}`);
      assert.equal(session.check(contents, permission), false, `check ${permission}`);
    }
  });
});
