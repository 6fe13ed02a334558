// A simulated market for the demo feed, benchmarks and tests: prices follow a seeded random
// walk with a shared market factor, so breadth drifts the way a real session does.
import { seededRandom } from '../../../shared/seeded-random';

export interface DemoStock {
  symbol: string;
  sector: string;
  prevClose: number;
  open: number;
  ltp: number;
  high: number;
  low: number;
  volume: number;
}

const NAMED: ReadonlyArray<readonly [string, string, number]> = [
  ['RELIANCE', 'Energy', 2890.45], ['TCS', 'IT', 4120.1], ['HDFCBANK', 'Banking', 1675.3],
  ['INFY', 'IT', 1850.75], ['ICICIBANK', 'Banking', 1290.6], ['HINDUNILVR', 'FMCG', 2410.0],
  ['ITC', 'FMCG', 468.35], ['SBIN', 'Banking', 812.4], ['BHARTIARTL', 'Telecom', 1580.2],
  ['KOTAKBANK', 'Banking', 1765.9], ['LT', 'Infrastructure', 3620.55], ['AXISBANK', 'Banking', 1180.25],
  ['ASIANPAINT', 'Consumer', 2950.0], ['MARUTI', 'Auto', 12450.8], ['M&M', 'Auto', 2980.4],
  ['BAJAJ-AUTO', 'Auto', 9870.15], ['SUNPHARMA', 'Pharma', 1780.6], ['TITAN', 'Consumer', 3490.3],
  ['ULTRACEMCO', 'Cement', 11230.0], ['WIPRO', 'IT', 560.85], ['NESTLEIND', 'FMCG', 2530.45],
  ['TATAMOTORS', 'Auto', 980.7], ['TATASTEEL', 'Metals', 165.25], ['POWERGRID', 'Energy', 330.6],
  ['NTPC', 'Energy', 410.15], ['ONGC', 'Energy', 285.9], ['HCLTECH', 'IT', 1820.35],
  ['BAJFINANCE', 'Finance', 7150.0], ['ADANIENT', 'Metals', 3120.75], ['JSWSTEEL', 'Metals', 945.5],
  ['COALINDIA', 'Metals', 480.2], ['DRREDDY', 'Pharma', 6710.0], ['CIPLA', 'Pharma', 1560.45],
  ['GRASIM', 'Cement', 2690.1], ['TECHM', 'IT', 1690.85], ['HINDALCO', 'Metals', 690.3],
  ['INDUSINDBK', 'Banking', 1420.65], ['BRITANNIA', 'FMCG', 5780.0], ['EICHERMOT', 'Auto', 4890.25],
  ['HEROMOTOCO', 'Auto', 5520.9], ['APOLLOHOSP', 'Healthcare', 6980.4], ['DIVISLAB', 'Pharma', 5840.55],
  ['BPCL', 'Energy', 345.8], ['SBILIFE', 'Insurance', 1610.2], ['HDFCLIFE', 'Insurance', 690.45],
  ['TATACONSUM', 'FMCG', 1120.3], ['BAJAJFINSV', 'Finance', 1790.6], ['SHRIRAMFIN', 'Finance', 3050.0],
  ['LTIM', 'IT', 5980.75], ['ADANIPORTS', 'Infrastructure', 1390.5],
];
const SECTORS = ['Banking', 'IT', 'Auto', 'Pharma', 'FMCG', 'Energy', 'Metals', 'Finance', 'Realty', 'Chemicals'];

const tick = (price: number) => Math.max(0.05, Math.round(price * 20) / 20); // NSE tick size 0.05

export class DemoMarket {
  readonly stocks: DemoStock[];
  private readonly random: () => number;
  /** The market's move from the previous close, mean-reverting: breadth swings, not trends. */
  private marketLevel = 0;
  /** Each stock's own move from the previous close, also mean-reverting. */
  private readonly ownLevel: number[];
  private readonly beta: number[];

  constructor(symbolCount: number, seed = 20261120) {
    this.random = seededRandom(seed);
    this.ownLevel = [];
    this.beta = [];
    this.stocks = Array.from({ length: symbolCount }, (_, i) => {
      const named = NAMED[i];
      const prevClose = named ? named[2] : tick(50 + this.random() * 3000);
      this.ownLevel.push((this.random() - 0.5) * 0.01);
      this.beta.push(0.6 + this.random() * 0.8);
      const open = tick(prevClose * (1 + this.ownLevel[i]!));
      return {
        symbol: named ? named[0] : `DEMO${String(i + 1).padStart(4, '0')}`,
        sector: named ? named[1] : SECTORS[i % SECTORS.length]!,
        prevClose,
        open,
        ltp: open,
        high: open,
        low: open,
        volume: Math.round(this.random() * 50_000),
      };
    });
  }

  private gaussian(): number {
    // Box-Muller from the seeded source, so a seed replays the same session.
    const u = Math.max(this.random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** One feed refresh: the market and each stock drift and revert; some stocks do not trade. */
  step(): void {
    this.marketLevel = this.marketLevel * 0.999 + this.gaussian() * 0.00018;
    this.stocks.forEach((s, i) => {
      this.ownLevel[i] = this.ownLevel[i]! * 0.995 + this.gaussian() * 0.0012;
      if (this.random() < 0.25) return; // not every stock trades every refresh
      s.ltp = tick(s.prevClose * (1 + this.beta[i]! * this.marketLevel + this.ownLevel[i]!));
      s.high = Math.max(s.high, s.ltp);
      s.low = Math.min(s.low, s.ltp);
      s.volume += Math.round(this.random() * 5_000);
    });
  }
}
