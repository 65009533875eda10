/**
 * The `verify` action: `ct verify`, a registry version (or the change a pull request
 * proposes, `head`) checked against its checksums and re-scored on its recorded rows.
 */
import * as core from '@actions/core';
import { runVerify, runVerifyProposal } from '../pipeline/verify.js';
import { runAction } from './run-action.js';

await runAction('verify', async (ctx) => {
  const head = core.getInput('head');
  const version = core.getInput('version');
  const record = head === '' ? await runVerify(ctx, version === '' ? undefined : version) : await runVerifyProposal(ctx, head);
  const failed = record.checks.filter((c) => !c.ok);
  const rows = record.checks.map((c) => `| ${c.ok ? 'ok' : '**failed**'} | ${c.check} | ${c.message.replace(/\|/g, '\\|')} |`);
  return {
    outputs: { ok: record.ok, version: record.version },
    summary: [`### ct verify: ${record.model} ${record.version}`, '', '| | check | result |', '|---|---|---|', ...rows, ''].join('\n'),
    ...(record.ok ? {} : { failure: `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((c) => c.check).join(', ')}` }),
  };
});
