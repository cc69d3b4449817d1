'use client';

import { transferFundsInput } from '@wallet/contract';
import Link from 'next/link';

import { optionalText } from '~/lib/forms';
import { shortId } from '~/lib/format';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Button, Card } from '../ui';
import { LedgerForm, useLedgerForm } from './ledger-form';
import { ReceiverPicker, receiverIdOf, type ReceiverChoice } from './receiver-picker';

const NO_RECEIVER: ReceiverChoice = { picked: '', pasted: '' };

export function TransferForm({ wallet }: { wallet: WalletDetail }) {
  const transfer = trpc.wallets.transfer.useMutation();
  const form = useLedgerForm({
    operation: 'transfer',
    schema: transferFundsInput,
    currency: wallet.currency,
    mutation: transfer,
    initial: { amount: '', description: '', metadata: '', receiver: NO_RECEIVER },
    toInput: ({ amount, description, receiver }) => ({
      senderWalletId: wallet.id,
      receiverWalletId: optionalText(receiverIdOf(receiver)),
      amount: optionalText(amount),
      description: optionalText(description),
    }),
    fieldNames: { receiverWalletId: 'receiver' },
    check: (data) =>
      data.receiverWalletId === wallet.id
        ? { receiver: 'must be another wallet than the sender' }
        : {},
    succeeded: (result, input) => (
      <>
        Sent {formatMoney(input.amount, wallet.currency)} to{' '}
        <Link href={`/wallets/${result.receiver.id}`} className="font-mono font-semibold underline">
          {shortId(result.receiver.id)}
        </Link>
        . New balance: {formatMoney(result.sender.balance, wallet.currency)}.
      </>
    ),
  });

  return (
    <Card
      title="Transfer"
      description="Move money from this wallet to another of the same currency."
    >
      <LedgerForm
        form={form}
        submit={
          <Button type="submit" pending={form.pending} pendingLabel="Transferring…">
            Transfer
          </Button>
        }
      >
        <ReceiverPicker
          id={`${form.id}-receiver`}
          senderId={wallet.id}
          currency={wallet.currency}
          value={form.values.receiver}
          onChange={(choice) => {
            form.set('receiver', choice);
          }}
          error={form.errors.receiver}
          disabled={form.pending}
        />
      </LedgerForm>
    </Card>
  );
}
