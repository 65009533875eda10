/** Lineage facts recorded with every model besides its commit: the package versions. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

let ctVersion: string | undefined;

/**
 * ct's version, from the nearest package.json above this module that names a version: the
 * package's own from dist/, the repository's from the bundled actions (whose chunks sit
 * at different depths; their `{ "type": "module" }` marker names none).
 */
function ownVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

/** Versions of ct and of the TF.js packages in use. */
export function packageVersions(): Record<string, string> {
  ctVersion ??= ownVersion();
  const versions: Record<string, string> = { ct: ctVersion, node: process.versions.node };
  for (const [name, version] of Object.entries(tf.version)) versions[`@tensorflow/${name}`] = version;
  return versions;
}
