#!/usr/bin/env node
/**
 * Benchmark dispatcher: `npm run bench -- <name>` (or `node bench/run.js <name>`)
 * runs bench/<name>.js, which writes bench/results/<name>.json and prints a table.
 * Arguments after the name are passed on to the benchmark.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((file) => file.endsWith('.js') && file !== 'run.js')
  .map((file) => file.slice(0, -'.js'.length))
  .sort();

const name = process.argv[2];
if (name === undefined || !available.includes(name)) {
  console.error(`${name === undefined ? 'which benchmark?' : `no benchmark "${name}"`} usage: npm run bench -- <name>`);
  console.error(`available: ${available.join(', ') || '(none)'}`);
  process.exit(2);
}
// The benchmark sees its own arguments at process.argv[2...].
process.argv.splice(2, 1);
await import(pathToFileURL(join(here, `${name}.js`)).href);
