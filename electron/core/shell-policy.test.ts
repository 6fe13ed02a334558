// The desktop shell's security decisions, under Node (the Electron binary cannot run here).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../test-support/workbooks';
import {
  externalLinkFrom,
  externalLinkToOpen,
  folderToOpen,
  isTrustedIpcSender,
  isTrustedRendererUrl,
  navigationAllowed,
  rendererSource,
  type RendererSource,
} from './shell-policy';

const indexFile = path.resolve('/opt/LiveBreadth/resources/app.asar/out/renderer/index.html');
const indexUrl = pathToFileURL(indexFile).href;
const packaged = rendererSource({ packaged: true, devServerUrl: undefined, indexFile });
const dev = rendererSource({ packaged: false, devServerUrl: 'http://localhost:5173/', indexFile });

describe('shell policy: where the dashboard comes from', () => {
  it('a packaged app ignores ELECTRON_RENDERER_URL and loads its own index.html', () => {
    for (const devServerUrl of ['http://localhost:5173/', 'https://evil.example/']) {
      assert.deepEqual(rendererSource({ packaged: true, devServerUrl, indexFile }), { kind: 'file', indexFile, url: indexUrl }, devServerUrl);
    }
  });

  it('an unpackaged app uses the dev server, only on this computer over http(s)', () => {
    assert.deepEqual(dev, { kind: 'dev', url: 'http://localhost:5173/', origin: 'http://localhost:5173' });
    assert.equal(rendererSource({ packaged: false, devServerUrl: 'http://127.0.0.1:5173', indexFile }).kind, 'dev');
    for (const devServerUrl of ['https://evil.example/', 'http://192.168.1.5:5173/', 'file:///tmp/x.html', 'javascript:alert(1)', 'not a url', '']) {
      assert.equal(rendererSource({ packaged: false, devServerUrl, indexFile }).kind, 'file', devServerUrl);
    }
  });
});

describe('shell policy: trusted pages and IPC senders', () => {
  it('our index.html (with any query or hash) is trusted; other files and sites are not', () => {
    assert.ok(isTrustedRendererUrl(indexUrl, packaged));
    assert.ok(isTrustedRendererUrl(`${indexUrl}#/runs`, packaged));
    assert.ok(isTrustedRendererUrl(`${indexUrl}?x=1`, packaged));
    for (const url of [
      pathToFileURL(path.join(path.dirname(indexFile), 'other.html')).href,
      pathToFileURL(path.resolve('/tmp/index.html')).href,
      'file://attacker-host/opt/LiveBreadth/resources/app.asar/out/renderer/index.html',
      'http://localhost:5173/',
      'https://evil.example/index.html',
      'about:blank',
      'garbage',
    ]) {
      assert.equal(isTrustedRendererUrl(url, packaged), false, url);
    }
  });

  it('with the dev server: its own origin only, not our files and not another port', () => {
    assert.ok(isTrustedRendererUrl('http://localhost:5173/', dev));
    assert.ok(isTrustedRendererUrl('http://localhost:5173/src/main.tsx?t=1', dev));
    assert.equal(isTrustedRendererUrl('http://localhost:5174/', dev), false);
    assert.equal(isTrustedRendererUrl('http://localhost.evil.example:5173/', dev), false);
    assert.equal(isTrustedRendererUrl(indexUrl, dev), false);
  });

  it('Windows drive letters in either case are the same file', () => {
    const win: RendererSource = { kind: 'file', indexFile: 'C:\\App\\index.html', url: 'file:///C:/App/resources/app.asar/out/renderer/index.html' };
    assert.ok(isTrustedRendererUrl('file:///c:/App/resources/app.asar/out/renderer/index.html', win));
    assert.equal(isTrustedRendererUrl('file:///D:/App/resources/app.asar/out/renderer/index.html', win), false);
  });

  it('IPC: only our window, its main frame, showing our page', () => {
    const ok = { senderId: 3, windowId: 3, isMainFrame: true, frameUrl: indexUrl };
    assert.ok(isTrustedIpcSender(ok, packaged));
    assert.equal(isTrustedIpcSender({ ...ok, senderId: 4 }, packaged), false, 'another webContents');
    assert.equal(isTrustedIpcSender({ ...ok, isMainFrame: false }, packaged), false, 'an iframe in our window');
    assert.equal(isTrustedIpcSender({ ...ok, frameUrl: null }, packaged), false, 'a frame already gone');
    assert.equal(isTrustedIpcSender({ ...ok, frameUrl: 'https://evil.example/' }, packaged), false, 'navigated away');
    assert.equal(isTrustedIpcSender({ ...ok, frameUrl: pathToFileURL('/tmp/evil.html').href }, packaged), false, 'another local file');
    assert.equal(isTrustedIpcSender({ ...ok, frameUrl: 'http://localhost:5173/' }, packaged), false, 'the dev server in a packaged app');
    assert.ok(isTrustedIpcSender({ ...ok, frameUrl: 'http://localhost:5173/' }, dev));
  });

  it('navigation: the main frame only to our page; subframes never', () => {
    assert.ok(navigationAllowed({ url: indexUrl, isMainFrame: true }, packaged));
    assert.equal(navigationAllowed({ url: 'https://evil.example/', isMainFrame: true }, packaged), false);
    assert.equal(navigationAllowed({ url: pathToFileURL('/etc/passwd').href, isMainFrame: true }, packaged), false);
    assert.equal(navigationAllowed({ url: indexUrl, isMainFrame: false }, packaged), false);
    assert.ok(navigationAllowed({ url: 'http://localhost:5173/', isMainFrame: true }, dev));
  });
});

describe('shell policy: links and folders', () => {
  it('external links: http(s) only, without credentials', () => {
    assert.equal(externalLinkToOpen('https://www.nseindia.com/resources/exchange-communication-holidays'), 'https://www.nseindia.com/resources/exchange-communication-holidays');
    assert.equal(externalLinkToOpen('http://example.com'), 'http://example.com/');
    for (const url of ['file:///C:/Windows/System32/calc.exe', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'mailto:a@b.c', 'https://user:pass@example.com/', 'not a url', '']) {
      assert.equal(externalLinkToOpen(url), null, url);
    }
  });

  it('window.open: opened in the browser only when our page asked', () => {
    assert.equal(externalLinkFrom({ url: 'https://example.com/', openerUrl: indexUrl }, packaged), 'https://example.com/');
    assert.equal(externalLinkFrom({ url: 'https://example.com/', openerUrl: 'https://evil.example/' }, packaged), null);
    assert.equal(externalLinkFrom({ url: 'file:///etc/passwd', openerUrl: indexUrl }, packaged), null);
  });

  it('open data folder: an existing directory only, never a file, a missing or a relative path', async () => {
    const home = await tempDir();
    const folder = path.join(home, 'live_data');
    await mkdir(folder);
    const program = path.join(home, 'setup.exe');
    await writeFile(program, 'MZ');
    const linkToFolder = path.join(home, 'link');
    await symlink(folder, linkToFolder);
    assert.equal(folderToOpen(folder, statSync), folder);
    assert.equal(folderToOpen(linkToFolder, statSync), linkToFolder);
    assert.equal(folderToOpen(program, statSync), null);
    assert.equal(folderToOpen(path.join(home, 'missing'), statSync), null);
    assert.equal(folderToOpen(path.relative(process.cwd(), folder), statSync), null, 'relative: depends on the working directory');
    assert.equal(folderToOpen('', statSync), null);
  });
});
