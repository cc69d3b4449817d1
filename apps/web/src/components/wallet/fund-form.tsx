'use client';

import { fundWalletInput } from '@wallet/contract';

import { optionalText } from '~/lib/forms';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Button, Card } from '../ui';
import { LedgerForm, useLedgerForm } from './ledger-form';

export function FundForm({ wallet }: { wallet: WalletDetail }) {
  const fund = trpc.wallets.fund.useMutation();
  const form = useLedgerForm({
    operation: 'fund',
    schema: fundWalletInput,
    currency: wallet.currency,
    mutation: fund,
    initial: { amount: '', description: '', metadata: '' },
    toInput: ({ amount, description }) => ({
      walletId: wallet.id,
      amount: optionalText(amount),
      description: optionalText(description),
    }),
    succeeded: (result) =>
      `Added ${formatMoney(result.transaction.amount, wallet.currency)}. New balance: ${formatMoney(result.wallet.balance, wallet.currency)}.`,
  });

  return (
    <Card title="Fund wallet" description="Add money to this wallet from outside the ledger.">
      <LedgerForm
        form={form}
        submit={
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" pending={form.pending} pendingLabel="Funding…">
              Fund wallet
            </Button>
          </div>
        }
      />
    </Card>
  );
}
