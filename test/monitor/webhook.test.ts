/**
 * The monitor's webhook against a loopback receiver: a Slack-compatible message, retries
 * on 5xx and 429, no retry on a refusal, and a failure reason that never holds the URL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MonitorRecord } from '../../src/monitor/decide.js';
import { postWebhook, webhookPayload } from '../../src/monitor/webhook.js';

const record = {
  format: 'ct-monitor',
  at: '2026-12-03T05:41:00Z',
  model: 'flight-delay',
  production: 'v1',
  metric: 'auc',
  higherIsBetter: true,
  value: 0.61,
  reference: 0.69,
  rows: 5000,
  fingerprint: 'sha256:a',
  errors: [],
  drift: null,
  window: null,
  drop: 0.08,
  outcome: 'alert',
  retrain: true,
  reasons: ['auc 0.6100 is 0.0800 worse than at promotion (0.6900 at promotion): at least monitoring.alertDrop 0.05'],
  retrainStreak: 1,
  actions: { dispatched: null, issue: null, history: null },
} satisfies MonitorRecord;

/** A receiver answering each request with the next status of `statuses` (the last one repeated). */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[]; close: () => void }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const status = statuses[Math.min(bodies.length - 1, statuses.length - 1)]!;
      res.writeHead(status, status === 429 ? { 'retry-after': '0.01' } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secret-token-123`, bodies, close: () => server.close() };
}

const fast = { attempts: 4, delayMs: 10, maxDelayMs: 50, timeoutMs: 2000 };

describe('the monitor webhook', () => {
  test('a Slack-compatible message: text, and a section block in mrkdwn', () => {
    const payload = webhookPayload(record, 'https://github.com/o/r/actions/runs/1');
    expect(payload.text).toMatch(/^ct monitor: flight-delay needs a person: auc 0\.6100 \(0\.6900 at promotion\)\. auc 0\.6100 is 0\.0800 worse/);
    expect(payload.text).toMatch(/actions\/runs\/1$/);
    expect(payload.blocks[0]).toMatchObject({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringMatching(/^\*ct monitor: flight-delay\* needs a person/) },
    });
  });

  test('5xx and 429 are retried until it is taken', async () => {
    const r = await receiver([500, 429, 200]);
    try {
      expect(await postWebhook(r.url, webhookPayload(record, null), fast)).toEqual({ sent: true, attempts: 3 });
      expect(r.bodies).toHaveLength(3);
      expect((r.bodies[2] as { text: string }).text).toMatch(/^ct monitor: flight-delay/);
    } finally {
      r.close();
    }
  });

  test('a refusal is not retried; a failure names no URL', async () => {
    const r = await receiver([404]);
    try {
      const result = await postWebhook(r.url, webhookPayload(record, null), fast);
      expect(result).toEqual({ sent: false, attempts: 1, reason: 'HTTP 404' });
    } finally {
      r.close();
    }
    const down = await postWebhook('http://127.0.0.1:9/services/secret-token-123', webhookPayload(record, null), fast);
    expect(down).toEqual({ sent: false, attempts: 4, reason: 'could not connect' });
    expect(JSON.stringify(down)).not.toMatch(/secret-token/);
  });
});
