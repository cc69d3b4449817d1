import type { Violation } from './checker';
import type { FinalWallet } from './final-state';
import type { DeliveryWait, LedgerSnapshot } from './webhook-proof';
import type { ReceiverCounts, WebhookReceiver } from './webhook-receiver';
import { replayEvents } from './webhook-replay';

/**
 * The bank test's webhook checks: the receiver got every event of the outbox (none
 * missing, none unknown), every request it got was signed correctly, never two
 * deliveries of one event at once, and the events it got replay to the ledger's balances,
 * held amounts and entry counts.
 */

export interface WebhookFigures extends ReceiverCounts {
  outboxEvents: number;
  missing: number;
  unknown: number;
  waitedMs: number;
}

const IDS_SHOWN_MAX = 5;

export function checkWebhooks(input: {
  receiver: WebhookReceiver;
  snapshot: LedgerSnapshot;
  wait: DeliveryWait;
  final: readonly FinalWallet[];
}): { violations: Violation[]; figures: WebhookFigures } {
  const { receiver, wait } = input;
  const counts = receiver.figures();
  const violations: Violation[] = [];
  const violation = (check: string, detail: string) => violations.push({ check, detail });
  if (wait.missing.length > 0)
    violation(
      'webhooks: every event delivered',
      `${wait.missing.length} events never received, e.g. ${wait.missing.slice(0, IDS_SHOWN_MAX).join(', ')}`,
    );
  if (wait.unknown.length > 0)
    violation(
      'webhooks: no event that is not in the outbox',
      `${wait.unknown.length} received events are in no outbox page, e.g. ${wait.unknown.slice(0, IDS_SHOWN_MAX).join(', ')}`,
    );
  if (counts.invalidSignatures > 0)
    violation(
      'webhooks: every signature valid',
      `${counts.invalidSignatures} requests failed standardwebhooks' verify: ${receiver.invalidDetails.join('; ')}`,
    );
  if (counts.concurrentPerEventMax > 1)
    violation(
      'webhooks: one delivery of an event in flight at a time',
      `${counts.concurrentPerEventMax} requests for one event were in flight at once`,
    );
  violations.push(...replayViolations(input));
  return {
    violations,
    figures: {
      ...counts,
      outboxEvents: wait.outbox.length,
      missing: wait.missing.length,
      unknown: wait.unknown.length,
      waitedMs: wait.waitedMs,
    },
  };
}

/**
 * The events of the snapshot's outbox that the receiver got (a hold expired after the
 * snapshot is not in its balances), replayed and compared with the snapshot's wallets
 * and the final histories' entry counts.
 */
function replayViolations(input: {
  receiver: WebhookReceiver;
  snapshot: LedgerSnapshot;
  final: readonly FinalWallet[];
}): Violation[] {
  const check = 'webhooks: received events replay to the ledger';
  const inSnapshot = new Set(input.snapshot.events.map((event) => event.id));
  const replay = replayEvents(input.receiver.received().filter((e) => inSnapshot.has(e.id)));
  const violations: Violation[] = replay.problems.map((detail) => ({ check, detail }));
  const entriesOf = new Map(input.final.map((wallet) => [wallet.id, wallet.entries.length]));
  for (const [walletId, ledger] of input.snapshot.wallets) {
    const replayed = replay.wallets.get(walletId) ?? {
      balanceCents: 0n,
      heldCents: 0n,
      entries: 0,
      creations: 0,
    };
    if (replayed.creations !== 1)
      violations.push({
        check,
        detail: `wallet ${walletId}: ${replayed.creations} wallet.created events (one expected)`,
      });
    const entries = entriesOf.get(walletId) ?? 0;
    if (replayed.balanceCents !== ledger.balanceCents)
      violations.push({
        check,
        detail: `wallet ${walletId}: events replay to a balance of ${replayed.balanceCents} cents, the ledger says ${ledger.balanceCents}`,
      });
    if (replayed.heldCents !== ledger.heldCents)
      violations.push({
        check,
        detail: `wallet ${walletId}: events replay to ${replayed.heldCents} cents held, the ledger says ${ledger.heldCents}`,
      });
    if (replayed.entries !== entries)
      violations.push({
        check,
        detail: `wallet ${walletId}: events tell ${replayed.entries} entries, its history has ${entries}`,
      });
  }
  for (const walletId of replay.wallets.keys()) {
    if (!input.snapshot.wallets.has(walletId))
      violations.push({ check, detail: `events move money of wallet ${walletId}, not the bank's` });
  }
  return violations;
}
