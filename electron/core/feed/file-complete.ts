// Is a just-saved file complete? An .xlsx/.xlsm is a zip, which ends with its central
// directory record: present means the writer finished. A CSV has no end marker, so it counts
// as complete once its size stops changing between two looks.
import { open, stat } from 'node:fs/promises';
import type { Clock } from '../clock/clock';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_MIN = 22;
const EOCD_SEARCH = EOCD_MIN + 0xffff; // the record is followed by at most a 64 KiB comment

export async function zipLooksComplete(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size < EOCD_MIN) return false;
    const length = Math.min(size, EOCD_SEARCH);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    for (let i = length - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) return true;
    }
    return false;
  } catch {
    return false; // gone or locked: not ready yet
  } finally {
    await handle?.close();
  }
}

export async function sizeSettled(file: string, waitMs: number, clock: Clock): Promise<boolean> {
  try {
    const first = await stat(file);
    await new Promise((r) => clock.setTimeout(() => r(undefined), waitMs));
    const second = await stat(file);
    return first.size === second.size && first.mtimeMs === second.mtimeMs && first.size > 0;
  } catch {
    return false;
  }
}

/** `clock`: the CSV's two looks are that far apart on it. */
export async function fileLooksComplete(file: string, clock: Clock): Promise<boolean> {
  return file.toLowerCase().endsWith('.csv') ? sizeSettled(file, 30, clock) : zipLooksComplete(file);
}
