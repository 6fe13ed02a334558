// Test support: a WebSocket client by hand over node:net, to send what no library would (bad
// frames, unmasked data, lies about lengths) and to stop reading like a stuck client.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  /** RSV1..3 as bits 0b100, 0b010, 0b001. */
  rsv?: number;
  mask?: boolean;
  /** Claim this payload length in the header instead of the real one. */
  claimedLength?: number | bigint;
}

export function frame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const length = spec.claimedLength ?? payload.length;
  const mask = spec.mask ?? true;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  let ext = Buffer.alloc(0);
  if (typeof length === 'bigint' || length > 0xffff) {
    head.push((mask ? 0x80 : 0) | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(length));
  } else if (length > 125) {
    head.push((mask ? 0x80 : 0) | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
  } else {
    head.push((mask ? 0x80 : 0) | length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), ext, key, masked]);
}

export const textFrame = (text: string) => frame({ opcode: 1, payload: text });

export interface RawClient {
  socket: net.Socket;
  /** Status of the handshake's answer: 101 when upgraded. */
  status: number;
  /** Bytes received after the handshake. */
  received: () => Buffer;
  /** Resolves when the server ends the TCP connection. */
  closed: Promise<void>;
}

/** Opens a TCP connection and sends an upgrade request for `path` with these headers. */
export function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let status = 0;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined); // a reset from the server is an expected way to end
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (status !== 0) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString())?.[1] ?? 0);
      buffer = buffer.subarray(end + 4);
      resolve({ socket, status, received: () => buffer, closed });
    });
    socket.once('close', () => {
      if (status === 0) reject(new Error('closed before answering the upgrade'));
    });
    socket.once('connect', () => {
      const all = {
        Host: `127.0.0.1:${port}`,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
        ...headers,
      };
      socket.write(`GET ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
  });
}

/** The text frames in bytes from the server (unmasked, unfragmented as the host sends them). */
export function readTextFrames(bytes: Buffer): { texts: string[]; close: { code: number; reason: string } | null } {
  const texts: string[] = [];
  let close: { code: number; reason: string } | null = null;
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    const payload = bytes.subarray(start, start + length);
    if (opcode === 1) texts.push(payload.toString());
    if (opcode === 8) close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
    at = start + length;
  }
  return { texts, close };
}
