/** Lineage facts recorded with every model besides its commit: the package versions. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

let ctVersion: string | undefined;

/** Versions of ct and of the TF.js packages in use. */
export function packageVersions(): Record<string, string> {
  ctVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const versions: Record<string, string> = { ct: ctVersion, node: process.versions.node };
  for (const [name, version] of Object.entries(tf.version)) versions[`@tensorflow/${name}`] = version;
  return versions;
}
