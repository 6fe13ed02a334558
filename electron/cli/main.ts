#!/usr/bin/env node
// The LiveBreadth command line: once, demo-feed, serve, demo, backup, history (import, show),
// bench. Runs under plain Node (tsx), no build.
import { parseArgs } from 'node:util';
import { runOnce } from './commands/once';
import { runDemoFeed } from './commands/demo-feed';
import { runDemo } from './commands/demo';
import { runBench } from './bench';
import { runServe } from './commands/serve';
import { runBackup } from './commands/backup';
import { runHistory } from './commands/history';
import { UsageError } from './usage';
import { ProcessorStartError } from '../core/processor/supervision';

const HELP = `LiveBreadth: market breadth from a broker's Excel feed

Usage: npm run breadth -- <command> [options]

Commands:
  once --data DIR [--db FILE] [--json]      run one cycle on DIR and print the snapshot
  demo-feed --data DIR [--symbols N] [--every SECONDS] [--count N]
                                            write Historical.xlsx, then rewrite Live.xlsx
                                            every few seconds like an RTD-fed workbook
  serve --data DIR [--db FILE] [--port 8787] [--host 127.0.0.1] [--token T] [--always-open]
                                            the headless host: dashboard over HTTP, API over
                                            WebSocket; off loopback an access token is required
        [--allow-remote-folder-changes]     let network dashboards change the data folder and file names
  demo [--data DIR] [--db FILE] [--symbols N] [--every SECONDS] [--port 8787]
                                            the demo feed into DIR (default ./live_data) and
                                            the headless host on it, round the clock
  backup --to FILE [--db FILE] [--force]   copy the database while the app runs (SQLite's
                                            online backup); --force replaces FILE
  history import --from D --to D [--source DIR|nse]... [--base-url URL] [--rate N]
                 [--force] [--db FILE]      import NSE's daily bhavcopies for the sessions
                                            from D to D (YYYY-MM-DD): from a folder of files
                                            and/or NSE's archive, tried in the order given
                                            (default nse, N requests/s, default 1); --force
                                            re-imports days already imported
  history show [--from D] [--to D] [--db FILE] [--json]
                                            the daily breadth history: A/D line, McClellan,
                                            % above the 50/200-day averages, new highs/lows
  bench [--sizes 204,2000,5000] [--cycles 100] [--soak 1000] [--saves 30]
        [--series-points 22501] [--processor built|source] [--bad-inputs 1024]
        [--history 250] [--json]
                                            the performance figures, each against its target;
                                            the built processor (out/main) when there is one
Options:
  --db FILE     database (default: the user's data directory)
  -h, --help    this help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      symbols: { type: 'string' },
      every: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      sizes: { type: 'string' },
      cycles: { type: 'string' },
      soak: { type: 'string' },
      saves: { type: 'string' },
      'series-points': { type: 'string' },
      'bad-inputs': { type: 'string' },
      history: { type: 'string' },
      processor: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'always-open': { type: 'boolean', default: false },
      'allow-remote-folder-changes': { type: 'boolean', default: false },
      to: { type: 'string' },
      force: { type: 'boolean', default: false },
      from: { type: 'string' },
      source: { type: 'string', multiple: true },
      'base-url': { type: 'string' },
      rate: { type: 'string' },
    },
  });
  // Only history has sub-commands; elsewhere a bare word is a mistake, as parseArgs would say.
  if (command !== 'history' && positionals.length > 0) {
    throw new UsageError(`Unexpected argument '${positionals[0]}'. This command does not take positional arguments`);
  }
  switch (command) {
    case 'once':
      return runOnce(values);
    case 'demo-feed':
      return runDemoFeed(values);
    case 'demo':
      return runDemo(values);
    case 'serve':
      return runServe(values);
    case 'bench':
      return runBench(values);
    case 'backup':
      return runBackup(values);
    case 'history':
      return runHistory(positionals, values);
    default:
      throw new UsageError(`Unknown command "${command}". Run with --help for the list.`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`breadth: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ProcessorStartError) {
      // The processor could not open the database (a folder in its place, no permission…): the
      // user's to fix, so one line and no stack; the supervisor has already stopped it.
      process.stderr.write(`breadth: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    // Our bug, not the user's: say so plainly; the stack only on request.
    process.stderr.write(`breadth: internal error: ${(error as Error).message ?? error}\n`);
    if (process.env.LIVEBREADTH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  },
);
