// The arguments of an API call as they leave the renderer, for both transports (the preload's IPC
// and the WebSocket client).

/**
 * The arguments without their trailing undefineds. An optional argument passed as undefined means
 * "omitted", but it would still travel: structured clone keeps it as undefined and JSON turns it
 * into null, and the boundary's tuple schema counts it (a call that takes no arguments refuses
 * one). Dropping the trailing ones makes the call arrive as if they had been left out; one in the
 * middle has to stay as a placeholder, and the boundary reads it as omitted.
 */
export function trimOmittedArgs(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}
