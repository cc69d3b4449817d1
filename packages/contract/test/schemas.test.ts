import { describe, expect, it } from 'vitest';

import {
  createWalletInput,
  fundWalletInput,
  listTransactionsInput,
  restReverseTransactionBody,
  reverseTransactionInput,
} from '../src';

const walletId = '0190b7a0-1f2e-7c3d-8a4b-5c6d7e8f9a0b';

describe('input schemas', () => {
  it('normalises amounts given as numbers or text', () => {
    expect(fundWalletInput.parse({ walletId, amount: 100.5 }).amount).toBe('100.5');
    expect(fundWalletInput.parse({ walletId, amount: '0100.50' }).amount).toBe('100.5');
  });

  it.each([0, -1, 1.0001, Number.NaN, '1e5', true, null, '', 'NaN'])(
    'refuses the amount %j',
    (amount) => {
      expect(fundWalletInput.safeParse({ walletId, amount }).success).toBe(false);
    },
  );

  it('refuses unknown fields, so a misspelt idempotency key never goes unnoticed', () => {
    const result = fundWalletInput.safeParse({ walletId, amount: 1, idempotency_key: 'k' });
    expect(result.success).toBe(false);
  });

  it('defaults the currency to USD and refuses unsupported ones', () => {
    expect(createWalletInput.parse({})).toEqual({ currency: 'USD' });
    expect(createWalletInput.safeParse({ currency: 'XXX' }).success).toBe(false);
  });

  it('bounds page sizes', () => {
    expect(listTransactionsInput.parse({ walletId }).limit).toBe(20);
    expect(listTransactionsInput.parse({ walletId, limit: '5' }).limit).toBe(5);
    expect(listTransactionsInput.safeParse({ walletId, limit: 101 }).success).toBe(false);
    expect(listTransactionsInput.safeParse({ walletId, limit: 0 }).success).toBe(false);
  });
});

describe('the reversal schemas', () => {
  it('name only the original; the amount is optional (all that is left), normalised when given', () => {
    expect(reverseTransactionInput.parse({ transactionId: walletId })).toEqual({
      transactionId: walletId,
    });
    expect(reverseTransactionInput.parse({ transactionId: walletId, amount: 2.5 }).amount).toBe(
      '2.5',
    );
    expect(restReverseTransactionBody.parse({})).toEqual({});
  });

  it.each([
    { transactionId: 'not-a-uuid' },
    { transactionId: walletId, amount: 0 },
    { transactionId: walletId, amount: '-1' },
    { transactionId: walletId, walletId },
    { transactionId: walletId, idempotency_key: 'k' },
  ])('refuses %j', (input) => {
    expect(reverseTransactionInput.safeParse(input).success).toBe(false);
  });

  it('keeps the path id out of the REST body', () => {
    expect(restReverseTransactionBody.safeParse({ transactionId: walletId }).success).toBe(false);
  });
});

describe('describeIssues', () => {
  it('names each field and says what it expects', async () => {
    const { describeIssues, restFundWalletBody } = await import('../src');
    const result = restFundWalletBody.safeParse({ amount: -5, extra: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    const text = describeIssues(result.error);
    expect(text).toContain('wallet_id is required');
    expect(text).toContain('amount must be positive');
    expect(text).toContain('extra is not a known field');
  });
});

describe('idempotency keys', () => {
  it('an empty key gets one message, not two', async () => {
    const { describeIssues, idempotencyKeySchema } = await import('../src');
    const result = idempotencyKeySchema.safeParse('');
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toBe('must not be empty');
  });
});

describe('descriptions are stored as sent or refused', () => {
  it.each([
    ['a NUL character (PostgreSQL text cannot hold it)', 'a\u0000b', /must not contain NUL/],
    ['a lone high surrogate', 'a\ud800b', /well-formed Unicode/],
    ['a lone low surrogate', '\udc00', /well-formed Unicode/],
  ])('refuses %s', async (_name, description, message) => {
    const { describeIssues, descriptionSchema } = await import('../src');
    const result = descriptionSchema.safeParse(description);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssues(result.error)).toMatch(message);
  });

  it('takes any well-formed text, astral characters and right-to-left marks included', async () => {
    const { descriptionSchema } = await import('../src');
    for (const text of ['😀'.repeat(500), 'שלום \u202e', 'e\u0301', '']) {
      expect(descriptionSchema.safeParse(text).success).toBe(true);
    }
  });
});

describe('amount text', () => {
  it('names the length limit when the text is too long', async () => {
    const { AMOUNT_TEXT_LENGTH_MAX, describeIssues, fundWalletInput } = await import('../src');
    const amount = '1'.repeat(AMOUNT_TEXT_LENGTH_MAX + 1);
    const result = fundWalletInput.safeParse({ walletId, amount });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(describeIssues(result.error)).toBe(
        `amount must be at most ${AMOUNT_TEXT_LENGTH_MAX} characters of decimal text`,
      );
    }
  });
});
