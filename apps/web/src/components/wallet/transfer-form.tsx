'use client';

import { transferFundsInput } from '@wallet/contract';
import Link from 'next/link';
import { useId, useRef, useState, type SubmitEvent, type ReactNode } from 'react';

import { describeProblem, ledgerCodeOf, type ProblemReport } from '~/lib/errors';
import { amountProblemFor, fieldErrorsOf, optionalText } from '~/lib/forms';
import { shortId } from '~/lib/format';
import { useSubmissionKey } from '~/lib/idempotency';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Alert, Button, Card } from '../ui';
import { AmountField, DescriptionField } from './amount-field';
import { ReceiverPicker, receiverIdOf, type ReceiverChoice } from './receiver-picker';

type TransferFields = 'receiver' | 'amount' | 'description';

const NO_RECEIVER: ReceiverChoice = { picked: '', pasted: '' };

export function TransferForm({ wallet }: { wallet: WalletDetail }) {
  const id = useId();
  const utils = trpc.useUtils();
  const transfer = trpc.wallets.transfer.useMutation();
  const submission = useSubmissionKey();
  const inFlight = useRef(false);
  const [receiver, setReceiver] = useState<ReceiverChoice>(NO_RECEIVER);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Partial<Record<TransferFields, string>>>({});
  const [problem, setProblem] = useState<ProblemReport>();
  const [done, setDone] = useState<ReactNode>();

  function finish(message: ReactNode) {
    submission.renew();
    setAmount('');
    setDescription('');
    setDone(message);
  }

  function validate() {
    const receiverWalletId = optionalText(receiverIdOf(receiver));
    const values = {
      senderWalletId: wallet.id,
      receiverWalletId,
      amount: optionalText(amount),
      description: optionalText(description),
    };
    const parsed = transferFundsInput.safeParse(values);
    if (!parsed.success) {
      const fields = fieldErrorsOf(parsed.error);
      const { receiverWalletId: receiverError, ...rest } = fields;
      return { errors: { ...rest, receiver: receiverError } } as const;
    }
    const fieldProblems: Partial<Record<TransferFields, string>> = {};
    if (parsed.data.receiverWalletId === wallet.id) {
      fieldProblems.receiver = 'must be another wallet than the sender';
    }
    const amountProblem = amountProblemFor(parsed.data.amount, wallet.currency);
    if (amountProblem) fieldProblems.amount = amountProblem;
    if (Object.keys(fieldProblems).length > 0) return { errors: fieldProblems } as const;
    // The key belongs to the normalised submission: "40" and "40.00" are one payment.
    const input = transferFundsInput.parse({
      ...parsed.data,
      idempotencyKey: submission.keyFor(parsed.data),
    });
    return { input } as const;
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return; // a second click before the button disables itself
    setProblem(undefined);
    setDone(undefined);
    const checked = validate();
    if (!checked.input) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    inFlight.current = true;
    const { input } = checked;
    try {
      const result = await transfer.mutateAsync(input);
      finish(
        <>
          Sent {formatMoney(input.amount, wallet.currency)} to{' '}
          <Link
            href={`/wallets/${result.receiver.id}`}
            className="font-mono font-semibold underline"
          >
            {shortId(result.receiver.id)}
          </Link>
          . New balance: {formatMoney(result.sender.balance, wallet.currency)}.
        </>,
      );
    } catch (error) {
      if (ledgerCodeOf(error) === 'DUPLICATE_IDEMPOTENCY_KEY') {
        // An earlier attempt of this very submission went through; it was not repeated.
        finish(describeProblem(error, 'transfer').message);
      } else {
        setProblem(describeProblem(error, 'transfer'));
      }
    } finally {
      inFlight.current = false;
      await utils.invalidate();
    }
  }

  return (
    <Card
      title="Transfer"
      description="Move money from this wallet to another of the same currency."
    >
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="space-y-4">
        <ReceiverPicker
          id={`${id}-receiver`}
          senderId={wallet.id}
          currency={wallet.currency}
          value={receiver}
          onChange={setReceiver}
          error={errors.receiver}
          disabled={transfer.isPending}
        />
        <AmountField
          id={`${id}-amount`}
          currency={wallet.currency}
          value={amount}
          onChange={setAmount}
          error={errors.amount}
          disabled={transfer.isPending}
        />
        <DescriptionField
          id={`${id}-description`}
          value={description}
          onChange={setDescription}
          error={errors.description}
          disabled={transfer.isPending}
        />
        <Button type="submit" pending={transfer.isPending} pendingLabel="Transferring…">
          Transfer
        </Button>
        {problem && (
          <Alert tone="error" detail={problem.detail}>
            {problem.message}
          </Alert>
        )}
        {done && <Alert tone="success">{done}</Alert>}
      </form>
    </Card>
  );
}
