import { useMemo } from 'react';
import type { StockRow } from '../../../shared/api';
import { sectorBreadth } from '../charts/breadth-figures';

export function SectorBreadth({ stocks }: { stocks: StockRow[] }) {
  const sectors = useMemo(() => sectorBreadth(stocks), [stocks]);
  if (sectors.length === 0) return null; // only when Historical has a Sector column
  const widest = Math.max(...sectors.map((s) => s.total));
  return (
    <section className="panel sectors" aria-label="Sector breadth" data-testid="sectors">
      <h2>Sector breadth</h2>
      <ul>
        {sectors.map((s) => (
          <li key={s.sector}>
            <span className="sector-name">{s.sector}</span>
            <span className="sector-bar" style={{ width: `${(s.total / widest) * 100}%` }} aria-hidden="true">
              <span className="seg up" style={{ flexGrow: s.advances }} />
              <span className="seg flat" style={{ flexGrow: s.unchanged }} />
              <span className="seg down" style={{ flexGrow: s.declines }} />
            </span>
            <span className="sector-counts">
              <span className="up">{s.advances}</span> / <span className="down">{s.declines}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
