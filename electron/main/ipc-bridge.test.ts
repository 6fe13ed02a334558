// The IPC bridge's wiring under Node, over a real core (a real processor process and database):
// fakes stand in only for Electron's ipcMain, dialog and our window (the binary cannot run here).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { IPC_CALL, IPC_EVENT, type IpcCallResult } from '../../shared/ipc-channels';
import type { JobRecord } from '../../shared/jobs';
import { launchWithTestJobs, until, WRITE_ROWS_KIND } from '../core/jobs/test-support/launcher';
import { rendererSource } from '../core/shell-policy';
import { startTestCore } from '../test-support/core';
import { registerIpcBridge, type BridgeDialog, type BridgeInvokeEvent, type BridgeIpcMain, type BridgeWindow } from './ipc-bridge';

const GENEROUS_MS = 60_000; // a bound for liveness on a loaded machine, not a speed target
const indexFile = path.resolve('/opt/LiveBreadth/resources/app.asar/out/renderer/index.html');
const ourPage = pathToFileURL(indexFile).href;
const source = rendererSource({ packaged: true, devServerUrl: undefined, indexFile });

type Listener = Parameters<BridgeIpcMain['handle']>[1];

/** ipcMain: handle() keeps the handler so the test can invoke it as a renderer's call would. */
class FakeIpcMain implements BridgeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    assert.ok(!this.handlers.has(channel), `one handler per channel (${channel})`); // as Electron throws
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: BridgeInvokeEvent, method: string, args: unknown[]): Promise<IpcCallResult> {
    const handler = this.handlers.get(IPC_CALL);
    assert.ok(handler, 'the bridge handles the call channel');
    return handler(event, method, args);
  }
}

class FakeWindow implements BridgeWindow {
  readonly sent: unknown[][] = [];
  readonly webContents: { id: number; mainFrame: { url: string }; send(channel: string, ...args: unknown[]): void };
  constructor(id: number, url: string) {
    this.webContents = { id, mainFrame: { url }, send: (channel: string, ...args: unknown[]) => void this.sent.push([channel, ...args]) };
  }
}

class FakeDialog implements BridgeDialog<FakeWindow> {
  readonly shown: Array<FakeWindow | null> = [];
  showOpenDialog(window: FakeWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  async showOpenDialog(first: FakeWindow | OpenDialogOptions): Promise<OpenDialogReturnValue> {
    this.shown.push(first instanceof FakeWindow ? first : null);
    return { canceled: false, filePaths: ['/home/trader/feed'] };
  }
}

const forbidden = { ok: false, error: { code: 'forbidden', message: 'Caller not allowed' } };

describe('IPC bridge: who may call', () => {
  it('another webContents, a subframe, our window on a foreign page, or no window: forbidden, and the core never sees the call; our main frame is dispatched', { timeout: GENEROUS_MS }, async () => {
    const { core } = await startTestCore({ autoStart: false });
    const ipcMain = new FakeIpcMain();
    let window: FakeWindow | null = new FakeWindow(7, ourPage);
    const ours = window;
    const dispose = registerIpcBridge(core, () => window, source, { ipcMain, dialog: new FakeDialog() });
    const before = (await core.getSettings()).intervalSeconds;
    // The probe: a call that changes what the core holds, so a call that reached it shows.
    const probe = (event: BridgeInvokeEvent) => ipcMain.invoke(event, 'updateSettings', [{ intervalSeconds: 42 }]);

    const otherPage = new FakeWindow(8, ourPage); // a second webContents showing our page (a popup, devtools)
    const cases: Array<[string, BridgeInvokeEvent]> = [
      ['another webContents', { sender: { id: 8 }, senderFrame: otherPage.webContents.mainFrame }],
      ['another webContents naming our main frame', { sender: { id: 8 }, senderFrame: ours.webContents.mainFrame }],
      ['a subframe of our window, even on our page', { sender: { id: 7 }, senderFrame: { url: ourPage } }],
      ['a frame that is gone', { sender: { id: 7 }, senderFrame: null }],
    ];
    for (const [what, event] of cases) assert.deepEqual(await probe(event), forbidden, what);
    ours.webContents.mainFrame.url = 'https://evil.example/'; // navigated away (the guard would refuse; defence in depth)
    assert.deepEqual(await probe({ sender: { id: 7 }, senderFrame: ours.webContents.mainFrame }), forbidden, 'our window on a foreign page');
    ours.webContents.mainFrame.url = ourPage;
    window = null;
    assert.deepEqual(await probe({ sender: { id: 7 }, senderFrame: ours.webContents.mainFrame }), forbidden, 'no window');
    window = ours;
    assert.equal((await core.getSettings()).intervalSeconds, before, 'no forbidden call reached the core');

    const reply = await probe({ sender: { id: 7 }, senderFrame: ours.webContents.mainFrame });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal((await core.getSettings()).intervalSeconds, 42, 'our main frame\'s call was dispatched');
    // Calls from our page are still validated like any boundary.
    const bad = await ipcMain.invoke({ sender: { id: 7 }, senderFrame: ours.webContents.mainFrame }, 'updateSettings', [{ intervalSeconds: 0 }]);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.code, 'bad-input');

    dispose();
    assert.equal(ipcMain.handlers.size, 0, 'disposing removes the handler');
  });

  it('pushes the core\'s events to our window, and the folder picker is the native dialog over our window', { timeout: GENEROUS_MS }, async () => {
    const { core } = await startTestCore({ autoStart: false });
    const ipcMain = new FakeIpcMain();
    const dialog = new FakeDialog();
    const window = new FakeWindow(7, ourPage);
    const dispose = registerIpcBridge(core, () => window, source, { ipcMain, dialog });
    const main = { sender: { id: 7 }, senderFrame: window.webContents.mainFrame };

    assert.deepEqual(await ipcMain.invoke(main, 'chooseDataFolder', []), { ok: true, result: '/home/trader/feed' });
    assert.deepEqual(dialog.shown, [window]);

    await ipcMain.invoke(main, 'updateSettings', [{ intervalSeconds: 30 }]);
    const statuses = window.sent.filter(([channel, name]) => channel === IPC_EVENT && name === 'status');
    assert.ok(statuses.length > 0, 'a status event was pushed to the window');
    dispose();
    const sentBefore = window.sent.length;
    await core.updateSettings({ intervalSeconds: 31 });
    assert.equal(window.sent.length, sentBefore, 'nothing is pushed after dispose');
  });

  it('jobs over IPC: started by a call, their progress and their removal pushed to our window', { timeout: GENEROUS_MS }, async () => {
    const { core } = await startTestCore({ autoStart: false }, { launch: launchWithTestJobs });
    const ipcMain = new FakeIpcMain();
    const window = new FakeWindow(7, ourPage);
    const dispose = registerIpcBridge(core, () => window, source, { ipcMain, dialog: new FakeDialog() });
    const main = { sender: { id: 7 }, senderFrame: window.webContents.mainFrame };
    const pushed = (name: string) => window.sent.filter(([channel, event]) => channel === IPC_EVENT && event === name).map(([, , data]) => data);

    const started = await ipcMain.invoke(main, 'startJob', [{ kind: WRITE_ROWS_KIND, params: { items: 5 } }]);
    assert.ok(started.ok);
    const id = (started.result as JobRecord).id;
    await until(() => pushed('jobProgress').some((job) => (job as JobRecord).state === 'completed'), 'the completed job pushed to the window');
    assert.deepEqual(await ipcMain.invoke(main, 'dismissJob', [id]), { ok: true, result: { id } });
    assert.deepEqual(pushed('jobRemoved'), [{ id }]);
    dispose();
  });
});
