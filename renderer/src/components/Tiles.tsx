import type { SeriesPoint, Snapshot } from '../../../shared/domain';
import { changeSince } from '../charts/breadth-figures';
import { num, pct, signed, MISSING } from '../format';

type Key = Parameters<typeof changeSince>[2];

function Delta({ first, latest, k, digits = 0 }: { first: SeriesPoint | undefined; latest: Snapshot | null; k: Key; digits?: number }) {
  const d = changeSince(first, latest, k);
  if (d === null) return <span className="delta">{MISSING} since open</span>;
  return <span className={`delta ${d > 0 ? 'up' : d < 0 ? 'down' : ''}`}>{signed(d, digits)} since open</span>;
}

function Tile({ label, value, sub, testId, tone, children }: { label: string; value: string; sub?: string; testId: string; tone?: string; children?: React.ReactNode }) {
  return (
    <section className={`tile ${tone ?? ''}`} data-testid={testId} aria-label={label}>
      <h3>{label}</h3>
      <div className="tile-value">{value}</div>
      {sub && <div className="tile-sub">{sub}</div>}
      {children}
    </section>
  );
}

export function Tiles({ latest, first }: { latest: Snapshot | null; first: SeriesPoint | undefined }) {
  const s = latest;
  const c = s?.coverage;
  const sentimentTone = !s ? '' : s.sentiment.includes('BULLISH') ? 'tone-up' : s.sentiment.includes('BEARISH') ? 'tone-down' : '';
  return (
    <div className="tiles" data-testid="tiles">
      <Tile label="Advances" testId="tile-advances" tone="tone-up" value={num(s?.advances)} sub={pct(s?.advPct)}>
        <Delta first={first} latest={s} k="advances" />
      </Tile>
      <Tile label="Declines" testId="tile-declines" tone="tone-down" value={num(s?.declines)} sub={pct(s?.declPct)}>
        <Delta first={first} latest={s} k="declines" />
      </Tile>
      <Tile label="Unchanged" testId="tile-unchanged" value={num(s?.unchanged)} sub={pct(s?.unchPct)}>
        <Delta first={first} latest={s} k="unchanged" />
      </Tile>
      <Tile label="A/D ratio" testId="tile-ratio" value={num(s?.adRatio, 2)} sub={s && s.adRatio === null ? 'no declines' : undefined}>
        <Delta first={first} latest={s} k="adRatio" digits={2} />
      </Tile>
      <Tile label="A − D" testId="tile-diff" value={signed(s?.adDiff)}>
        <Delta first={first} latest={s} k="adDiff" />
      </Tile>
      <Tile label="Sentiment" testId="tile-sentiment" tone={`tile-sentiment ${sentimentTone}`} value={s?.sentiment ?? MISSING} sub={s ? `${pct(s.advPct)} advancing` : undefined} />
      <Tile label="Coverage" testId="tile-coverage" value={c ? `${num(c.priced)} / ${num(c.universe)}` : MISSING} sub={c ? 'priced' : undefined}>
        {c && (c.missing > 0 || c.unknown > 0) ? (
          <details className="coverage-details">
            <summary data-testid="coverage-details">{num(c.missing)} missing · {num(c.unknown)} unknown</summary>
            {c.missingSymbols.length > 0 && <p><strong>Missing:</strong> {c.missingSymbols.join(', ')}</p>}
            {c.unknownSymbols.length > 0 && <p><strong>Unknown:</strong> {c.unknownSymbols.join(', ')}</p>}
          </details>
        ) : (
          <span className="delta">{c ? 'every symbol priced' : ''}</span>
        )}
      </Tile>
      {s?.volumeRatio !== null && s?.volumeRatio !== undefined && (
        <Tile label="Up/Down volume" testId="tile-volume" value={num(s.volumeRatio, 2)}>
          <Delta first={first} latest={s} k="volumeRatio" digits={2} />
        </Tile>
      )}
    </div>
  );
}
