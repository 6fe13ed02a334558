/**
 * A problem the user can cause and fix (missing file, unreadable workbook, no price column).
 * It carries a one-line message for the status bar and the run log; anything else thrown is a bug.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** Transient: the file may be mid-save or locked; retrying shortly may succeed. */
  readonly transient: boolean;
  constructor(message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.transient = options.transient ?? false;
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}
