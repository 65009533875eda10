// Writes docs/ct.config.schema.json from the schema ct checks configs with
// (src/config/schema.ts, compiled to dist/). Run: npm run schema
import { writeFileSync } from 'node:fs';
import { configSchema } from '../dist/config/schema.js';

const file = new URL('../docs/ct.config.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configSchema, null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
