/**
 * The deploy hook of `ct serve`: `POST /v1/deploy` with `{"release": "<base URL>"}` installs
 * that release into the served registry (src/registry/release.ts) and swaps it in at once,
 * so a deploy workflow need not wait for the next look at the registry.
 *
 * The request must be signed with the shared secret: `x-ct-timestamp` (Unix seconds) and
 * `x-ct-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, made at most five
 * minutes before it arrives. The URL must start with one of `serving.deploy.sources`, and
 * what it names is verified file by file as `ct deploy` does: the secret decides who may
 * ask, the checksums and version id decide what is installed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { UserError } from '../errors.js';
import { type DeployResult, installRelease, urlSource } from '../registry/release.js';

/** How far a signed timestamp may be from the server's clock. */
export const DEPLOY_SIGNATURE_SECONDS = 300;

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function signDeploy(secret: string, timestamp: number, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Why a signed request is refused, or null when its signature and time are good. */
export function deploySignatureProblem(secret: string, headers: IncomingHttpHeaders, body: Buffer, now = Date.now()): string | null {
  const stamp = headers['x-ct-timestamp'];
  const signature = headers['x-ct-signature'];
  if (typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) return 'x-ct-timestamp (Unix seconds) is missing';
  if (typeof signature !== 'string') return 'x-ct-signature is missing';
  if (Math.abs(now / 1000 - Number(stamp)) > DEPLOY_SIGNATURE_SECONDS)
    return `x-ct-timestamp is more than ${DEPLOY_SIGNATURE_SECONDS} s from this server's clock`;
  const expected = Buffer.from(signDeploy(secret, Number(stamp), body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'x-ct-signature does not match';
}

/** What the hook answers. */
export interface HookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The settings of the hook: the secret, the allowed URL prefixes and the registry it installs into. */
export interface DeployHookSettings {
  secret: string;
  sources: readonly string[];
  registry: string;
  /** Swaps the installed version in (the worker's reload); the models served after it. */
  reload: () => Promise<Array<{ name: string; version: string }>>;
}

/** Handles one `POST /v1/deploy` whose body is `body`. */
export async function handleDeploy(settings: DeployHookSettings, headers: IncomingHttpHeaders, body: Buffer): Promise<HookAnswer> {
  const problem = deploySignatureProblem(settings.secret, headers, body);
  if (problem !== null) return { status: 401, body: { error: problem } };
  let release: unknown;
  try {
    release = (JSON.parse(body.toString('utf8')) as { release?: unknown }).release;
  } catch {
    return { status: 400, body: { error: 'the body is not JSON' } };
  }
  if (typeof release !== 'string' || !/^https?:\/\//.test(release))
    return { status: 400, body: { error: '"release" must be the http(s) base URL of a release' } };
  if (!settings.sources.some((prefix) => release.startsWith(prefix))) {
    return { status: 403, body: { error: `${release} is not under serving.deploy.sources` } };
  }
  let result: DeployResult;
  try {
    result = await installRelease(settings.registry, urlSource(release));
  } catch (error) {
    if (error instanceof UserError) return { status: 422, body: { error: error.message } };
    throw error;
  }
  // This worker swaps it in now (the others at their next look); a version that fails to load is refused and said so.
  const serving = (await settings.reload()).find((m) => m.name === result.model)?.version ?? null;
  return { status: serving === result.version ? 200 : 500, body: { ...result, serving } };
}
