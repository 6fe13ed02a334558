// The demo feed: writes Historical once, then rewrites Live every few seconds like an
// RTD-fed workbook that Excel saves.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { DEFAULT_EXCHANGE_ZONE } from '../../../shared/exchange-time';
import { DemoMarket } from './market';
import { historicalWorkbook, liveWorkbook, saveLikeExcel } from './workbooks';

export interface DemoFeedOptions {
  dataDir: string;
  symbols: number;
  seed?: number;
  zone?: string;
  /** Leave an Excel owner file (~$Live.xlsx) beside Live, as an open workbook does. */
  ownerFile?: boolean;
}

export class DemoFeed {
  readonly market: DemoMarket;
  constructor(private readonly options: DemoFeedOptions) {
    this.market = new DemoMarket(options.symbols, options.seed);
  }

  get livePath(): string {
    return path.join(this.options.dataDir, 'Live.xlsx');
  }

  async writeHistorical(): Promise<void> {
    await mkdir(this.options.dataDir, { recursive: true });
    await saveLikeExcel(path.join(this.options.dataDir, 'Historical.xlsx'), await historicalWorkbook(this.market.stocks));
    if (this.options.ownerFile ?? true) {
      // Excel's lock file: a few bytes naming the user; readers must ignore it.
      await writeFile(path.join(this.options.dataDir, '~$Live.xlsx'), Buffer.from('\u0008LiveBreadth demo'));
    }
  }

  /** Advance the market one refresh and save Live. */
  async writeLive(at: Date = new Date()): Promise<void> {
    this.market.step();
    const time = DateTime.fromJSDate(at, { zone: this.options.zone ?? DEFAULT_EXCHANGE_ZONE }).toFormat('HH:mm:ss');
    await saveLikeExcel(this.livePath, await liveWorkbook(this.market.stocks, time));
  }
}
