// The processor's output as lines: split from the pipe's chunks, and the last few kept with a
// crash (the whole of it goes to the log file, see processor-log.ts).
import { StringDecoder } from 'node:string_decoder';
import { isOutOfMemoryLine } from './processor-exit';

export type OutputStream = 'stdout' | 'stderr';

export interface OutputLine {
  stream: OutputStream;
  text: string;
}

/** Longer lines are cut: a child writing without newlines must not grow the parent's buffer. */
export const MAX_LINE_CHARS = 4_096;

/** Splits a pipe's chunks into lines (LF or CRLF), decoding UTF-8 across chunk boundaries. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  /** The complete lines in `chunk`; the rest waits for the next chunk or end(). */
  push(chunk: Buffer | string): string[] {
    this.partial += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines = this.partial.split('\n');
    this.partial = lines.pop()!;
    while (this.partial.length > MAX_LINE_CHARS) {
      lines.push(this.partial.slice(0, MAX_LINE_CHARS));
      this.partial = this.partial.slice(MAX_LINE_CHARS);
    }
    return lines.flatMap(cut);
  }

  /** The last line, when the stream ended without a newline. */
  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest === '' ? [] : cut(rest);
  }
}

function cut(line: string): string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.length <= MAX_LINE_CHARS) return [text];
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += MAX_LINE_CHARS) parts.push(text.slice(i, i + MAX_LINE_CHARS));
  return parts;
}

/** What the trader sees of a crash: the last lines, bounded both ways. */
export const TAIL_LINES = 20;
export const TAIL_CHARS = 4_096;

/** A line that says why a process failed: V8's fatal errors, an uncaught exception's "Error: …". */
const TELLTALE = /^(FATAL ERROR:|#\s*Fatal error|Uncaught\b|\w*(Error|Exception)\b(\s*\[[^\]]*\])?:)/;

/**
 * The last lines of a processor's output (stdout and stderr as they came), and the last line
 * that tells why it failed, seen at any time: V8's out-of-memory line comes before a native
 * stack trace longer than the tail.
 */
export class OutputTail {
  private readonly kept: string[] = [];
  private chars = 0;
  private lastTelltale: string | null = null;
  private outOfMemory = false;

  push(line: OutputLine): void {
    const text = line.text.length > TAIL_CHARS ? line.text.slice(0, TAIL_CHARS) : line.text;
    const trimmed = text.trim();
    if (isOutOfMemoryLine(text)) {
      this.outOfMemory = true;
      this.lastTelltale = trimmed;
    } else if (!this.outOfMemory && TELLTALE.test(trimmed)) {
      this.lastTelltale = trimmed; // out of memory says it all: what V8 prints after it does not
    }
    this.kept.push(text);
    this.chars += text.length;
    while (this.kept.length > TAIL_LINES || this.chars > TAIL_CHARS) this.chars -= this.kept.shift()!.length;
  }

  lines(): string[] {
    return [...this.kept];
  }

  /** The last line that says why it failed, e.g. "FATAL ERROR: Reached heap limit …", or null. */
  get telltale(): string | null {
    return this.lastTelltale;
  }

  get sawOutOfMemory(): boolean {
    return this.outOfMemory;
  }
}
