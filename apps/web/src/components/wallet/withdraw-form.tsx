'use client';

import { withdrawFundsInput } from '@wallet/contract';

import { optionalText } from '~/lib/forms';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Button, Card } from '../ui';
import { LedgerForm, useLedgerForm } from './ledger-form';

/** A payout: the contract's one withdrawal schema validates it, as the API does. */
export function WithdrawForm({ wallet }: { wallet: WalletDetail }) {
  const withdraw = trpc.wallets.withdraw.useMutation();
  const form = useLedgerForm({
    operation: 'withdraw',
    schema: withdrawFundsInput,
    currency: wallet.currency,
    mutation: withdraw,
    initial: { amount: '', description: '', metadata: '' },
    toInput: ({ amount, description }) => ({
      walletId: wallet.id,
      amount: optionalText(amount),
      description: optionalText(description),
    }),
    succeeded: (result) =>
      `Paid out ${formatMoney(result.transaction.amount, wallet.currency)}. New balance: ${formatMoney(result.wallet.balance, wallet.currency)}.`,
  });

  return (
    <Card title="Withdraw" description="Pay money out of this wallet, to outside the ledger.">
      <LedgerForm
        form={form}
        submit={
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" pending={form.pending} pendingLabel="Withdrawing…">
              Withdraw
            </Button>
          </div>
        }
      />
    </Card>
  );
}
