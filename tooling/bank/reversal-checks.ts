import type { FinalEntry, FinalState } from './final-state';
import type { WriteOp } from './history';
import type { Violation } from './checker';

/**
 * The reversals' part of the checker: what entries a reversal leaves (its shape, checked
 * like a write's), and the bound every original keeps in the final state: what its
 * reversals moved back never exceeds it.
 */

type ReverseInput = Extract<WriteOp['input'], { kind: 'reverse' }>;

/** 'once', or what is wrong with the entries carrying one reversal's key. */
export function reversalShape(
  input: ReverseInput,
  entries: FinalEntry[],
  known: string | undefined,
): string {
  const { original, amountCents } = input;
  if (entries.some((entry) => entry.reversesTransactionId !== original.transactionId)) {
    return `entries not linked to ${original.transactionId}`;
  }
  if (entries.some((entry) => entry.amountCents !== amountCents)) {
    return `entries of another amount than ${amountCents} cents`;
  }
  if (original.kind !== 'transfer') {
    // A funding is reversed by a WITHDRAWAL on its wallet, a withdrawal by a FUND.
    const type = original.kind === 'fund' ? 'WITHDRAWAL' : 'FUND';
    const [entry, ...more] = entries;
    if (!entry || more.length > 0) return `${entries.length} entries for one reversal`;
    if (entry.type !== type || entry.walletId !== original.walletId)
      return `entry ${entry.id} is a ${entry.type} on ${entry.walletId}`;
    if (known !== undefined && entry.id !== known)
      return `entry ${entry.id}, but the client was told ${known}`;
    return 'once';
  }
  // A transfer back: out of its receiver, into its sender.
  const out = entries.find((entry) => entry.type === 'TRANSFER_OUT');
  const into = entries.find((entry) => entry.type === 'TRANSFER_IN');
  if (!out || !into || entries.length !== 2)
    return `${entries.length} entries, not a transfer back`;
  if (out.walletId !== original.receiverWalletId || into.walletId !== original.walletId)
    return `reversal ${out.transferId} moved ${out.walletId} → ${into.walletId}`;
  if (out.transferId === null || out.transferId !== into.transferId)
    return `legs of different reversals (${out.transferId} / ${into.transferId})`;
  if (known !== undefined && out.transferId !== known)
    return `reversal ${out.transferId}, but the client was told ${known}`;
  return 'once';
}

/**
 * In the final state, the reversals of each original add up to at most its amount (each
 * reversal counted once: by its debit on a client's wallet, or for a withdrawal's, its
 * FUND), and to at least what acknowledged reversals of it moved back.
 */
export function checkReversalBounds(writes: WriteOp[], final: FinalState): Violation[] {
  const originals = new Map<string, bigint>();
  const acknowledged = new Map<string, bigint>();
  for (const op of writes) {
    if (op.input.kind !== 'reverse') continue;
    const { original, amountCents } = op.input;
    originals.set(original.transactionId, original.amountCents);
    if (op.outcome.type === 'ok' || op.outcome.type === 'ok-earlier') {
      const sum = acknowledged.get(original.transactionId) ?? 0n;
      acknowledged.set(original.transactionId, sum + amountCents);
    }
  }
  const reversed = new Map<string, bigint>();
  for (const entry of final.wallets.flatMap((wallet) => wallet.entries)) {
    const originalId = entry.reversesTransactionId;
    if (originalId === null || entry.type === 'TRANSFER_IN') continue;
    reversed.set(originalId, (reversed.get(originalId) ?? 0n) + entry.amountCents);
  }
  const violations: Violation[] = [];
  for (const [originalId, sum] of reversed) {
    const amount = originals.get(originalId);
    if (amount === undefined) {
      violations.push({
        check: 'no phantom reversals',
        detail: `${originalId} was reversed by ${sum} cents, though no client reversed it`,
      });
    } else if (sum > amount) {
      violations.push({
        check: 'reversals never exceed their original',
        detail: `${originalId} of ${amount} cents was reversed by ${sum} cents`,
      });
    }
  }
  for (const [originalId, sum] of acknowledged) {
    const found = reversed.get(originalId) ?? 0n;
    if (found < sum) {
      violations.push({
        check: 'acknowledged reversals all landed',
        detail: `${originalId}: reversals acknowledged for ${sum} cents, ${found} in the final state`,
      });
    }
  }
  return violations;
}
