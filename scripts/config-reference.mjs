// Writes the configuration reference into docs/configuration.md from the schema ct checks configs with
// (src/config/schema.ts and src/config/reference.ts, compiled to dist/). Run: npm run docs:config
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference, withReference } from '../dist/config/reference.js';
import { configSchema } from '../dist/config/schema.js';

const file = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(file, withReference(readFileSync(file, 'utf8'), configReference(configSchema)));
console.log(`wrote the configuration reference into ${file.pathname}`);
