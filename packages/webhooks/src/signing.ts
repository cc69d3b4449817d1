import { randomBytes } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

/** Standard Webhooks' secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The three Standard Webhooks headers for one attempt. `webhook-id` is the event's id (the
 * same on every attempt, so receivers can deduplicate); `webhook-timestamp` is the
 * attempt's time. During a rotation's grace window both secrets sign, and the header
 * carries both signatures (space-separated, as the spec allows).
 */
export function signedHeaders(
  secrets: readonly string[],
  eventId: string,
  body: string,
  at: Date,
): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(eventId, at, body));
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
