import type { JobRecord, QueueStats } from '../../../shared/jobs';
import { describeJob, statsLine } from '../jobs/job-view';
import type { JobsActions } from '../state/useJobs';
import { JobCard } from './JobCard';
import { useNow } from './useNow';

/** Every job, newest first, with the queue's statistics and its dead-letter list. */
export function JobsPanel({ jobs, stats, zone, actions, error }: { jobs: JobRecord[]; stats: QueueStats | null; zone: string; actions: JobsActions; error: string | null }) {
  // Elapsed times tick on screen; the jobs themselves come by events.
  const now = useNow(1000);
  const dead = stats?.dead ?? [];
  return (
    <section className="panel jobs" aria-label="Jobs" data-testid="jobs-panel">
      <div className="panel-head">
        <h2>Jobs</h2>
        <span className="jobs-stats" data-testid="jobs-stats">{statsLine(stats)}</span>
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      {dead.length > 0 && (
        <p className="jobs-dead" data-testid="jobs-dead">
          Dead letter: {dead.map((j) => `#${j.id} ${describeJob(j).title}`).join(', ')} — spent every attempt; retry or dismiss.
        </p>
      )}
      {jobs.length === 0 ? (
        <p className="empty-line" data-testid="jobs-empty">No jobs. Import history from the History view.</p>
      ) : (
        <div className="job-list">
          {jobs.map((job) => <JobCard key={job.id} job={job} zone={zone} now={now} actions={actions} />)}
        </div>
      )}
    </section>
  );
}
