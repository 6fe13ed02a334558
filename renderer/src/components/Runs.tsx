import { useState } from 'react';
import type { RejectedRow, RunRecord } from '../../../shared/domain';
import { formatExchangeTime } from '../charts/session-axis';
import { duration, num } from '../format';

export function Runs({ runs, zone, loadRejections }: { runs: RunRecord[]; zone: string; loadRejections: (runId: number) => Promise<RejectedRow[]> }) {
  const [open, setOpen] = useState<{ runId: number; rows: RejectedRow[] } | null>(null);
  const show = async (runId: number) => setOpen(open?.runId === runId ? null : { runId, rows: await loadRejections(runId) });
  return (
    <section className="panel runs" aria-label="Processing runs" data-testid="runs">
      <h2>Runs</h2>
      <div className="runs-scroll">
        <table>
          <thead>
            <tr>
              <th>Time</th><th>Trigger</th><th className="num">Duration</th><th className="num">Read</th><th className="num">Valid</th><th className="num">Rejected</th><th>Status</th><th>Message</th>
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 && (
              <tr><td colSpan={8} className="empty-line">No runs yet</td></tr>
            )}
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row" className={`run-${r.status}`}>
                <td title={r.startedAt}>{r.tradeDate.slice(5)} {formatExchangeTime(Date.parse(r.startedAt), zone, true)}</td>
                <td>{r.trigger}</td>
                <td className="num">{duration(r.durationMs)}</td>
                <td className="num">{num(r.rowsRead)}</td>
                <td className="num">{num(r.rowsValid)}</td>
                <td className="num">
                  {r.rowsRejected > 0 ? (
                    <button type="button" className="link" data-testid="show-rejected" onClick={() => void show(r.id)}>{num(r.rowsRejected)}</button>
                  ) : '0'}
                </td>
                <td><span className={`badge badge-${r.status}`}>{r.status}</span></td>
                <td className="message" data-testid="run-message">{r.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open && (
        <div className="rejections" data-testid="rejections">
          <h3>Rejected rows of run {open.runId}</h3>
          <ul>
            {open.rows.map((row, i) => (
              <li key={i}>{row.file} row {row.row}{row.symbol ? ` (${row.symbol})` : ''}: {row.reason}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
