/** Lineage facts recorded with every model besides its commit: the package versions. */
import { ctVersion } from '../package.js';
import * as tf from '../tf.js';

/** Versions of ct and of the TF.js packages in use. */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { ct: ctVersion(), node: process.versions.node };
  for (const [name, version] of Object.entries(tf.version)) versions[`@tensorflow/${name}`] = version;
  return versions;
}
