// How a processor's end is named and told, from the facts each launcher has. The Node cases run
// for real in node-processor-exit.test.ts; here, each rule on its own, and V8's stderr as a real
// out-of-memory run printed it (captured once from node 20: --max-old-space-size=16, an array
// grown until it failed; the shell saw exit code 134).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, OutputTail } from './output-tail';
import { describeExit, nodeExitReason, utilityExitReason } from './processor-exit';

const REAL_OOM_STDERR = `
<--- Last few GCs --->

[7039:0x36e22e20]       74 ms: Mark-Compact 15.5 (32.3) -> 15.5 (32.1) MB, 10.88 / 0.00 ms  (average mu = 0.175, current mu = 0.062) allocation failure; scavenge might not succeed
[7039:0x36e22e20]       83 ms: Mark-Compact 16.3 (32.8) -> 16.3 (32.8) MB, 8.77 / 0.00 ms  (average mu = 0.129, current mu = 0.074) allocation failure; scavenge might not succeed


<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
----- Native stack trace -----

 1: 0xb78db3 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]
 2: 0xee8300 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]
 3: 0xee85e7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]
 4: 0x10fb205  [node]
 5: 0x1113088 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags) [node]
 6: 0x10e91f1 v8::internal::HeapAllocator::AllocateRawWithLightRetrySlowPath(int, v8::internal::AllocationType, v8::internal::AllocationOrigin, v8::internal::AllocationAlignment) [node]
 7: 0x10ea385 v8::internal::HeapAllocator::AllocateRawWithRetryOrFailSlowPath(int, v8::internal::AllocationType, v8::internal::AllocationOrigin, v8::internal::AllocationAlignment) [node]
 8: 0x10c69a6 v8::internal::Factory::AllocateRaw(int, v8::internal::AllocationType, v8::internal::AllocationAlignment) [node]
 9: 0x10b7e4a v8::internal::FactoryBase<v8::internal::Factory>::AllocateRawArray(int, v8::internal::AllocationType, v8::internal::AllocationAlignment) [node]
10: 0x10b7fb4 v8::internal::FactoryBase<v8::internal::Factory>::NewFixedArrayWithFiller(v8::internal::Handle<v8::internal::Map>, int, v8::internal::Handle<v8::internal::Oddball>, v8::internal::AllocationType) [node]
11: 0x129975f  [node]
12: 0x12a6793  [node]
13: 0x12c1b3b  [node]
14: 0x12cbb55 v8::internal::ArrayConstructInitializeElements(v8::internal::Handle<v8::internal::JSArray>, v8::internal::Arguments<(v8::internal::ArgumentsType)1>*) [node]
15: 0x1512628 v8::internal::Runtime_NewArray(int, unsigned long*, v8::internal::Isolate*) [node]
16: 0x195e476  [node]
`;

/** The tail a real out-of-memory run leaves, fed through the same splitter the launchers use. */
function tailOf(stderr: string): OutputTail {
  const tail = new OutputTail();
  const lines = new LineSplitter();
  for (const text of [...lines.push(stderr), ...lines.end()]) tail.push({ stream: 'stderr', text });
  return tail;
}

describe('nodeExitReason: a Node child process\'s end in Electron\'s words', () => {
  it('signals: SIGKILL and SIGTERM are a kill from outside; SIGSEGV, SIGABRT, SIGBUS, SIGILL a crash', () => {
    assert.equal(nodeExitReason({ code: null, signal: 'SIGKILL' }), 'killed');
    assert.equal(nodeExitReason({ code: null, signal: 'SIGTERM' }), 'killed');
    for (const signal of ['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE']) assert.equal(nodeExitReason({ code: null, signal }), 'crashed', signal);
  });

  it('exit codes: 0 clean, 134 an abort (Node\'s on Windows, a shell\'s on POSIX), others abnormal', () => {
    assert.equal(nodeExitReason({ code: 0, signal: null }), 'clean-exit');
    assert.equal(nodeExitReason({ code: 134, signal: null }), 'crashed');
    assert.equal(nodeExitReason({ code: 1, signal: null }), 'abnormal-exit');
  });

  it('V8\'s out-of-memory report turns an abort (SIGABRT or 134) into oom', () => {
    const tail = tailOf(REAL_OOM_STDERR);
    assert.equal(tail.sawOutOfMemory, true);
    assert.equal(tailOf(REAL_OOM_STDERR.replace(/^FATAL ERROR.*$/m, '')).sawOutOfMemory, false, 'the FATAL ERROR line is what tells');
    assert.equal(tail.telltale, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory');
    assert.equal(nodeExitReason({ code: null, signal: 'SIGABRT', sawOutOfMemory: tail.sawOutOfMemory }), 'oom');
    assert.equal(nodeExitReason({ code: 134, signal: null, sawOutOfMemory: tail.sawOutOfMemory }), 'oom');
    assert.equal(nodeExitReason({ code: 0, signal: null, sawOutOfMemory: true }), 'clean-exit', 'it recovered and exited cleanly');
  });

  it('a spawn error is launch-failed, whatever the code', () => {
    assert.equal(nodeExitReason({ code: -2, signal: null, spawnError: new Error('spawn node ENOENT') }), 'launch-failed');
  });
});

describe('utilityExitReason: Electron\'s reason, corrected by V8', () => {
  it('takes child-process-gone\'s reason; without one, the exit code', () => {
    assert.equal(utilityExitReason('crashed', 11, false), 'crashed');
    assert.equal(utilityExitReason('integrity-failure', 1, false), 'integrity-failure');
    assert.equal(utilityExitReason(null, 0, false), 'clean-exit');
    assert.equal(utilityExitReason(null, 1, false), 'abnormal-exit');
  });

  it('a heap that ran out reads as oom, unless it was killed first', () => {
    assert.equal(utilityExitReason('crashed', 5, true), 'oom');
    assert.equal(utilityExitReason(null, 5, true), 'oom');
    assert.equal(utilityExitReason('killed', 9, true), 'killed');
  });
});

describe('describeExit: one phrase about the processor', () => {
  it('names what happened and the reason in brackets', () => {
    assert.equal(describeExit({ code: null, signal: 'SIGKILL', reason: 'killed' }), 'was killed by SIGKILL (killed)');
    assert.equal(describeExit({ code: 9, signal: null, reason: 'killed' }), 'was killed (killed)');
    assert.equal(describeExit({ code: null, signal: 'SIGSEGV', reason: 'crashed' }), 'crashed with SIGSEGV (crashed)');
    assert.equal(describeExit({ code: null, signal: 'SIGABRT', reason: 'oom' }), 'ran out of memory (oom)');
    assert.equal(describeExit({ code: 3, signal: null, reason: 'abnormal-exit' }), 'exited with code 3 (abnormal-exit)');
    assert.equal(describeExit({ code: null, signal: null, reason: 'launch-failed', detail: 'spawn node ENOENT' }), 'could not be launched: spawn node ENOENT (launch-failed)');
    assert.equal(describeExit({ code: 0, signal: null, reason: 'clean-exit' }), 'exited (clean-exit)');
  });
});
