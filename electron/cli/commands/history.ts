// `history`: the daily breadth history from NSE's bhavcopies — `history import` fetches and
// stores a range of sessions (the history-import job), `history show` prints what is stored.
import { runHistoryImport, type HistoryImportOptions } from './history-import';
import { runHistoryShow, type HistoryShowOptions } from './history-show';
import { UsageError } from '../usage';

export async function runHistory(positionals: string[], options: HistoryImportOptions & HistoryShowOptions): Promise<number> {
  const [sub, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
  if (sub === 'import') {
    if (options.json) throw new UsageError('--json is for history show');
    return runHistoryImport(options);
  }
  if (sub === 'show') {
    for (const option of ['source', 'base-url', 'rate'] as const) {
      if (options[option] !== undefined) throw new UsageError(`--${option} is for history import`);
    }
    if (options.force) throw new UsageError('--force is for history import');
    return runHistoryShow(options);
  }
  throw new UsageError(sub === undefined ? 'history needs import or show (run with --help)' : `Unknown history command "${sub}": use import or show`);
}
