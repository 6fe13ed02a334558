// Starts the query worker from its TypeScript source under tsx (tests, the CLI). Node 20 does
// not apply the parent's `--import tsx` to a worker's entry file, so the worker registers tsx
// itself before importing the entry. The built app starts out/main/query-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./query-worker.ts');
