/**
 * A column whose values keep arriving (support agents joining every few days), as a new
 * user meets it: `ct init` infers no domain for it, the first `ct run` trains and
 * promotes, and a day with newly joined agents passes with a warning that the production
 * model does not know them. Agent codes written another way on a whole day still stop it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSchema } from '../../src/validate/schema.js';
import { ct } from './repo.js';

const DAYS = 28;
const ROWS = 300;

/** Agents working on day `d`: 40, and two more every fourth day. */
function agentsOn(d: number): number {
  return 40 + 2 * Math.floor(d / 4);
}

/** Day `d`'s tickets as CSV (time, channel, agent, minutes to first response, escalated 0/1), by `agents` agents. */
function ticketsDay(d: number, agents = agentsOn(d), agentCode: (n: number) => string = (n) => `A${String(n).padStart(3, '0')}`): string {
  let seed = 1_000 + d;
  const random = (): number => (seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
  const date = new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10);
  const lines = ['created_at,channel,agent,minutes,escalated'];
  for (let i = 0; i < ROWS; i++) {
    const minute = Math.floor((i / ROWS) * 1_440);
    const time = `${date} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const channel = ['email', 'chat', 'phone', 'web'][Math.floor(random() * 4)]!;
    const agent = agentCode(Math.floor(random() * agents));
    const minutes = Math.round(Math.exp(2.5 + random() * 2) * 10) / 10;
    const escalated = random() < (channel === 'phone' ? 0.4 : 0.1) + (minutes > 60 ? 0.2 : 0) ? 1 : 0;
    lines.push(`${time},${channel},${agent},${minutes},${escalated}`);
  }
  return lines.join('\n') + '\n';
}

describe('a column whose values keep arriving', () => {
  let repo: string;
  const file = (d: number): string => path.join(repo, 'data/tickets', `${new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10)}.csv`);
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'ct-growing-'));
    mkdirSync(path.join(repo, 'data/tickets'), { recursive: true });
    for (let d = 0; d < DAYS; d++) writeFileSync(file(d), ticketsDay(d));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('init infers no domain for it, the first run promotes, new agents are a warning, codes written another way an error', () => {
    const init = ct(repo, ['init', '--data', 'data/tickets', '--label', 'escalated']);
    expect(init.status).toBe(0);
    const schema = JSON.parse(readFileSync(path.join(repo, 'data/tickets/schema.json'), 'utf8')) as DataSchema;
    expect(schema.columns.find((c) => c.name === 'agent')!.domain).toBeUndefined();
    expect(schema.columns.find((c) => c.name === 'channel')!.domain).toEqual(['chat', 'email', 'phone', 'web']);

    const run = ct(repo, ['run']);
    expect(run.stderr).toMatch(/^promoted tickets /m);
    expect(run.status).toBe(0);

    // The next day, two more agents join: every value is real, the production model has not met them.
    writeFileSync(file(DAYS), ticketsDay(DAYS, agentsOn(DAYS) + 2));
    const joined = ct(repo, ['validate']);
    expect(joined.stderr).not.toMatch(/^error/m);
    expect(joined.stderr).toMatch(
      /^warning: feature "agent" .*hold values not in the vocabulary.*\(a warning: the schema lists no domain for column "agent", so new values are expected\)/m,
    );
    expect(joined.status).toBe(0);

    // The same day with every agent code in lower case: values no day had, on every row.
    writeFileSync(
      file(DAYS),
      ticketsDay(DAYS, agentsOn(DAYS) + 2, (n) => `a${String(n).padStart(3, '0')}`),
    );
    const lowered = ct(repo, ['validate']);
    expect(lowered.stderr).toMatch(/^error: data\/tickets\/2026-02-02\.csv: column "agent": share of values no earlier day had is 1\.00/m);
    expect(lowered.status).toBe(1);
  }, 120_000);
});
