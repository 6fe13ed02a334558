// The processor's output as lines, and what is kept of it with a crash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, MAX_LINE_CHARS, OutputTail, TAIL_CHARS, TAIL_LINES } from './output-tail';

describe('LineSplitter', () => {
  it('joins lines split across chunks, takes CRLF and LF, and gives the last line at the end', () => {
    const lines = new LineSplitter();
    assert.deepEqual(lines.push('first li'), []);
    assert.deepEqual(lines.push('ne\r\nsecond\nthi'), ['first line', 'second']);
    assert.deepEqual(lines.push('rd'), []);
    assert.deepEqual(lines.end(), ['third']);
    assert.deepEqual(lines.end(), [], 'nothing twice');
  });

  it('decodes UTF-8 split between chunks (a rupee sign cut in two)', () => {
    const lines = new LineSplitter();
    const bytes = Buffer.from('₹ 100\n');
    assert.deepEqual(lines.push(bytes.subarray(0, 2)), []);
    assert.deepEqual(lines.push(bytes.subarray(2)), ['₹ 100']);
  });

  it('cuts a line that never ends, so a child writing without newlines cannot grow the buffer', () => {
    const lines = new LineSplitter();
    const heard: string[] = [];
    for (let i = 0; i < 10; i++) heard.push(...lines.push('y'.repeat(1_000)));
    assert.ok(heard.length >= 2 && heard.every((l) => l.length === MAX_LINE_CHARS), heard.map((l) => l.length).join());
    assert.ok(lines.end()[0]!.length < MAX_LINE_CHARS);
    assert.deepEqual(new LineSplitter().push(`${'z'.repeat(MAX_LINE_CHARS + 5)}\n`).map((l) => l.length), [MAX_LINE_CHARS, 5]);
  });
});

describe('OutputTail', () => {
  it(`keeps the last ${TAIL_LINES} lines`, () => {
    const tail = new OutputTail();
    for (let i = 1; i <= 50; i++) tail.push({ stream: i % 2 ? 'stdout' : 'stderr', text: `line ${i}` });
    assert.deepEqual(tail.lines(), Array.from({ length: TAIL_LINES }, (_, i) => `line ${31 + i}`));
  });

  it(`and no more than ${TAIL_CHARS} characters`, () => {
    const tail = new OutputTail();
    for (let i = 0; i < 10; i++) tail.push({ stream: 'stdout', text: `${i}`.repeat(1_000) });
    assert.deepEqual(tail.lines().map((l) => l[0]), ['6', '7', '8', '9']);
    tail.push({ stream: 'stdout', text: 'w'.repeat(10_000) });
    assert.deepEqual(tail.lines().map((l) => l.length), [TAIL_CHARS], 'one huge line, cut to the bound');
  });

  it('remembers the line that says why, after it has left the tail: an uncaught error, V8\'s fatal error', () => {
    const tail = new OutputTail();
    tail.push({ stream: 'stderr', text: 'file:///x/main.js:4' });
    tail.push({ stream: 'stderr', text: 'TypeError: Cannot read properties of undefined (reading \'x\')' });
    for (let i = 0; i < 30; i++) tail.push({ stream: 'stderr', text: `    at frame ${i}` });
    assert.equal(tail.telltale, 'TypeError: Cannot read properties of undefined (reading \'x\')');
    assert.equal(tail.sawOutOfMemory, false);
    tail.push({ stream: 'stderr', text: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' });
    tail.push({ stream: 'stderr', text: 'Error: something printed after it' });
    assert.equal(tail.telltale, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'out of memory says it all');
    assert.equal(tail.sawOutOfMemory, true);
  });

  it('ordinary output says nothing', () => {
    const tail = new OutputTail();
    tail.push({ stream: 'stdout', text: 'cycle 12 ok in 40 ms' });
    tail.push({ stream: 'stderr', text: '(node:123) ExperimentalWarning: something' });
    assert.equal(tail.telltale, null);
  });
});
