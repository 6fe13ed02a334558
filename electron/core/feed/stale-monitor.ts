// Whether Live is still changing: one timer, only while auto-processing is on and the session
// is open, set for when the feed would turn stale; it says so once per stale spell.
import type { AppStatus } from '../../../shared/api';
import { marketState, type ExchangeProfile } from '../../../shared/market-calendar';
import type { Clock } from '../clock/clock';
import { feedStatus } from './feed-status';

export interface StaleMonitorOptions {
  clock: Clock;
  /** Read afresh at every plan: settings can change. */
  settings: () => { exchange: ExchangeProfile; staleAfterSeconds: number };
  /** Auto-processing on: off, nobody expects the feed to move. */
  active: () => boolean;
  /** The feed has turned stale; once per spell, until Live changes again. */
  onStale: (feed: AppStatus['feed']) => void;
}

export class StaleFeedMonitor {
  private lastChange: Date | null = null;
  private timer: unknown = null;
  private notified = false;

  constructor(private readonly options: StaleMonitorOptions) {}

  /** When Live last changed on disk, as far as we know. */
  get lastLiveChange(): Date | null {
    return this.lastChange;
  }

  /**
   * Live's time as found on disk (at start, or in another folder). Not a save seen: a stale
   * spell already reported stays reported.
   */
  foundLive(modifiedAt: Date | null): void {
    this.lastChange = modifiedAt;
  }

  /** Live was saved: the feed is fresh, and the next stale spell will be reported. */
  liveChanged(modifiedAt: Date): void {
    this.lastChange = modifiedAt;
    this.notified = false;
    this.plan();
  }

  /** Sets the timer afresh (after a change, a scheduler plan, a wake from sleep). */
  plan(): void {
    this.stop();
    const { clock } = this.options;
    const s = this.options.settings();
    const now = clock.now();
    if (!this.options.active() || marketState(now, s.exchange).phase !== 'open') return;
    const since = this.lastChange?.getTime() ?? now.getTime();
    const due = since + s.staleAfterSeconds * 1000 - now.getTime();
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      const at = clock.now();
      const feed = feedStatus({ now: at, lastChange: this.lastChange, staleAfterSeconds: s.staleAfterSeconds, open: marketState(at, s.exchange).phase === 'open' });
      if (!feed.stale) return this.plan(); // woken early (a timer may fire a little soon)
      if (!this.notified) {
        this.notified = true;
        this.options.onStale(feed);
      }
    }, Math.max(due, 1000));
  }

  /** No timer until the next plan. */
  stop(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
