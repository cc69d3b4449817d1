'use client';

import { fundWalletInput } from '@wallet/contract';
import { useId, useRef, useState, type SubmitEvent } from 'react';

import { describeProblem, ledgerCodeOf, type ProblemReport } from '~/lib/errors';
import { amountProblemFor, fieldErrorsOf, optionalText } from '~/lib/forms';
import { useSubmissionKey } from '~/lib/idempotency';
import { formatMoney } from '~/lib/money';
import { trpc, type WalletDetail } from '~/trpc/react';

import { Alert, Button, Card } from '../ui';
import { AmountField, DescriptionField } from './amount-field';

type FundFields = 'amount' | 'description';

export function FundForm({ wallet }: { wallet: WalletDetail }) {
  const id = useId();
  const utils = trpc.useUtils();
  const fund = trpc.wallets.fund.useMutation();
  const submission = useSubmissionKey();
  const inFlight = useRef(false);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FundFields, string>>>({});
  const [problem, setProblem] = useState<ProblemReport>();
  const [done, setDone] = useState<string>();

  function finish(message: string) {
    submission.renew();
    setAmount('');
    setDescription('');
    setDone(message);
  }

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return; // a second click before the button disables itself
    setProblem(undefined);
    setDone(undefined);
    const values = {
      walletId: wallet.id,
      amount: optionalText(amount),
      description: optionalText(description),
    };
    const parsed = fundWalletInput.safeParse(values);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    const amountProblem = amountProblemFor(parsed.data.amount, wallet.currency);
    if (amountProblem) {
      setErrors({ amount: amountProblem });
      return;
    }
    setErrors({});
    // The key belongs to the normalised submission: "150" and "150.00" are one payment.
    const input = fundWalletInput.parse({
      ...parsed.data,
      idempotencyKey: submission.keyFor(parsed.data),
    });
    inFlight.current = true;
    try {
      const result = await fund.mutateAsync(input);
      finish(
        `Added ${formatMoney(result.transaction.amount, wallet.currency)}. New balance: ${formatMoney(result.wallet.balance, wallet.currency)}.`,
      );
    } catch (error) {
      if (ledgerCodeOf(error) === 'DUPLICATE_IDEMPOTENCY_KEY') {
        // An earlier attempt of this very submission went through; it was not repeated.
        finish(describeProblem(error, 'fund').message);
      } else {
        setProblem(describeProblem(error, 'fund'));
      }
    } finally {
      inFlight.current = false;
      await utils.invalidate();
    }
  }

  return (
    <Card title="Fund wallet" description="Add money to this wallet from outside the ledger.">
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="space-y-4">
        <AmountField
          id={`${id}-amount`}
          currency={wallet.currency}
          value={amount}
          onChange={setAmount}
          error={errors.amount}
          disabled={fund.isPending}
        />
        <DescriptionField
          id={`${id}-description`}
          value={description}
          onChange={setDescription}
          error={errors.description}
          disabled={fund.isPending}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" pending={fund.isPending} pendingLabel="Funding…">
            Fund wallet
          </Button>
        </div>
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
