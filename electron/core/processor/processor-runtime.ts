// How the processor's V8 is set up, shared by both launchers (Node child and utilityProcess).

/**
 * A small young generation. The processor keeps little alive between cycles (a board and a
 * reference map) but makes several megabytes of short-lived objects per 5,000-symbol cycle;
 * left alone, V8 grows the young generation to 3 x 16 MB and keeps it, which was a third of
 * the processor's resident memory. 4 MB semi-spaces cost a few per cent more CPU in scavenges.
 */
export const PROCESSOR_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
