import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StockRow } from '../../../shared/api';
import type { PriceStatus } from '../../../shared/domain';
import { compactVolume, num, signed } from '../format';

type SortKey = 'symbol' | 'ltp' | 'refPrice' | 'change' | 'changePct' | 'volume' | 'status' | 'sector';
const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'symbol', label: 'Symbol', numeric: false },
  { key: 'ltp', label: 'LTP', numeric: true },
  { key: 'refPrice', label: 'Prev close', numeric: true },
  { key: 'change', label: 'Change', numeric: true },
  { key: 'changePct', label: 'Change %', numeric: true },
  { key: 'volume', label: 'Volume', numeric: true },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'sector', label: 'Sector', numeric: false },
];
const ROW_HEIGHT = 28;
const STATUS_LABEL: Record<PriceStatus, string> = { advance: 'Advance', decline: 'Decline', unchanged: 'Unchanged' };

function compare(a: StockRow, b: StockRow, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (x === y) return 0;
  if (x === null) return 1; // missing values sort last either way
  if (y === null) return -1;
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
}

export function StockTable({ stocks }: { stocks: StockRow[] }) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<PriceStatus | 'all'>('all');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'changePct', dir: -1 });
  const query = useDeferredValue(text.trim().toUpperCase());

  const rows = useMemo(() => {
    const filtered = stocks.filter(
      (s) => (status === 'all' || s.status === status) && (!query || s.symbol.includes(query) || (s.sector ?? '').toUpperCase().includes(query)),
    );
    return filtered.sort((a, b) => {
      const c = compare(a, b, sort.key);
      return a[sort.key] === null || b[sort.key] === null ? c : c * sort.dir;
    });
  }, [stocks, status, query, sort]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  const sortBy = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'symbol' || key === 'sector' ? 1 : -1 }));

  return (
    <section className="panel stock-table" aria-label="Stocks" data-testid="stock-table">
      <div className="panel-head">
        <h2>Stocks</h2>
        <div className="filters">
          <input type="search" placeholder="Filter symbol or sector" aria-label="Filter symbol or sector" data-testid="stock-filter" value={text} onChange={(e) => setText(e.target.value)} />
          <select aria-label="Status" data-testid="status-filter" value={status} onChange={(e) => setStatus(e.target.value as PriceStatus | 'all')}>
            <option value="all">All</option>
            <option value="advance">Advances</option>
            <option value="decline">Declines</option>
            <option value="unchanged">Unchanged</option>
          </select>
          <span className="count" data-testid="stock-count">{num(rows.length)} of {num(stocks.length)}</span>
        </div>
      </div>
      <div className="table-grid header" role="row">
        {COLUMNS.map((c) => (
          <button
            key={c.key}
            type="button"
            role="columnheader"
            className={c.numeric ? 'num' : ''}
            aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
            data-testid={`sort-${c.key}`}
            onClick={() => sortBy(c.key)}
          >
            {c.label}
            {sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      <div ref={scroller} className="table-scroll" role="table" aria-rowcount={rows.length} tabIndex={0}>
        {rows.length === 0 ? (
          <div className="empty">{stocks.length ? 'No stock matches the filter' : 'No prices yet'}</div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((item) => {
              const r = rows[item.index]!;
              return (
                <div
                  key={r.symbol}
                  role="row"
                  data-testid="stock-row"
                  className={`table-grid row ${r.status}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <span className="sym">{r.symbol}</span>
                  <span className="num">{num(r.ltp, 2)}</span>
                  <span className="num">{num(r.refPrice, 2)}</span>
                  <span className="num chg">{signed(r.change, 2)}</span>
                  <span className="num chg">{signed(r.changePct, 2)}%</span>
                  <span className="num">{compactVolume(r.volume)}</span>
                  <span className="status-cell">{STATUS_LABEL[r.status]}</span>
                  <span className="sector-cell">{r.sector ?? '—'}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
