// preload/: the contextBridge. Exposes the API contract from shared/ and nothing else.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('liveBreadthShell', { kind: 'electron' as const });
