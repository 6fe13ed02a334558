// The one problem the status bar shows (a crash, a missing folder, a calendar that cannot be
// planned) until a cycle succeeds or the problem clears, and how each is told: an 'error' event
// for listeners, then a status push.

export interface ProblemOutlets {
  /** An 'error' event, when someone listens (during start-up nobody does: the status carries it). */
  say(message: string): void;
  pushStatus(): void;
}

export class Problems {
  private shown: string | null = null;

  constructor(private readonly outlets: ProblemOutlets) {}

  get current(): string | null {
    return this.shown;
  }

  /** Shown, said and pushed at once. */
  report(message: string): void {
    this.shown = message;
    this.outlets.say(message);
    this.outlets.pushStatus();
  }

  /** Shown without a push: for a problem found while the status is being built, or at start. */
  note(message: string): void {
    this.shown = message;
  }

  /** This problem is over (another one stays). */
  clear(message: string): void {
    if (this.shown === message) this.shown = null;
  }

  /** A cycle worked: whatever was shown is over. */
  clearAll(): void {
    this.shown = null;
  }
}
