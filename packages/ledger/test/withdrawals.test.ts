import { schema } from '@wallet/db';
import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';

import {
  DuplicateIdempotencyKeyError,
  externalAccountIdOf,
  InsufficientFundsError,
  InvalidInputError,
  WalletNotFoundError,
} from '../src';
import { expectContiguousChain } from './chain';
import { useTestLedger } from './support';

const testLedger = await useTestLedger(30);
const { ledger, db } = testLedger;

async function fundedWallet(amount: number | string, currency: 'USD' | 'JPY' = 'USD') {
  const wallet = await ledger.createWallet({ currency });
  await ledger.fundWallet({ walletId: wallet.id, amount });
  return wallet.id;
}

function ownerContext() {
  const actor = `key:${uuidv7()}`;
  return { actor, owner: actor, requestId: `req-${actor}` };
}

describe('withdrawFunds', () => {
  it("pays out: a WITHDRAWAL on the wallet, its counter-entry on the currency's external account", async () => {
    const walletId = await fundedWallet(100.5);
    const result = await ledger.withdrawFunds({ walletId, amount: 40.25, description: 'payout' });
    expect(result.wallet).toMatchObject({ id: walletId, balanceMinor: 6025n });
    expect(result.entry).toMatchObject({
      type: 'WITHDRAWAL',
      amountMinor: 4025n,
      balanceBeforeMinor: 10050n,
      balanceAfterMinor: 6025n,
      counterpartyWalletId: null,
      transferId: null,
      description: 'payout',
    });
    const [latest] = (await ledger.getWallet({ walletId })).transactions;
    expect(latest).toEqual(result.entry);
    const [counter] = await db
      .select()
      .from(schema.ledgerEntries)
      .where(eq(schema.ledgerEntries.transferId, result.entry.id));
    expect(counter).toMatchObject({
      walletId: externalAccountIdOf('USD'),
      type: 'WITHDRAWAL_COUNTER',
      amountMinor: 4025n,
      counterpartyWalletId: walletId,
    });
    const detail = await ledger.getTransaction({ transactionId: result.entry.id });
    expect(detail).toMatchObject({ id: result.entry.id, kind: 'WITHDRAWAL', amountMinor: 4025n });
    expect(detail.legs).toEqual([result.entry]);
    expect(await expectContiguousChain(testLedger, walletId)).toBe(6025n);
    await expectContiguousChain(testLedger, externalAccountIdOf('USD'));
    expect((await ledger.verify()).violations).toEqual([]);
  });

  it('refuses more than the balance exactly like a transfer, and writes nothing', async () => {
    const walletId = await fundedWallet(10);
    const refusal = ledger.withdrawFunds({ walletId, amount: 10.01 });
    await expect(refusal).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(refusal).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      details: { walletId, available: '10.00', requested: '10.01', currency: 'USD' },
    });
    await expect(ledger.withdrawFunds({ walletId, amount: 10 })).resolves.toMatchObject({
      wallet: { balanceMinor: 0n },
    });
    await expect(ledger.withdrawFunds({ walletId, amount: 0.001 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(await expectContiguousChain(testLedger, walletId)).toBe(0n);
  });

  it('refuses an external account as the wallet: to a client it does not exist', async () => {
    await fundedWallet(1);
    const external = externalAccountIdOf('USD');
    const writes = [
      () => ledger.withdrawFunds({ walletId: external, amount: 1 }),
      () => ledger.fundWallet({ walletId: external, amount: 1 }),
      () => ledger.getWallet({ walletId: external }),
    ];
    for (const write of writes) await expect(write()).rejects.toBeInstanceOf(WalletNotFoundError);
    const listed = await ledger.listWallets({ limit: 100 });
    expect(listed.items.map((wallet) => wallet.id)).not.toContain(external);
  });

  it('spends an idempotency key once; a retry is told the withdrawal', async () => {
    const walletId = await fundedWallet(10);
    const context = ownerContext();
    const request = { walletId, amount: 1, idempotencyKey: `w-${walletId}` };
    const first = await ledger.withdrawFunds(request, context);
    await expect(ledger.withdrawFunds(request, context)).rejects.toMatchObject({
      code: 'DUPLICATE_IDEMPOTENCY_KEY',
      originalTransactionId: first.entry.id,
      sameRequest: true,
    });
    await expect(
      ledger.fundWallet({ walletId, amount: 1, idempotencyKey: request.idempotencyKey }, context),
    ).rejects.toMatchObject({ sameRequest: false });
    expect(await expectContiguousChain(testLedger, walletId)).toBe(900n);
    const audit = await db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.target, walletId), eq(schema.auditLog.action, 'wallets.withdraw')),
      );
    expect(audit.map((row) => row.outcome)).toEqual(['success', 'refused']);
  });

  it('a refused withdrawal leaves its key free for a corrected retry', async () => {
    const walletId = await fundedWallet(1);
    const key = `w-fix-${walletId}`;
    await expect(
      ledger.withdrawFunds({ walletId, amount: 2, idempotencyKey: key }),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    await expect(
      ledger.withdrawFunds({ walletId, amount: 1, idempotencyKey: key }),
    ).resolves.toBeDefined();
  });

  it('two owners with one key at once both withdraw; each retry names its own', async () => {
    const [alice, bob] = [ownerContext(), ownerContext()];
    const [a, b] = await Promise.all([fundedWallet(5), fundedWallet(7)]);
    const key = `payout-${uuidv7()}`;
    const [fromA, fromB] = await Promise.all([
      ledger.withdrawFunds({ walletId: a, amount: 5, idempotencyKey: key }, alice),
      ledger.withdrawFunds({ walletId: b, amount: 7, idempotencyKey: key }, bob),
    ]);
    expect([fromA.wallet.balanceMinor, fromB.wallet.balanceMinor]).toEqual([0n, 0n]);
    const retries = await Promise.allSettled([
      ledger.withdrawFunds({ walletId: a, amount: 5, idempotencyKey: key }, alice),
      ledger.withdrawFunds({ walletId: b, amount: 7, idempotencyKey: key }, bob),
    ]);
    expect(retries).toMatchObject([
      { status: 'rejected', reason: { originalTransactionId: fromA.entry.id, sameRequest: true } },
      { status: 'rejected', reason: { originalTransactionId: fromB.entry.id, sameRequest: true } },
    ]);
    for (const retry of retries) {
      expect(retry.status === 'rejected' && retry.reason).toBeInstanceOf(
        DuplicateIdempotencyKeyError,
      );
    }
  });
});

describe('withdrawFunds under concurrency', () => {
  it('forty 1.00 withdrawals racing on 10.00: exactly ten succeed, never an overdraft', async () => {
    const walletId = await fundedWallet(10);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => ledger.withdrawFunds({ walletId, amount: 1 })),
    );
    const refused = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(outcomes.length - refused.length).toBe(10);
    for (const reason of refused) expect(reason).toBeInstanceOf(InsufficientFundsError);
    expect(await expectContiguousChain(testLedger, walletId)).toBe(0n);
  });

  it('withdrawals, fundings and transfers at once, in two currencies: the ledger sums to zero', async () => {
    const usd = await Promise.all([50, 50, 50].map((amount) => fundedWallet(amount)));
    const jpy = await fundedWallet(500, 'JPY');
    const writes = Array.from({ length: 60 }, (_, index) => {
      const walletId = usd[index % usd.length] ?? '';
      const other = usd[(index + 1) % usd.length] ?? '';
      if (index % 4 === 0) return ledger.fundWallet({ walletId, amount: 3 });
      if (index % 4 === 1) return ledger.withdrawFunds({ walletId: jpy, amount: 20 });
      if (index % 4 === 2)
        return ledger.transferFunds({
          senderWalletId: walletId,
          receiverWalletId: other,
          amount: 2,
        });
      return ledger.withdrawFunds({ walletId, amount: 5 });
    });
    const outcomes = await Promise.allSettled(writes);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(InsufficientFundsError);
    }
    for (const id of [...usd, jpy, externalAccountIdOf('USD'), externalAccountIdOf('JPY')]) {
      await expectContiguousChain(testLedger, id);
    }
    const report = await ledger.verify();
    expect(report.violations).toEqual([]);
    // 15 JPY withdrawals of 20 from 500.
    expect(report.totals.find((total) => total.currency === 'JPY')).toMatchObject({
      withdrawalsMinor: 300n,
    });
  });
});
