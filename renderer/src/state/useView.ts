// Which view is on screen (the live day, the daily history, the jobs), kept in the address's
// hash so a reload or a bookmark opens the same one.
import { useCallback, useEffect, useState } from 'react';

export type ViewKey = 'live' | 'history' | 'jobs';
export const VIEWS: ReadonlyArray<{ key: ViewKey; label: string }> = [
  { key: 'live', label: 'Live' },
  { key: 'history', label: 'History' },
  { key: 'jobs', label: 'Jobs' },
];

function fromHash(): ViewKey {
  const key = location.hash.replace(/^#/, '');
  return VIEWS.some((v) => v.key === key) ? (key as ViewKey) : 'live';
}

export function useView(): [ViewKey, (view: ViewKey) => void] {
  const [view, setViewState] = useState<ViewKey>(fromHash);
  useEffect(() => {
    const onHash = () => setViewState(fromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const setView = useCallback((next: ViewKey) => {
    // replaceState keeps the query (the access token) and adds no history entry per click.
    history.replaceState(null, '', next === 'live' ? `${location.pathname}${location.search}` : `#${next}`);
    setViewState(next);
  }, []);
  return [view, setView];
}
