// Draws the app and tray icons as PNGs into resources/ (committed; run again after a change).
// A tiny RGBA PNG encoder over node:zlib keeps this free of image libraries.
import { mkdirSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** A disc in the state's colour with two bars (advances up, declines down). */
function trayIcon(colour) {
  const [r, g, b] = hex(colour);
  return (x, y, size) => {
    const c = size / 2;
    const d = Math.hypot(x - c, y - c);
    const edge = size / 2 - 0.5;
    if (d > edge + 0.5) return [0, 0, 0, 0];
    const alpha = Math.round(255 * Math.min(1, edge + 0.5 - d));
    const bar = (x > size * 0.3 && x < size * 0.45 && y > size * 0.3 && y < size * 0.72) || (x > size * 0.55 && x < size * 0.7 && y > size * 0.48 && y < size * 0.72);
    return bar ? [255, 255, 255, alpha] : [r, g, b, alpha];
  };
}

function appIcon(x, y, size) {
  const m = size * 0.06;
  const rad = size * 0.18;
  const inside = (px, py) => {
    const cx = Math.min(Math.max(px, m + rad), size - m - rad);
    const cy = Math.min(Math.max(py, m + rad), size - m - rad);
    return Math.hypot(px - cx, py - cy) <= rad;
  };
  if (!inside(x, y)) return [0, 0, 0, 0];
  const bars = [0.55, 0.7, 0.45, 0.8, 0.62];
  const w = (size - 2 * m) / (bars.length * 2 + 1);
  for (let i = 0; i < bars.length; i++) {
    const left = m + w * (1 + i * 2);
    const top = size - m - w - (size - 2 * m - 2 * w) * bars[i];
    if (x >= left && x < left + w && y >= top && y < size - m - w) return i === 2 ? [...hex('#ef4444'), 255] : [...hex('#22c55e'), 255];
  }
  return [...hex('#111827'), 255];
}

mkdirSync('resources/tray', { recursive: true });
const states = { running: '#16a34a', stopped: '#6b7280', closed: '#2563eb', error: '#dc2626' };
for (const [name, colour] of Object.entries(states)) {
  writeFileSync(`resources/tray/${name}.png`, png(16, trayIcon(colour)));
  writeFileSync(`resources/tray/${name}@2x.png`, png(32, trayIcon(colour)));
}
writeFileSync('resources/icon.png', png(512, appIcon));
console.log('icons written to resources/');
