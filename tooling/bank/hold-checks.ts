import type { FinalEntry, FinalState } from './final-state';
import type { WriteOp } from './history';

/**
 * The checker's rules for holds. A placement writes no entry; a capture writes its
 * hold's entries (a transfer to the receiver, or a withdrawal), each carrying the
 * placement's description, so the final histories file them under the placement's key.
 * - Each hold is captured at most once: under its key, no entries, or exactly one
 *   capture's (one TRANSFER_OUT and one TRANSFER_IN of one transfer, or one WITHDRAWAL),
 *   on its wallet (and receiver), of at most its amount.
 * - An acknowledged capture is there, of the amount it asked for, as the transaction it
 *   was told; two acknowledged resolutions of one hold (two captures, a capture and a
 *   void) are a violation; with no capture possibly applied, nothing is there.
 * - Available (balance − held) is never below zero, nor held below zero, at the end.
 */

type Input = WriteOp['input'];

export function isHoldWrite(op: WriteOp): boolean {
  const { kind } = op.input;
  return kind === 'hold' || kind === 'capture' || kind === 'void';
}

/** A capture with no receiver: money leaves the ledger, as a withdrawal. */
export function isCaptureOut(op: WriteOp): boolean {
  return op.input.kind === 'capture' && op.input.receiverWalletId === null;
}

/** The server's clock, as a placement refused for its expiry states it. */
const SERVER_TIME = /expiresAt must be in the future \(the server's time is (\S+)\)/;

/**
 * A capture or void may be refused because the hold is resolved (the deliberate second
 * capture, or a void after the expiry's release) or expired: either says "once". A
 * placement retried (with its key, so the same expiry) after its expiry has passed, as
 * around a failover, is refused as invalid: expected only when the server's clock, which
 * the refusal states, is indeed at or past that expiry.
 */
export function isExpectedHoldRefusal(op: WriteOp, reason: string, message: string): boolean {
  const { input } = op;
  if (input.kind === 'capture' || input.kind === 'void') {
    return reason === 'HOLD_NOT_PENDING' || reason === 'HOLD_EXPIRED';
  }
  if (input.kind !== 'hold' || reason !== 'INVALID_INPUT') return false;
  const serverTime = SERVER_TIME.exec(message)?.[1];
  return serverTime !== undefined && Date.parse(serverTime) >= Date.parse(input.expiresAt);
}

interface Violation {
  check: string;
  detail: string;
}

interface HoldStory {
  placement: WriteOp;
  captures: WriteOp[];
  voids: WriteOp[];
}

export function checkHoldWrites(
  writes: WriteOp[],
  byKey: ReadonlyMap<string, FinalEntry[]>,
): Violation[] {
  const stories = new Map<string, HoldStory>();
  for (const op of writes) {
    if (op.input.kind === 'hold') stories.set(op.key, { placement: op, captures: [], voids: [] });
  }
  for (const op of writes) {
    const { input } = op;
    if (input.kind !== 'capture' && input.kind !== 'void') continue;
    const story = stories.get(input.holdKey);
    if (!story) continue; // cannot be: a capture follows its placement
    (input.kind === 'capture' ? story.captures : story.voids).push(op);
  }
  return [...stories.values()].flatMap((story) =>
    checkStory(story, byKey.get(story.placement.key) ?? []),
  );
}

function checkStory(story: HoldStory, entries: FinalEntry[]): Violation[] {
  const { placement } = story;
  const where = `hold ${placement.key} (${placement.outcome.type})`;
  const fail = (check: string, detail: string): Violation[] => [
    { check, detail: `${where}: ${detail}` },
  ];
  const input = placement.input as Extract<Input, { kind: 'hold' }>;
  const captured = captureIn(input, entries);
  if (typeof captured === 'string') return fail('each hold captured at most once', captured);
  const acknowledgedCaptures = story.captures.filter(isAcknowledged);
  const resolutions = acknowledgedCaptures.length + story.voids.filter(isAcknowledged).length;
  if (resolutions > 1) {
    return fail('a hold is resolved once', `${resolutions} resolutions were acknowledged`);
  }
  const [acknowledged] = acknowledgedCaptures;
  if (acknowledged) {
    const asked = acknowledged.input as Extract<Input, { kind: 'capture' }>;
    if (!captured) return fail('acknowledged captures appear', 'no capture in the final state');
    if (captured.amountCents !== asked.amountCents) {
      return fail('captures move what they ask', `${captured.amountCents} ≠ ${asked.amountCents}`);
    }
    const told = transactionIdOf(acknowledged);
    if (told !== undefined && told !== captured.transactionId) {
      return fail('captures are what the client was told', `${captured.transactionId} ≠ ${told}`);
    }
    return [];
  }
  const mayHaveCaptured = story.captures.some((op) => !isSurelyNotApplied(op));
  if (captured && !mayHaveCaptured) {
    return fail('no capture without a request that may have landed', 'captured anyway');
  }
  if (captured && story.voids.some(isAcknowledged)) {
    return fail('a hold is resolved once', 'voided and captured');
  }
  return [];
}

/** The one capture the entries are, null for none, or what is wrong with them. */
function captureIn(
  hold: Extract<Input, { kind: 'hold' }>,
  entries: FinalEntry[],
): { amountCents: bigint; transactionId: string | null } | null | string {
  if (entries.length === 0) return null;
  const [first] = entries;
  if (!first) return null;
  if (hold.receiverWalletId === null) {
    if (entries.length !== 1 || first.type !== 'WITHDRAWAL' || first.walletId !== hold.walletId) {
      return `${entries.length} entries (${entries.map((e) => e.type).join(', ')}) for one capture out`;
    }
    if (first.amountCents > hold.amountCents)
      return `captured ${first.amountCents} of ${hold.amountCents}`;
    return { amountCents: first.amountCents, transactionId: first.id };
  }
  const out = entries.find((entry) => entry.type === 'TRANSFER_OUT');
  const into = entries.find((entry) => entry.type === 'TRANSFER_IN');
  if (entries.length !== 2 || !out || !into || out.transferId !== into.transferId) {
    return `${entries.length} entries (${entries.map((e) => e.type).join(', ')}) for one capture`;
  }
  if (out.walletId !== hold.walletId || into.walletId !== hold.receiverWalletId) {
    return `captured ${out.walletId} → ${into.walletId}`;
  }
  if (out.amountCents !== into.amountCents || out.amountCents > hold.amountCents) {
    return `captured ${out.amountCents}/${into.amountCents} of ${hold.amountCents}`;
  }
  return { amountCents: out.amountCents, transactionId: out.transferId };
}

export function checkAvailable(final: FinalState): Violation[] {
  return final.wallets.flatMap((wallet) =>
    wallet.heldCents < 0n || wallet.balanceCents - wallet.heldCents < 0n
      ? [
          {
            check: 'available ≥ 0',
            detail: `wallet ${wallet.id}: balance ${wallet.balanceCents}, held ${wallet.heldCents} cents`,
          },
        ]
      : [],
  );
}

function isAcknowledged(op: WriteOp): boolean {
  return op.outcome.type === 'ok' || op.outcome.type === 'ok-earlier';
}

function isSurelyNotApplied(op: WriteOp): boolean {
  return op.outcome.type === 'failed' || (op.outcome.type === 'refused' && op.outcome.definite);
}

function transactionIdOf(op: WriteOp): string | undefined {
  const { outcome } = op;
  return outcome.type === 'ok' || outcome.type === 'ok-earlier' ? outcome.transactionId : undefined;
}
