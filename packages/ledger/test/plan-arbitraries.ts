import type { AuditRecord } from '@wallet/db';
import { formatMinor, MAX_BALANCE_MINOR, minorDigitsOf, type CurrencyCode } from '@wallet/contract';
import fc from 'fast-check';

import type { BatchSnapshot, KeyHolder } from '../src/batch/plan';
import { externalAccountIdOf } from '../src/external-accounts';
import { scopedKey } from '../src/idempotency';
import { Book, type LockedWallet } from '../src/movements/book';
import type { FundRequest, TransferRequest, WithdrawRequest } from '../src/writes';

/** The requests these arbitraries make: the movements (holds have their own tests). */
export type MovementRequest = FundRequest | WithdrawRequest | TransferRequest;

/**
 * fast-check arbitraries for the pure ledger core (movements/*.ts, batch/plan.ts): locked
 * wallets with arbitrary balances, batches of fundings, withdrawals and transfers over them (with
 * amounts that fit, overdraw, pass the bound or have too many digits), and what the store
 * found for their idempotency keys. No database: a batch is planned in microseconds.
 */

/** Currencies with 0, 2 and 3 minor digits: every rounding rule there is. */
export const CURRENCIES_USED = ['USD', 'JPY', 'KWD'] as const satisfies readonly CurrencyCode[];
export const DIGITS_USED = [0, 2, 3] as const;

/** A wallet no request's store found: a request naming it fails with WALLET_NOT_FOUND. */
export const MISSING_WALLET_ID = 'ffffffff-ffff-7fff-bfff-ffffffffffff';

export const NOW = new Date('2026-01-01T00:00:00.000Z');

/** Balances near zero, anywhere, and near the bound, where the refusals are. */
export const balanceMinor = fc.oneof(
  fc.constant(0n),
  fc.bigInt({ min: 0n, max: 5_000n }),
  fc.bigInt({ min: 0n, max: MAX_BALANCE_MINOR }),
  fc.bigInt({ min: MAX_BALANCE_MINOR - 5_000n, max: MAX_BALANCE_MINOR }),
);

export function lockedWallet(id: string): fc.Arbitrary<LockedWallet> {
  return fc
    .record({
      // Mostly one currency, so that most transfers are between wallets that can trade.
      currency: fc.oneof(
        { weight: 4, arbitrary: fc.constant(CURRENCIES_USED[0]) },
        fc.constantFrom(...CURRENCIES_USED),
      ),
      balanceMinor,
      lastEntrySequence: fc.nat({ max: 1_000 }),
    })
    .map(({ currency, balanceMinor: balance, lastEntrySequence }) => ({
      id,
      currency,
      kind: 'USER' as const,
      balanceMinor: balance,
      heldMinor: 0n,
      // A wallet that holds money has had at least one entry.
      lastEntrySequence: balance > 0n ? Math.max(1, lastEntrySequence) : lastEntrySequence,
      status: 'ACTIVE' as const,
      metadata: {},
      createdAt: new Date(0),
    }));
}

/**
 * 2 to `max` locked wallets with distinct lower-case UUIDs, as the store returns them,
 * and the external account of every currency used, holding minus their money (the
 * ledger sums to zero), as the store locks them for fundings and withdrawals.
 */
export function lockedWallets(max = 6): fc.Arbitrary<Map<string, LockedWallet>> {
  return fc
    .uniqueArray(fc.uuid({ version: 7 }), { minLength: 2, maxLength: max })
    .chain((ids) => fc.tuple(...ids.map(lockedWallet)))
    .map((wallets) => {
      const externals = CURRENCIES_USED.map((currency): LockedWallet => {
        const held = wallets
          .filter((wallet) => wallet.currency === currency)
          .reduce((sum, wallet) => sum + wallet.balanceMinor, 0n);
        return {
          id: externalAccountIdOf(currency),
          currency,
          kind: 'EXTERNAL',
          balanceMinor: -held,
          heldMinor: 0n,
          lastEntrySequence: held > 0n ? 1_000 : 0,
          status: 'ACTIVE' as const,
          metadata: {},
          createdAt: new Date(0),
        };
      });
      return new Map([...externals, ...wallets].map((wallet) => [wallet.id, wallet]));
    });
}

/** The sum of every balance of a currency, wallets and external account: always 0n. */
export function ledgerSum(
  locked: Iterable<Pick<LockedWallet, 'currency' | 'balanceMinor'>>,
  currency: CurrencyCode,
): bigint {
  return [...locked]
    .filter((wallet) => wallet.currency === currency)
    .reduce((sum, wallet) => sum + wallet.balanceMinor, 0n);
}

/**
 * Amount text as the contract lets it through (positive decimal text, up to the finest
 * currency's digits): mostly small amounts, some near the bound, in any currency's digits
 * (so some have more digits than the wallet's currency), a few with trailing zeros.
 */
const digits = fc.oneof({ weight: 3, arbitrary: fc.constant(2) }, fc.constantFrom(...DIGITS_USED));

export const amountText = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.bigInt({ min: 1n, max: 3_000n }), digits),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.bigInt({ min: MAX_BALANCE_MINOR - 3_000n, max: MAX_BALANCE_MINOR }),
        digits,
      ),
    },
  )
  .chain(([minor, places]) =>
    fc.constantFrom(
      formatMinor(minor, places),
      `${formatMinor(minor, places)}${places > 0 ? '0' : ''}`,
    ),
  );

const fingerprint = fc.constantFrom('fp-a', 'fp-b');
const key = fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'), { freq: 2 });
/** Two credentials' owners: one key string may be used by both, and means two keys. */
export const OWNERS = ['owner-a', 'owner-b'] as const;
const owner = fc.constantFrom(...OWNERS);
const description = fc.option(fc.constantFrom('rent', 'payout', ''), { freq: 2 });
const audited = fc.boolean();

/** A request's shape before its ids: ids are given by position, so every batch's are distinct. */
type Draft =
  | { kind: 'FUND'; wallet: number; amount: string }
  | { kind: 'WITHDRAW'; wallet: number; amount: string | Boundary }
  | { kind: 'TRANSFER'; sender: number; receiver: number; amount: string | Boundary };

/** A debit of exactly the wallet's locked balance, or one minor unit more: the edge. */
interface Boundary {
  boundary: 'whole balance' | 'one more';
}
const transferAmount = fc.oneof(
  { weight: 4, arbitrary: amountText },
  fc.constantFrom<Boundary>({ boundary: 'whole balance' }, { boundary: 'one more' }),
);

function draft(walletCount: number): fc.Arbitrary<Draft> {
  // Index walletCount is MISSING_WALLET_ID, walletCount + 1 the USD external account
  // (a client naming it gets WALLET_NOT_FOUND too), each named now and then.
  const wallet = fc.oneof(
    { weight: 12, arbitrary: fc.nat({ max: walletCount - 1 }) },
    fc.constantFrom(walletCount, walletCount + 1),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('FUND' as const), wallet, amount: amountText }),
    fc.record({ kind: fc.constant('WITHDRAW' as const), wallet, amount: transferAmount }),
    fc
      .record({
        kind: fc.constant('TRANSFER' as const),
        sender: wallet,
        receiver: wallet,
        amount: transferAmount,
      })
      // prepareTransfer refuses sender = receiver before a request exists.
      .filter((transfer) => transfer.sender !== transfer.receiver),
  );
}

export function idOf(kind: 'entry' | 'transfer', index: number): string {
  const prefix = kind === 'entry' ? '0e' : '07';
  return `${prefix}000000-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function auditOf(index: number): AuditRecord {
  return { actor: 'property', action: 'wallets.write', outcome: 'success', details: { index } };
}

/** A batch of 1 to `max` requests over `walletIds`, each idempotency key at most once in it. */
export function requestsOver(
  locked: ReadonlyMap<string, LockedWallet>,
  max = 24,
): fc.Arbitrary<MovementRequest[]> {
  const walletIds = [...locked.values()]
    .filter((wallet) => wallet.kind === 'USER')
    .map((wallet) => wallet.id);
  const ids = [...walletIds, MISSING_WALLET_ID, externalAccountIdOf('USD')];
  const idAt = (index: number) => ids[index] ?? MISSING_WALLET_ID;
  const amountOf = (request: Draft): string => {
    if (request.kind === 'FUND') return request.amount;
    if (typeof request.amount === 'string') return request.amount;
    const sender = locked.get(idAt(request.kind === 'WITHDRAW' ? request.wallet : request.sender));
    if (!sender) return '1';
    const minor = sender.balanceMinor + (request.amount.boundary === 'one more' ? 1n : 0n);
    return formatMinor(minor, minorDigitsOf(sender.currency));
  };
  return fc
    .array(fc.tuple(draft(walletIds.length), owner, key, fingerprint, description, audited), {
      minLength: 1,
      maxLength: max,
    })
    .map((drafts) => {
      const seen = new Set<string>();
      return drafts.map(
        ([request, who, keyOrNull, fp, text, isAudited], index): MovementRequest => {
          const scoped = keyOrNull === null ? null : scopedKey(who, keyOrNull);
          const distinctKey = scoped !== null && !seen.has(scoped) ? keyOrNull : null;
          if (scoped !== null && distinctKey !== null) seen.add(scoped);
          const common = {
            amount: amountOf(request),
            description: text,
            metadata: {},
            idempotency:
              distinctKey === null ? null : { owner: who, key: distinctKey, fingerprint: fp },
            audit: isAudited ? auditOf(index) : null,
          };
          return request.kind !== 'TRANSFER'
            ? {
                kind: request.kind,
                entryId: idOf('entry', index),
                walletId: idAt(request.wallet),
                ...common,
              }
            : {
                kind: 'TRANSFER',
                transferId: idOf('transfer', index),
                senderWalletId: idAt(request.sender),
                receiverWalletId: idAt(request.receiver),
                ...common,
              };
        },
      );
    });
}

/** What the store may find for a key this batch carries. */
type KeyFate = { fate: 'claimed' } | { fate: 'taken'; holder: Omit<KeyHolder, 'owner' | 'key'> };

const keyFate: fc.Arbitrary<KeyFate> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ fate: 'claimed' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        operation: fc.constantFrom('FUND', 'TRANSFER', 'WITHDRAW'),
        requestFingerprint: fingerprint,
        transactionId: fc.uuid({ version: 7 }),
      })
      .map((holder) => ({ fate: 'taken' as const, holder })),
  },
);

/** The batch's keys, each claimed by this batch or already held by an earlier write. */
export function keyOutcomes(
  requests: readonly MovementRequest[],
): fc.Arbitrary<Pick<BatchSnapshot, 'claimedKeys' | 'takenBy'>> {
  const claims = requests.flatMap((request) => request.idempotency ?? []);
  return fc.tuple(...claims.map(() => keyFate)).map((fates) => {
    const claimedKeys = new Set<string>();
    const takenBy = new Map<string, KeyHolder>();
    fates.forEach((fate, index) => {
      const claim = claims[index];
      if (claim === undefined) return;
      const scoped = scopedKey(claim.owner, claim.key);
      if (fate.fate === 'claimed') claimedKeys.add(scoped);
      else takenBy.set(scoped, { owner: claim.owner, key: claim.key, ...fate.holder });
    });
    return { claimedKeys, takenBy };
  });
}

/** A whole planning problem: the locked wallets, a batch over them, and its keys' fates. */
export const batchCase = lockedWallets().chain((locked) =>
  requestsOver(locked).chain((requests) =>
    keyOutcomes(requests).map(({ claimedKeys, takenBy }) => ({
      requests,
      snapshot: { locked, now: NOW, claimedKeys, takenBy } satisfies BatchSnapshot,
    })),
  ),
);

/** A book of these wallets and the external account of each currency, holding minus their money. */
export function bookWithExternals(...wallets: LockedWallet[]): Book {
  const externals = CURRENCIES_USED.map((c): LockedWallet => ({
    id: externalAccountIdOf(c),
    currency: c,
    kind: 'EXTERNAL',
    balanceMinor: -ledgerSum(wallets, c),
    heldMinor: 0n,
    lastEntrySequence: 1_000,
    status: 'ACTIVE' as const,
    metadata: {},
    createdAt: new Date(0),
  }));
  return new Book(new Map([...externals, ...wallets].map((w) => [w.id, w])), NOW);
}
