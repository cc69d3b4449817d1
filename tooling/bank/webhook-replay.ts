import { DEBIT_ENTRY_TYPES } from '@wallet/contract';

import { centsOfText } from './money';
import type { ReceivedEvent } from './webhook-receiver';

/**
 * The receiver's side of the proof: the events a webhook receiver got, replayed to each
 * wallet's balance and held amount the way a consumer would, from the amounts alone
 * (funded +, withdrawn −, a transfer's sender − and receiver +, …). Each side's own
 * `sequence`, `balanceBefore` and `balanceAfter` are checked on the way: a wallet's
 * sequences must run 1, 2, 3… without a gap or a repeat (an event missing or applied
 * twice shows here), each side's balance before must be the previous one's after, and
 * its change must be its signed amount.
 */

export interface ReplayedWallet {
  balanceCents: bigint;
  heldCents: bigint;
  /** Entries the events told (one per side): the ledger's entry count if none is missing. */
  entries: number;
  /** `wallet.created` events of it: exactly one. */
  creations: number;
}

export interface Replay {
  wallets: Map<string, ReplayedWallet>;
  /** Where the events contradict themselves (a gap, a broken chain, a wrong change). */
  problems: string[];
}

interface Side {
  walletId: string;
  sequence: number;
  balanceBeforeCents: bigint;
  balanceAfterCents: bigint;
  /** The side's change, from the event's amount and the side's role. */
  deltaCents: bigint;
  eventId: string;
}

const PROBLEMS_MAX = 50;

const DEBITS: readonly string[] = DEBIT_ENTRY_TYPES;

/** The event types that write entries (the others: a wallet's creation, a hold's changes). */
const MOVING_TYPES: ReadonlySet<string> = new Set([
  'wallet.funded',
  'wallet.withdrawn',
  'transfer.completed',
  'transaction.reversed',
  'hold.captured',
]);

function text(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== 'string') throw new Error(`${field} is not text: ${JSON.stringify(value)}`);
  return value;
}

function sideOf(event: ReceivedEvent, raw: unknown, deltaCents: bigint): Side {
  const side = raw as Record<string, unknown>;
  return {
    walletId: text(side, 'walletId'),
    sequence: Number(side.sequence),
    balanceBeforeCents: centsOfText(text(side, 'balanceBefore')),
    balanceAfterCents: centsOfText(text(side, 'balanceAfter')),
    deltaCents,
    eventId: event.id,
  };
}

/** The sides an event moves money on: a debit and a credit, or one wallet against the outside. */
function sidesOf(event: ReceivedEvent): Side[] {
  const { data } = event;
  if (!MOVING_TYPES.has(event.type)) return []; // no entry written: no money moved
  const amount = centsOfText(text(data, 'amount'));
  const twoSided = () => [
    sideOf(event, data.sender, -amount),
    sideOf(event, data.receiver, amount),
  ];
  switch (event.type) {
    case 'wallet.funded':
      return [sideOf(event, data, amount)];
    case 'wallet.withdrawn':
      return [sideOf(event, data, -amount)];
    case 'transfer.completed':
      return twoSided();
    case 'transaction.reversed': {
      if (data.sender !== undefined) return twoSided();
      const debit = DEBITS.includes(text(data, 'entryType'));
      return [sideOf(event, data, debit ? -amount : amount)];
    }
    case 'hold.captured':
      // Captured out of the ledger (a withdrawal), or to its receiver (a transfer).
      return data.sender !== undefined ? twoSided() : [sideOf(event, data, -amount)];
    default:
      return [];
  }
}

/** What an event changes of its wallet's held amount: placed reserves, the rest release. */
function heldChangeOf(event: ReceivedEvent): bigint {
  const { data } = event;
  switch (event.type) {
    case 'hold.placed':
      return centsOfText(text(data, 'amount'));
    case 'hold.voided':
    case 'hold.expired':
      return -centsOfText(text(data, 'amount'));
    case 'hold.captured':
      return -centsOfText(text(data, 'released'));
    default:
      return 0n;
  }
}

export function replayEvents(events: readonly ReceivedEvent[]): Replay {
  const problems: string[] = [];
  const problem = (detail: string) => {
    if (problems.length < PROBLEMS_MAX) problems.push(detail);
  };
  const sidesByWallet = new Map<string, Side[]>();
  const held = new Map<string, bigint>();
  const creations = new Map<string, number>();
  for (const event of events) {
    try {
      if (event.type === 'wallet.created') {
        const walletId = text(event.data, 'walletId');
        creations.set(walletId, (creations.get(walletId) ?? 0) + 1);
      }
      for (const side of sidesOf(event)) {
        const sides = sidesByWallet.get(side.walletId) ?? [];
        sides.push(side);
        sidesByWallet.set(side.walletId, sides);
      }
      const heldChange = heldChangeOf(event);
      if (heldChange !== 0n) {
        const walletId = text(event.data, 'walletId');
        held.set(walletId, (held.get(walletId) ?? 0n) + heldChange);
      }
    } catch (error) {
      problem(`event ${event.id} (${event.type}): ${String(error)}`);
    }
  }
  const wallets = new Map<string, ReplayedWallet>();
  const walletIds = new Set([...sidesByWallet.keys(), ...held.keys(), ...creations.keys()]);
  for (const walletId of walletIds) {
    const sides = (sidesByWallet.get(walletId) ?? []).sort((a, b) => a.sequence - b.sequence);
    checkChain(walletId, sides, problem);
    wallets.set(walletId, {
      balanceCents: sides.reduce((sum, side) => sum + side.deltaCents, 0n),
      heldCents: held.get(walletId) ?? 0n,
      entries: sides.length,
      creations: creations.get(walletId) ?? 0,
    });
  }
  return { wallets, problems };
}

function checkChain(walletId: string, sides: readonly Side[], problem: (d: string) => void) {
  let previousAfter = 0n;
  sides.forEach((side, index) => {
    const at = `wallet ${walletId} sequence ${side.sequence} (event ${side.eventId})`;
    if (side.sequence !== index + 1) problem(`${at}: expected sequence ${index + 1}`);
    if (side.balanceBeforeCents !== previousAfter)
      problem(`${at}: balance before ${side.balanceBeforeCents}, previous after ${previousAfter}`);
    if (side.balanceAfterCents - side.balanceBeforeCents !== side.deltaCents)
      problem(
        `${at}: moved ${side.balanceAfterCents - side.balanceBeforeCents}, its amount says ${side.deltaCents}`,
      );
    previousAfter = side.balanceAfterCents;
  });
}
