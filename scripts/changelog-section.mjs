#!/usr/bin/env node
/**
 * Prints the CHANGELOG.md section of a release, the notes of its GitHub release:
 *   node scripts/changelog-section.mjs v1.2.3 [CHANGELOG.md]
 * Fails (exit 1, one line) when the changelog has no `## [1.2.3]` section or it is empty: a
 * release says what changed.
 */
import { readFileSync } from 'node:fs';

const [tag, file = 'CHANGELOG.md'] = process.argv.slice(2);
const version = /^v?(\d+\.\d+\.\d+(?:-[\w.]+)?)$/.exec(tag ?? '')?.[1];
if (version === undefined) {
  console.error(`changelog-section: expected a version tag such as v1.2.3, got "${tag ?? ''}"`);
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
if (start < 0) {
  console.error(`changelog-section: ${file} has no "## [${version}]" section: add one before tagging v${version}`);
  process.exit(1);
}
const next = lines.findIndex((line, i) => i > start && /^## /.test(line));
const body = lines
  .slice(start + 1, next < 0 ? lines.length : next)
  .join('\n')
  .trim();
if (body === '') {
  console.error(`changelog-section: the "## [${version}]" section of ${file} is empty`);
  process.exit(1);
}
console.log(body);
