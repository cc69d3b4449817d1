import {
  formatMinor,
  MAX_AMOUNT_MINOR,
  MAX_BALANCE_MINOR,
  minorDigitsOf,
  parseAmountMinor,
  type CurrencyCode,
} from '@wallet/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  BalanceLimitExceededError,
  CurrencyMismatchError,
  InsufficientFundsError,
  InvalidInputError,
  LedgerError,
  WalletNotFoundError,
} from '../src/errors';
import type { Book, LockedWallet } from '../src/movements/book';
import { applyFund } from '../src/movements/fund';
import { applyTransfer } from '../src/movements/transfer';
import { externalAccountIdOf } from '../src/external-accounts';
import type { FundRequest, TransferRequest } from '../src/writes';
import {
  bookWithExternals,
  CURRENCIES_USED,
  lockedWallet,
  MISSING_WALLET_ID,
} from './plan-arbitraries';

/**
 * The movements (movements/fund.ts, transfer.ts; withdraw.ts in withdraw.property.test.ts) and the Book they write through, without
 * a database, at their edges: an amount equal to the balance, one minor unit more, a
 * credit that lands exactly on the balance bound or one past it, more digits than the
 * currency has. Each case decides from the rule alone what must happen, then checks that
 * it happened exactly, and that a refusal left the book as it was.
 */

const SENDER = '01900000-0000-7000-8000-000000000001';
const RECEIVER = '01900000-0000-7000-8000-000000000002';

const bookOf = bookWithExternals;

/** What a refusal must leave untouched: every wallet's state, and no entry. */
function stateOf(book: Book, ids: readonly string[]) {
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

const transfer = (amount: string): TransferRequest => ({
  kind: 'TRANSFER',
  transferId: '07000000-0000-7000-8000-000000000001',
  senderWalletId: SENDER,
  receiverWalletId: RECEIVER,
  amount,
  description: 'rent',
  metadata: {},
  idempotency: null,
  audit: null,
});

/** A small step around an edge: -2 … +2 minor units. */
const nearEdge = fc.bigInt({ min: -2n, max: 2n });
const currency = fc.constantFrom(...CURRENCIES_USED);
const sameCurrencyPair = currency.chain((c) =>
  fc
    .tuple(lockedWallet(SENDER), lockedWallet(RECEIVER))
    .map(([s, r]): [LockedWallet, LockedWallet] => [
      { ...s, currency: c },
      { ...r, currency: c },
    ]),
);

describe('a funding', () => {
  it('credits exactly the amount up to the bound, and is refused one minor unit past it', () => {
    fc.assert(
      fc.property(lockedWallet(SENDER), nearEdge, fc.boolean(), (wallet, step, atEdge) => {
        const digits = minorDigitsOf(wallet.currency);
        // Either right at the bound, or anywhere (most of those fit).
        const room = MAX_BALANCE_MINOR - wallet.balanceMinor;
        const amountMinor = atEdge ? room + step : (wallet.balanceMinor % 10_000n) + 1n + step;
        fc.pre(amountMinor > 0n);
        const book = bookOf(wallet);
        const before = stateOf(book, [SENDER]);
        const run = () => applyFund(book, fund(SENDER, formatMinor(amountMinor, digits)));
        if (amountMinor > MAX_AMOUNT_MINOR) {
          expect(run).toThrow(InvalidInputError); // no single amount is that large
          expect(stateOf(book, [SENDER])).toEqual(before);
          return;
        }
        if (wallet.balanceMinor + amountMinor > MAX_BALANCE_MINOR) {
          expect(run).toThrow(BalanceLimitExceededError);
          expect(stateOf(book, [SENDER])).toEqual(before);
          return;
        }
        const { wallet: after, entry } = run();
        expect(after.balanceMinor).toBe(wallet.balanceMinor + amountMinor);
        expect(entry).toMatchObject({
          type: 'FUND',
          amountMinor,
          balanceBeforeMinor: wallet.balanceMinor,
          balanceAfterMinor: wallet.balanceMinor + amountMinor,
          sequence: wallet.lastEntrySequence + 1,
          currency: wallet.currency,
        });
        // The FUND, then its FUND_COUNTER on the currency's external account: sum zero.
        expect(book.changedWallets()).toEqual([
          { ...wallet, balanceMinor: after.balanceMinor, lastEntrySequence: entry.sequence },
          expect.objectContaining({
            id: externalAccountIdOf(wallet.currency),
            balanceMinor: -after.balanceMinor,
          }),
        ]);
        expect(book.entries[1]).toMatchObject({
          type: 'FUND_COUNTER',
          amount_minor: String(amountMinor),
          counterparty_wallet_id: SENDER,
          transfer_id: entry.id,
        });
      }),
    );
  });

  it('refuses more digits than the currency has (never rounds), leaving the book as it was', () => {
    fc.assert(
      fc.property(
        lockedWallet(SENDER),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 1, max: 9 }),
        (wallet, whole, last) => {
          // One digit finer than the currency's minor unit (KWD: a fourth decimal).
          const digits = minorDigitsOf(wallet.currency);
          const amount = `${whole}.${'0'.repeat(digits)}${last}`;
          const book = bookOf(wallet);
          const before = stateOf(book, [SENDER]);
          expect(() => applyFund(book, fund(SENDER, amount))).toThrow(InvalidInputError);
          expect(stateOf(book, [SENDER])).toEqual(before);
        },
      ),
    );
  });

  it('adds decimal text exactly: after any fundings the balance is the sum of their digits', () => {
    const text = fc
      .tuple(fc.nat({ max: 99 }), fc.nat({ max: 99 }))
      .map(([w, c]) => `${w}.${String(c).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), (amounts) => {
        const wallet: LockedWallet = {
          id: SENDER,
          currency: 'USD',
          kind: 'USER',
          balanceMinor: 0n,
          heldMinor: 0n,
          lastEntrySequence: 0,
          status: 'ACTIVE' as const,
          metadata: {},
          createdAt: new Date(0),
        };
        const book = bookOf(wallet);
        let expected = 0n;
        for (const amount of amounts) {
          if (amount === '0.00') continue; // not positive: refused before it reaches a book
          applyFund(book, fund(SENDER, amount));
          expected += BigInt(amount.replace('.', '')); // the digits, never a float
        }
        expect(book.wallet(SENDER).balanceMinor).toBe(expected);
        // 0.10 + 0.20 is 0.30 here, not 0.30000000000000004.
        expect(formatMinor(expected, 2)).toBe(sumAsText(amounts));
      }),
    );
  });
});

describe('a transfer', () => {
  it('moves exactly the amount when the sender holds it (all of it too), refuses one unit more', () => {
    fc.assert(
      fc.property(sameCurrencyPair, nearEdge, fc.boolean(), ([sender, receiver], step, atEdge) => {
        const digits = minorDigitsOf(sender.currency);
        const amountMinor = (atEdge ? sender.balanceMinor : sender.balanceMinor / 3n) + step;
        fc.pre(amountMinor > 0n);
        const book = bookOf(sender, receiver);
        const before = stateOf(book, [SENDER, RECEIVER]);
        const run = () => applyTransfer(book, transfer(formatMinor(amountMinor, digits)));
        if (amountMinor > MAX_AMOUNT_MINOR) {
          expect(run).toThrow(InvalidInputError);
          expect(stateOf(book, [SENDER, RECEIVER])).toEqual(before);
          return;
        }
        if (amountMinor > sender.balanceMinor) {
          expect(run).toThrow(InsufficientFundsError);
          expect(refusal(run).details).toEqual({
            walletId: SENDER,
            available: formatMinor(sender.balanceMinor, digits),
            requested: formatMinor(amountMinor, digits),
            currency: sender.currency,
          });
          expect(stateOf(book, [SENDER, RECEIVER])).toEqual(before);
          return;
        }
        if (receiver.balanceMinor + amountMinor > MAX_BALANCE_MINOR) {
          expect(run).toThrow(BalanceLimitExceededError);
          expect(stateOf(book, [SENDER, RECEIVER])).toEqual(before);
          return;
        }
        const result = run();
        expect(result.sender.balanceMinor).toBe(sender.balanceMinor - amountMinor);
        expect(result.receiver.balanceMinor).toBe(receiver.balanceMinor + amountMinor);
        const [out, into] = book.entries;
        expect(book.entries).toHaveLength(2);
        expect(out).toMatchObject({
          type: 'TRANSFER_OUT',
          wallet_id: SENDER,
          counterparty_wallet_id: RECEIVER,
        });
        expect(into).toMatchObject({
          type: 'TRANSFER_IN',
          wallet_id: RECEIVER,
          counterparty_wallet_id: SENDER,
        });
        for (const entry of [out, into]) {
          expect(entry?.amount_minor).toBe(String(amountMinor));
          expect(entry?.transfer_id).toBe(result.transferId);
        }
        expect(out?.id).not.toBe(into?.id);
      }),
    );
  });

  it('refuses wallets of two currencies before it reads the amount, and names a missing wallet', () => {
    const twoCurrencies = fc.uniqueArray(currency, { minLength: 2, maxLength: 2 });
    fc.assert(
      fc.property(
        lockedWallet(SENDER),
        lockedWallet(RECEIVER),
        twoCurrencies,
        fc.constantFrom('1', '0.0001', 'x'),
        (s, r, [a, b], amount) => {
          const book = bookOf(
            { ...s, currency: a as CurrencyCode },
            { ...r, currency: b as CurrencyCode },
          );
          const before = stateOf(book, [SENDER, RECEIVER]);
          expect(() => applyTransfer(book, transfer(amount))).toThrow(CurrencyMismatchError);
          const missing = { ...transfer('1'), receiverWalletId: MISSING_WALLET_ID };
          expect(() => applyTransfer(book, missing)).toThrow(WalletNotFoundError);
          expect(stateOf(book, [SENDER, RECEIVER])).toEqual(before);
        },
      ),
    );
  });
});

describe('the Book', () => {
  it('asserts (a crash, not a refusal) that no movement is empty or overdraws, and changes nothing then', () => {
    fc.assert(
      fc.property(
        lockedWallet(SENDER),
        fc.bigInt({ min: -3n, max: 0n }),
        fc.bigInt({ min: 1n, max: 3n }),
        (wallet, empty, over) => {
          const book = bookOf(wallet);
          const before = stateOf(book, [SENDER]);
          const links = { id: 'e', counterpartyWalletId: null, transferId: null };
          const move = (type: 'FUND' | 'TRANSFER_OUT', amount: bigint) => () =>
            book.move(
              book.wallet(SENDER),
              type,
              amount,
              { description: null, metadata: {} },
              links,
            );
          for (const thrown of [
            move('FUND', empty),
            move('TRANSFER_OUT', wallet.balanceMinor + over),
          ]) {
            expect(thrown).toThrow(/Ledger invariant violated/);
            expect(refusal(thrown)).not.toBeInstanceOf(LedgerError);
          }
          expect(stateOf(book, [SENDER])).toEqual(before);
        },
      ),
    );
  });

  it("keeps each entry's amount, before and after as exact integer text of the wallet's minor units", () => {
    fc.assert(
      fc.property(currency, fc.bigInt({ min: 1n, max: MAX_BALANCE_MINOR }), (c, amountMinor) => {
        const digits = minorDigitsOf(c);
        const text = formatMinor(amountMinor, digits);
        expect(parseAmountMinor(text, digits)).toBe(amountMinor);
        const wallet: LockedWallet = {
          id: SENDER,
          currency: c,
          kind: 'USER',
          balanceMinor: 0n,
          heldMinor: 0n,
          lastEntrySequence: 0,
          status: 'ACTIVE' as const,
          metadata: {},
          createdAt: new Date(0),
        };
        const book = bookOf(wallet);
        applyFund(book, fund(SENDER, text));
        expect(book.entries[0]).toMatchObject({
          amount_minor: String(amountMinor),
          balance_before_minor: '0',
          balance_after_minor: String(amountMinor),
          sequence: 1,
          previous_sequence: null,
        });
      }),
    );
  });
});

/** The error a call throws. */
function refusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    return error as LedgerError;
  }
  throw new Error('expected a refusal');
}

/** Column addition of two-decimal texts, digit by digit: a second, float-free oracle. */
function sumAsText(amounts: readonly string[]): string {
  let cents = 0;
  for (const amount of amounts) {
    const [whole = '0', fraction = '00'] = amount.split('.');
    cents += Number(whole) * 100 + Number(fraction); // small integers: exact in a double
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
