/**
 * Errors the user can fix (bad config, unreadable data, a missing file, an option or an
 * action input ct cannot use) are `UserError`s, ct's one user-error type: the CLI prints
 * their one-line message and exits with code 2, an action fails its step with it.
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

/** Reasons a file cannot be written or read that the user fixes on the machine, not in ct. */
const FILE_SYSTEM_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
};

/**
 * A `UserError` for a file-system failure of the machine (full disk, read-only or
 * forbidden folder), naming the file; the error itself when it is anything else.
 */
export function explainFileSystemError(error: unknown): unknown {
  if (isUserError(error) || typeof error !== 'object' || error === null) return error;
  const { code, path } = error as { code?: unknown; path?: unknown };
  const reason = typeof code === 'string' ? FILE_SYSTEM_REASONS[code] : undefined;
  if (reason === undefined) return error;
  return new UserError(`${typeof path === 'string' ? `cannot write ${path}` : 'file system error'}: ${reason} (${String(code)})`, { cause: error });
}
