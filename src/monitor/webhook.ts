/**
 * The monitor's webhook: a Slack-compatible JSON message (`text`, plus `blocks` for
 * clients that draw them) for each run whose outcome the policy names, posted with
 * retries. The URL is a secret (it carries its token): it comes from an environment
 * variable and is never written to a log, a record or an error message.
 */
import type { MonitorRecord } from './decide.js';

/** What the webhook receives. */
export interface WebhookPayload {
  text: string;
  blocks: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

/** How a post went: sent after `attempts`, or failed with a reason that names no URL. */
export type WebhookResult = { sent: true; attempts: number } | { sent: false; attempts: number; reason: string };

/** The message of a monitor run (pure). */
export function webhookPayload(record: MonitorRecord, runUrl: string | null): WebhookPayload {
  const what = record.outcome === 'alert' ? 'needs a person' : record.outcome === 'retrain' ? 'is being retrained' : 'is healthy';
  const value =
    record.value === null
      ? 'no labelled rows'
      : `${record.metric} ${record.value.toFixed(4)}${record.reference === null ? '' : ` (${record.reference.toFixed(4)} at promotion)`}`;
  const text = `ct monitor: ${record.model} ${what}: ${value}. ${record.reasons.join('; ')}${runUrl === null ? '' : ` ${runUrl}`}`;
  const lines = [`*ct monitor: ${record.model}* ${what}`, `production ${record.production || '—'}: ${value}`, ...record.reasons.map((r) => `• ${r}`)];
  if (runUrl !== null) lines.push(`<${runUrl}|monitor run>`);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900) } }] };
}

/** Retry settings; tests shorten the waits. */
export interface WebhookRetry {
  attempts: number;
  /** Wait before the second attempt; doubled for each one after. */
  delayMs: number;
  /** The longest wait a Retry-After header may ask for. */
  maxDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetry = { attempts: 4, delayMs: 1000, maxDelayMs: 30_000, timeoutMs: 10_000 };

/**
 * Posts `payload` to `url`, retrying network errors, timeouts, 429 and 5xx (a Retry-After
 * in seconds is honoured up to `maxDelayMs`); other statuses fail at once.
 */
export async function postWebhook(url: string, payload: WebhookPayload, retry: WebhookRetry = DEFAULT_WEBHOOK_RETRY): Promise<WebhookResult> {
  let reason = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    let wait = retry.delayMs * 2 ** (attempt - 1);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      await response.arrayBuffer();
      if (response.ok) return { sent: true, attempts: attempt };
      reason = `HTTP ${response.status}`;
      if (response.status !== 429 && response.status < 500) return { sent: false, attempts: attempt, reason };
      const after = Number(response.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) wait = Math.min(after * 1000, retry.maxDelayMs);
    } catch (error) {
      // The error's message and cause may hold the URL: keep only what kind of failure it was.
      reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${retry.timeoutMs} ms` : 'could not connect';
    }
    if (attempt < retry.attempts) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { sent: false, attempts: retry.attempts, reason };
}
