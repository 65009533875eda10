/**
 * How library code talks to people. The CLI logs to the terminal; the actions
 * log through `@actions/core`; library code never imports either directly.
 */
export interface Logger {
  /** Normal progress information. */
  info(message: string): void;
  /** Something the user should look at, that does not stop the run. */
  warning(message: string): void;
  /** A finding that stops the run (an error anomaly of the data); the run's own outcome says it stopped. */
  error(message: string): void;
  /** Detail shown only when debugging. */
  debug(message: string): void;
  /**
   * Progress of a long step, e.g. one epoch. Interactive loggers may redraw it in place;
   * others print it as a line. `transient` progress (within an epoch) is shown only
   * where it can be redrawn, so logs get one line per epoch, not one per batch.
   */
  progress(message: string, options?: { transient?: boolean }): void;
  /** Registers a value (a token) that must never appear in logs; where logs are masked (Actions), it is. */
  secret?(value: string): void;
}

/** A logger that drops everything: for tests and `--json` runs. */
export const silentLogger: Logger = {
  info: () => {},
  warning: () => {},
  error: () => {},
  debug: () => {},
  progress: () => {},
};
