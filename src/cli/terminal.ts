/**
 * The CLI's logger: messages on stderr (stdout is kept for `--json` results);
 * progress within a step is redrawn in place on a terminal and left out of logs.
 */
import type { Logger } from '../logger.js';

export interface TerminalOptions {
  quiet: boolean;
  debug: boolean;
  stream?: NodeJS.WriteStream;
}

/** A logger writing to stderr. Quiet keeps only warnings. */
export function terminalLogger(options: TerminalOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const interactive = stream.isTTY === true;
  let progressShown = false;
  const write = (line: string): void => {
    if (progressShown) {
      stream.write('\r\x1b[2K');
      progressShown = false;
    }
    stream.write(`${line}\n`);
  };
  return {
    info: (m) => {
      if (!options.quiet) write(m);
    },
    warning: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
    debug: (m) => {
      if (options.debug) write(`debug: ${m}`);
    },
    progress: (m, progressOptions) => {
      if (options.quiet) return;
      // Per-epoch lines stay; within-epoch progress is redrawn in place on a terminal and dropped elsewhere.
      if (progressOptions?.transient !== true) return write(m);
      if (!interactive) return;
      stream.write(`\r\x1b[2K${m}`);
      progressShown = true;
    },
  };
}
