import {
  formatMinor,
  MAX_AMOUNT_MINOR,
  MAX_BALANCE_MINOR,
  MAX_CURRENCY_TOTAL_MINOR,
  minorDigitsOf,
} from '@wallet/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  BalanceLimitExceededError,
  InsufficientFundsError,
  WalletNotFoundError,
} from '../src/errors';
import { externalAccountIdOf } from '../src/external-accounts';
import { applyFund } from '../src/movements/fund';
import { Book } from '../src/movements/book';
import { applyWithdraw } from '../src/movements/withdraw';
import type { FundRequest, WithdrawRequest } from '../src/writes';
import {
  bookWithExternals,
  CURRENCIES_USED,
  lockedWallet,
  MISSING_WALLET_ID,
  NOW,
} from './plan-arbitraries';

/**
 * A withdrawal (movements/withdraw.ts) without a database, at its edges: the whole
 * balance, one minor unit more, and a client naming an external account. Each case
 * decides from the rule alone what must happen, then checks that it happened exactly,
 * with the counter-entry on the currency's external account (the book sums to zero).
 */

const SENDER = '01900000-0000-7000-8000-000000000001';
const nearEdge = fc.bigInt({ min: -2n, max: 2n });
const currency = fc.constantFrom(...CURRENCIES_USED);
const bookOf = bookWithExternals;

function stateOf(book: ReturnType<typeof bookOf>, ids: readonly string[]) {
  return { entries: book.entries.length, wallets: ids.map((id) => ({ ...book.wallet(id) })) };
}

const fund = (walletId: string, amount: string): FundRequest => ({
  kind: 'FUND',
  entryId: '0e000000-0000-7000-8000-000000000001',
  walletId,
  amount,
  description: null,
  metadata: {},
  idempotency: null,
  audit: null,
});

const withdraw = (walletId: string, amount: string): WithdrawRequest => ({
  kind: 'WITHDRAW',
  entryId: '0e000000-0000-7000-8000-000000000002',
  walletId,
  amount,
  description: 'payout',
  metadata: {},
  idempotency: null,
  audit: null,
});

describe('a withdrawal', () => {
  it('debits exactly the amount when the wallet holds it (all of it too), refuses one unit more', () => {
    fc.assert(
      fc.property(lockedWallet(SENDER), nearEdge, fc.boolean(), (wallet, step, whole) => {
        const digits = minorDigitsOf(wallet.currency);
        const amountMinor = whole
          ? wallet.balanceMinor + step
          : (wallet.balanceMinor % 7_000n) + 1n + step;
        fc.pre(amountMinor > 0n && amountMinor <= MAX_AMOUNT_MINOR);
        const book = bookOf(wallet);
        const external = externalAccountIdOf(wallet.currency);
        const before = stateOf(book, [SENDER]);
        const run = () => applyWithdraw(book, withdraw(SENDER, formatMinor(amountMinor, digits)));
        if (amountMinor > wallet.balanceMinor) {
          expect(run).toThrow(InsufficientFundsError);
          expect(stateOf(book, [SENDER])).toEqual(before);
          return;
        }
        const { wallet: after, entry } = run();
        expect(after.balanceMinor).toBe(wallet.balanceMinor - amountMinor);
        expect(entry).toMatchObject({
          type: 'WITHDRAWAL',
          amountMinor,
          balanceBeforeMinor: wallet.balanceMinor,
          balanceAfterMinor: wallet.balanceMinor - amountMinor,
          counterpartyWalletId: null,
          transferId: null,
        });
        expect(book.entries.map((e) => [e.wallet_id, e.type, e.transfer_id])).toEqual([
          [SENDER, 'WITHDRAWAL', null],
          [external, 'WITHDRAWAL_COUNTER', entry.id],
        ]);
        // The external account holds minus the money in the wallets, before and after.
        const ledger = book.changedWallets().reduce((sum, w) => sum + w.balanceMinor, 0n);
        expect(ledger).toBe(0n);
      }),
    );
  });

  it("is refused for a client's naming an external account or a missing wallet", () => {
    fc.assert(
      fc.property(lockedWallet(SENDER), currency, (wallet, c) => {
        const book = bookOf(wallet);
        for (const id of [externalAccountIdOf(c), MISSING_WALLET_ID]) {
          expect(() => applyWithdraw(book, withdraw(id, '1'))).toThrow(WalletNotFoundError);
          expect(() => applyFund(book, fund(id, '1'))).toThrow(WalletNotFoundError);
        }
        expect(book.entries).toEqual([]);
      }),
    );
  });
});

describe("a funding, at the currency's bound", () => {
  it('is refused when the money in all wallets of the currency would pass what a bigint holds', () => {
    fc.assert(
      fc.property(lockedWallet(SENDER), nearEdge, (wallet, step) => {
        fc.pre(wallet.balanceMinor < MAX_BALANCE_MINOR);
        const room = MAX_BALANCE_MINOR - wallet.balanceMinor;
        const amountMinor = room < 3n ? room : room - 2n;
        // The other wallets of the currency hold all but `amountMinor + step` of the bound.
        const externalMinor = -(MAX_CURRENCY_TOTAL_MINOR - amountMinor - step);
        const external = {
          id: externalAccountIdOf(wallet.currency),
          currency: wallet.currency,
          kind: 'EXTERNAL' as const,
          balanceMinor: externalMinor,
          heldMinor: 0n,
          lastEntrySequence: 1_000,
          status: 'ACTIVE' as const,
          metadata: {},
          createdAt: new Date(0),
        };
        const book = new Book(new Map([external, wallet].map((w) => [w.id, w])), NOW);
        const amount = formatMinor(amountMinor, minorDigitsOf(wallet.currency));
        const run = () => applyFund(book, fund(SENDER, amount));
        if (step < 0n) {
          expect(run).toThrow(BalanceLimitExceededError);
          expect(run).toThrow(/in all its wallets together/);
          expect(book.entries).toEqual([]);
          return;
        }
        run();
        const after = book.externalAccount(wallet.currency).balanceMinor;
        expect(after).toBe(externalMinor - amountMinor);
        expect(-after).toBeLessThanOrEqual(MAX_CURRENCY_TOTAL_MINOR);
      }),
    );
  });
});
