import { useEffect, useState } from 'react';
import type { JobItemFailure, JobRecord } from '../../../shared/jobs';
import { num } from '../format';
import { countsLine, describeJob, elapsedSeconds, etaLabel, humanDuration, jobActions, jobTime, resultLine, STATE_LABEL } from '../jobs/job-view';
import type { JobsActions } from '../state/useJobs';

/** Done in the state's colour, failed items in red after it; striped while nothing is planned yet. */
export function JobProgressBar({ job }: { job: JobRecord }) {
  const { done, failed, total, percent } = job.progress;
  const share = (n: number) => (total > 0 ? Math.min(100, (100 * n) / total) : 0);
  const planning = total === 0 && (job.state === 'running' || job.state === 'queued');
  return (
    <div
      className={`job-bar job-bar-${job.state}${planning ? ' planning' : ''}`}
      role="progressbar"
      aria-label={`${describeJob(job).title}: ${num(percent, 1)}%`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="job-progress"
      data-percent={percent}
    >
      <span className="job-bar-done" style={{ width: `${job.state === 'completed' && total === 0 ? 100 : share(done)}%` }} />
      <span className="job-bar-failed" style={{ width: `${share(failed)}%` }} />
    </div>
  );
}

function FailedItems({ job, actions }: { job: JobRecord; actions: JobsActions }) {
  const [failures, setFailures] = useState<JobItemFailure[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Read when opened, and again as more items fail while it is open.
  useEffect(() => {
    let current = true;
    actions.detail(job.id).then(
      (detail) => current && setFailures(detail.failures),
      (e: Error) => current && setError(e.message),
    );
    return () => {
      current = false;
    };
  }, [actions, job.id, job.progress.failed]);
  if (error) return <p className="field-error">{error}</p>;
  if (!failures) return <p className="empty-line">Reading…</p>;
  return (
    <ul className="job-failures" data-testid="job-failures">
      {failures.map((f) => (
        <li key={f.item}><span className="sym">{f.item}</span> {f.reason}</li>
      ))}
      {job.progress.failed > failures.length && <li className="empty-line">… and {num(job.progress.failed - failures.length)} more</li>}
    </ul>
  );
}

export function JobCard({ job, zone, now, actions, compact = false }: { job: JobRecord; zone: string; now: number; actions: JobsActions; compact?: boolean }) {
  const [showFailures, setShowFailures] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { title, detail } = describeJob(job);
  const allowed = jobActions(job);
  const elapsed = elapsedSeconds(job, now);
  const eta = job.state === 'running' ? etaLabel(job.progress.etaSeconds) : null;
  const rate = job.state === 'running' && job.progress.itemsPerSecond !== null ? `${num(job.progress.itemsPerSecond, 1)} items/s` : null;
  const result = job.state === 'completed' ? resultLine(job) : null;

  const act = (work: (id: number) => Promise<string | null>) => async () => {
    setBusy(true);
    setRefusal(await work(job.id));
    setBusy(false);
  };
  const times = [
    job.startedAt ? `started ${jobTime(job.startedAt, zone)}` : `queued ${jobTime(job.createdAt, zone)}`,
    elapsed !== null ? `${job.finishedAt ? 'took' : 'running for'} ${humanDuration(elapsed)}` : null,
    job.finishedAt ? `ended ${jobTime(job.finishedAt, zone)}` : null,
  ].filter(Boolean).join(' · ');

  return (
    <article className={`job-card job-${job.state}${compact ? ' compact' : ''}`} data-testid="job-card" data-job-id={job.id} data-state={job.state}>
      <header className="job-head">
        <span className="job-title">{title}</span>
        <span className={`badge job-badge-${job.state}`} data-testid="job-state">{STATE_LABEL[job.state]}</span>
        <span className="job-buttons">
          {allowed.cancel && <button type="button" data-testid="job-cancel" disabled={busy} onClick={act(actions.cancel)}>Cancel</button>}
          {allowed.retry && <button type="button" data-testid="job-retry" disabled={busy} onClick={act(actions.retry)}>Retry</button>}
          {allowed.dismiss && !compact && <button type="button" data-testid="job-dismiss" disabled={busy} onClick={act(actions.dismiss)}>Dismiss</button>}
        </span>
      </header>
      {detail && !compact && <div className="job-detail">{detail}</div>}
      <JobProgressBar job={job} />
      <div className="job-facts">
        <span data-testid="job-counts">{countsLine(job)}</span>
        <span className="job-percent">{num(job.progress.percent, 1)}%</span>
        {job.progress.currentItem && <span>now: {job.progress.currentItem}</span>}
        {rate && <span>{rate}</span>}
        {eta && <span data-testid="job-eta">{eta}</span>}
      </div>
      <div className="job-times" data-testid="job-times">
        {times}
        {job.attempts > 1 && ` · attempt ${job.attempts} of ${job.maxAttempts}`}
      </div>
      {job.state === 'failed' && job.nextAttemptAt && <div className="job-next">Next attempt {jobTime(job.nextAttemptAt, zone)}</div>}
      {job.lastError && job.state !== 'completed' && <div className="job-error" data-testid="job-error">{job.lastError}</div>}
      {result && <div className="job-result" data-testid="job-result">{result}</div>}
      {refusal && <div className="field-error" role="alert">{refusal}</div>}
      {job.progress.failed > 0 && !compact && (
        <div className="job-failed-items">
          <button type="button" className="link" data-testid="job-show-failures" onClick={() => setShowFailures(!showFailures)}>
            {showFailures ? 'Hide' : 'Show'} {num(job.progress.failed)} failed {job.progress.failed === 1 ? 'item' : 'items'}
          </button>
          {showFailures && <FailedItems job={job} actions={actions} />}
        </div>
      )}
    </article>
  );
}
