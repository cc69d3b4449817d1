import { describe, expect, it } from 'vitest';

import { createWalletInput, fundWalletInput, listTransactionsInput } from '../src';

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
