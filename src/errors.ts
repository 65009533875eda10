/**
 * Errors the user can fix (bad config, unreadable data, a missing file) are
 * `UserError`s: the CLI prints their one-line message and exits with code 2.
 * Anything else is a bug in ct and keeps its stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for errors whose message is meant for the user as it is. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
