'use client';

import { useState } from 'react';

import { Card, Field, inputClass } from '../ui';

/** A local calendar day's start as an ISO moment (the statement's bounds are moments). */
function startOfDay(day: string): string | undefined {
  return day === '' ? undefined : new Date(`${day}T00:00:00`).toISOString();
}

/** The day after `day`, so a chosen last day is included (`to` is exclusive). */
function startOfNextDay(day: string): string | undefined {
  if (day === '') return undefined;
  const next = new Date(`${day}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
}

/**
 * The statement download: a CSV of a period (both days included), with its opening and
 * closing balances, streamed by the dashboard's server from the API's statement pages.
 */
export function StatementCard({ walletId }: { walletId: string }) {
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const query = new URLSearchParams();
  const from = startOfDay(fromDay);
  const to = startOfNextDay(toDay);
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  const reversed = from !== undefined && to !== undefined && from >= to;
  const href = `/wallets/${walletId}/statement.csv${query.size > 0 ? `?${query.toString()}` : ''}`;
  return (
    <Card
      title="Statement"
      description="A CSV of a period: opening balance, every movement, closing balance."
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="statement-from" label="First day" hint="Empty: since the first movement.">
          <input
            id="statement-from"
            type="date"
            value={fromDay}
            onChange={(event) => {
              setFromDay(event.target.value);
            }}
            className={inputClass}
          />
        </Field>
        <Field
          id="statement-to"
          label="Last day"
          hint="Empty: up to now."
          error={reversed ? 'must not be before the first day.' : undefined}
        >
          <input
            id="statement-to"
            type="date"
            value={toDay}
            onChange={(event) => {
              setToDay(event.target.value);
            }}
            className={inputClass}
          />
        </Field>
      </div>
      <div className="mt-4">
        {reversed ? (
          <span className="text-sm text-slate-500">Choose a period to download.</span>
        ) : (
          <a
            href={href}
            download
            className="inline-flex items-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
          >
            Download statement (CSV)
          </a>
        )}
      </div>
    </Card>
  );
}
