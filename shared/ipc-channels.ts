// Electron IPC channel names, shared by main and preload.
export const IPC_CALL = 'livebreadth:call';
export const IPC_EVENT = 'livebreadth:event';

export type IpcCallResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
