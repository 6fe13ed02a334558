// The browser dashboard's link to the host: while it is down the numbers on screen are old, so say so.
export function ConnectionBanner({ reconnecting }: { reconnecting: boolean }) {
  if (!reconnecting) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      Disconnected — reconnecting… The figures below are as of the last update.
    </div>
  );
}
