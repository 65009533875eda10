/**
 * The configuration reference in docs/configuration.md is generated from the schema ct checks
 * configs with: every setting appears, and the page's copy is the current one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configReference, REFERENCE_MARKERS, withReference } from '../../src/config/reference.js';
import { configSchema } from '../../src/config/schema.js';
import { root } from '../pipeline/repo.js';

describe('configuration reference', () => {
  const reference = configReference(configSchema);

  it('lists every setting with its default, allowed values and bounds', () => {
    expect(reference).toContain('| `data.path` (required) | string |');
    expect(reference).toContain('| `data.window.newestDays` | integer |  | The newest N calendar days. Range: ≥ 1. |');
    expect(reference).toMatch(/\| `task` \(required\) \| one of \| {2}\| .*Values: `binary`, `multiclass`, `regression`\. \|/);
    expect(reference).toMatch(/\| `features\[\]\.embedding` \|/);
    expect(reference).toMatch(/\| `gates\[\]\.metric` /);
    expect(reference).toMatch(/\| `monitoring\.retrainDrop` \| number \| `0\.02` \|/);
    // Every top-level section of the schema has a row.
    for (const key of Object.keys((configSchema as { properties: Record<string, unknown> }).properties).filter((k) => k !== '$schema'))
      expect(reference).toContain(`| \`${key}\``);
  });

  it('docs/configuration.md holds the current reference (run `npm run docs:config`)', () => {
    const page = readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');
    expect(page).toContain(REFERENCE_MARKERS.start);
    expect(withReference(page, reference)).toBe(page);
  });
});
