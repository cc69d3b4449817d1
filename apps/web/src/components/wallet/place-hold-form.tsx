'use client';

import { HOLD_EXPIRY_DAYS_MAX, placeHoldInput } from '@wallet/contract';

import { optionalText } from '~/lib/forms';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { TextField } from '../forms/text-field';
import { Button, Card } from '../ui';
import { LedgerForm, useLedgerForm } from './ledger-form';
import { ReceiverPicker, receiverIdOf, type ReceiverChoice } from './receiver-picker';

const NO_RECEIVER: ReceiverChoice = { picked: '', pasted: '' };

/**
 * The expiry as the schema reads it: the browser's local date-time as an ISO instant, or
 * the text itself when it is no date (the schema then names the field).
 */
function expiryOf(localDateTime: string): string | undefined {
  const text = optionalText(localDateTime);
  if (text === undefined) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? text : instant.toISOString();
}

/** Reserve an amount of this wallet: the contract's one placement schema validates it. */
export function PlaceHoldForm({ wallet }: { wallet: WalletDetail }) {
  const place = trpc.holds.place.useMutation();
  const form = useLedgerForm({
    operation: 'hold',
    schema: placeHoldInput,
    currency: wallet.currency,
    mutation: place,
    initial: { amount: '', description: '', metadata: '', receiver: NO_RECEIVER, expiresAt: '' },
    toInput: ({ amount, description, receiver, expiresAt }) => ({
      walletId: wallet.id,
      receiverWalletId: optionalText(receiverIdOf(receiver)),
      expiresAt: expiryOf(expiresAt),
      amount: optionalText(amount),
      description: optionalText(description),
    }),
    fieldNames: { receiverWalletId: 'receiver' },
    check: (data) =>
      data.receiverWalletId === wallet.id
        ? { receiver: 'must be another wallet than this one' }
        : {},
    succeeded: (result) =>
      `Held ${formatMoney(result.hold.amount, wallet.currency)}. Available: ${formatMoney(result.wallet.available, wallet.currency)}.`,
  });

  return (
    <Card
      title="Place a hold"
      description="Reserve an amount now; capture it (all or part) or void it later."
    >
      <LedgerForm
        form={form}
        submit={
          <Button type="submit" pending={form.pending} pendingLabel="Placing…">
            Place hold
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
          emptyLabel="None: a capture pays out (a withdrawal)"
        />
        <TextField
          id={`${form.id}-expires`}
          label="Expires (optional)"
          type="datetime-local"
          {...form.text('expiresAt')}
          error={form.errors.expiresAt}
          disabled={form.pending}
          title={`At most ${HOLD_EXPIRY_DAYS_MAX} days ahead; released by itself then.`}
        />
      </LedgerForm>
    </Card>
  );
}
