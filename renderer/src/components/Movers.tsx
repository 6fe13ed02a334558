import type { Movers as MoversData, StockRow } from '../../../shared/api';
import { num, signed } from '../format';

function MoverList({ title, rows, testId }: { title: string; rows: StockRow[]; testId: string }) {
  return (
    <div className="mover-list" data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="empty-line">None yet</p>
      ) : (
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.symbol}>
                <td className="sym">{r.symbol}</td>
                <td className="num">{num(r.ltp, 2)}</td>
                <td className={`num ${r.changePct > 0 ? 'up' : 'down'}`}>{signed(r.changePct, 2)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function Movers({ movers }: { movers: MoversData }) {
  return (
    <section className="panel movers" aria-label="Top movers" data-testid="movers">
      <h2>Top movers</h2>
      <div className="mover-columns">
        <MoverList title="Gainers" rows={movers.gainers} testId="gainers" />
        <MoverList title="Losers" rows={movers.losers} testId="losers" />
      </div>
    </section>
  );
}
