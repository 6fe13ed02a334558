// Timings the browser tests read (window.__liveBreadthMetrics): how long the first full render
// takes, and how long a pushed snapshot takes to reach the screen. Cheap enough to keep on.

export interface DashboardMetrics {
  /** ms since navigation when the first data had arrived, and when it was painted. */
  dataLoadedMs: number | null;
  firstRenderMs: number | null;
  seriesPoints: number | null;
  /** Each pushed snapshot: event received → painted, in ms. */
  snapshotApplyMs: number[];
  /** Each pushed snapshot: event received → committed to the DOM (before paint), in ms. */
  snapshotCommitMs: number[];
  pendingSnapshotAt: number | null;
}

declare global {
  interface Window {
    __liveBreadthMetrics?: DashboardMetrics;
  }
}

export const metrics: DashboardMetrics = (window.__liveBreadthMetrics ??= {
  dataLoadedMs: null,
  firstRenderMs: null,
  seriesPoints: null,
  snapshotApplyMs: [],
  snapshotCommitMs: [],
  pendingSnapshotAt: null,
});

/** Runs after the next paint: the frame after the one React's commit is drawn in. */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(fn));
}
