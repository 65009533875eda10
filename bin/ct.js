#!/usr/bin/env node
// Entry of the `ct` binary: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  // An install from git builds dist/ in ct's prepare script; without it there is no CLI to run.
  process.stderr.write(
    'ct: the compiled CLI (dist/) is missing: in a clone of ct, run npm ci; where ct was installed from git, npm did not run its prepare script (allow it with npm install-scripts approve ct-train, then install ct again)\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
