// The API contract over Electron IPC: one invoke channel for calls, one channel for pushed
// events. Every call is checked for its sender and validated like any other boundary. ipcMain,
// dialog and the window come in as parameters (typed by what the bridge uses of them), so the
// wiring is tested under Node (ipc-bridge.test.ts).
import type { IpcMain, OpenDialogOptions, OpenDialogReturnValue, WebContents, WebFrameMain } from 'electron';
import { API_EVENTS, type ApiEventName, type ApiEvents, type LiveBreadthApi } from '../../shared/api';
import { IPC_CALL, IPC_EVENT, type IpcCallResult } from '../../shared/ipc-channels';
import type { LiveBreadthCore } from '../core/app-core';
import { LOCAL_CALLER, dispatchApiCall, toApiError } from '../core/api-dispatch';
import { isTrustedIpcSender, type RendererSource } from '../core/shell-policy';

type Frame = Pick<WebFrameMain, 'url'>;

/** What the sender check reads of Electron's IpcMainInvokeEvent. */
export interface BridgeInvokeEvent {
  readonly sender: Pick<WebContents, 'id'>;
  readonly senderFrame: Frame | null;
}

/** What the bridge uses of our BrowserWindow. */
export interface BridgeWindow {
  readonly webContents: Pick<WebContents, 'id' | 'send'> & { readonly mainFrame: Frame };
}

/** What the bridge uses of Electron's ipcMain. */
export interface BridgeIpcMain {
  handle(channel: string, listener: (event: BridgeInvokeEvent, ...args: unknown[]) => Promise<IpcCallResult>): void;
  removeHandler: IpcMain['removeHandler'];
}

/** What the bridge uses of Electron's dialog; W is the window type. */
export interface BridgeDialog<W> {
  showOpenDialog(window: W, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

/** Electron's ipcMain and dialog; W is inferred from getWindow (BrowserWindow in the app). */
export interface IpcBridgeHost<W extends BridgeWindow> {
  ipcMain: BridgeIpcMain;
  dialog: BridgeDialog<NoInfer<W>>;
}

/** Only our own window's main frame, showing our own page, may call (see shell-policy.ts). */
function trustedSender(event: BridgeInvokeEvent, window: BridgeWindow, source: RendererSource): boolean {
  const frame = event.senderFrame;
  return isTrustedIpcSender(
    {
      senderId: event.sender.id,
      windowId: window.webContents.id,
      isMainFrame: frame !== null && frame === window.webContents.mainFrame,
      frameUrl: frame?.url ?? null,
    },
    source,
  );
}

/** The core's API with the calls only the desktop shell can answer (a native folder picker). */
function withShellCalls<W extends BridgeWindow>(core: LiveBreadthCore, getWindow: () => W | null, dialog: IpcBridgeHost<W>['dialog']): LiveBreadthApi {
  return new Proxy(core, {
    get(target, property, receiver) {
      if (property === 'chooseDataFolder') {
        return async () => {
          const window = getWindow();
          const options = { title: 'Choose the folder your broker feed writes Live.xlsx to', properties: ['openDirectory' as const] };
          const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
          return result.canceled ? null : (result.filePaths[0] ?? null);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function registerIpcBridge<W extends BridgeWindow>(
  core: LiveBreadthCore,
  getWindow: () => W | null,
  source: RendererSource,
  host: IpcBridgeHost<W>,
): () => void {
  const api = withShellCalls(core, getWindow, host.dialog);
  host.ipcMain.handle(IPC_CALL, async (event, method, args): Promise<IpcCallResult> => {
    const window = getWindow();
    if (!window || !trustedSender(event, window, source)) return { ok: false, error: { code: 'forbidden', message: 'Caller not allowed' } };
    try {
      // The desktop window is the user at this computer.
      return { ok: true, result: await dispatchApiCall(api, method, args, LOCAL_CALLER) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  });
  const forwarders = API_EVENTS.map((name) => {
    const listener = (data: ApiEvents[ApiEventName]) => getWindow()?.webContents.send(IPC_EVENT, name, data);
    core.on(name, listener);
    return [name, listener] as const;
  });
  return () => {
    host.ipcMain.removeHandler(IPC_CALL);
    for (const [name, listener] of forwarders) core.off(name, listener);
  };
}
