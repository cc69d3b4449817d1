'use client';

import { useId } from 'react';

import { cx, inputClass } from '../ui';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The periods the chart offers: the last 7, 30 or 90 days up to now, or two dates. */
export const PRESET_DAYS = { '7d': 7, '30d': 30, '90d': 90 } as const;
type Preset = keyof typeof PRESET_DAYS;

export type Period =
  | { kind: Preset; /** When it was chosen: "now" for the period's end. */ chosenAt: number }
  | { kind: 'custom'; fromDate: string; toDate: string };

/** A period as the series' bounds (ISO text), or why it has none. */
export function rangeOf(
  period: Period,
  walletUpdatedAt: Date,
): { from: string; to: string } | { problem: string } {
  if (period.kind !== 'custom') {
    // Up to the end of the minute of the later of the choice and the wallet's last change:
    // a movement made after the period was chosen is inside it, and the bounds (the query's
    // key) stay the same within a minute.
    const now = Math.max(period.chosenAt, walletUpdatedAt.getTime());
    const to = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const from = to - PRESET_DAYS[period.kind] * DAY_MS;
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  const from = Date.parse(`${period.fromDate}T00:00:00Z`);
  // The whole of the last day: up to the next day's start.
  const to = Date.parse(`${period.toDate}T00:00:00Z`) + DAY_MS;
  if (Number.isNaN(from) || Number.isNaN(to)) return { problem: 'Choose both dates.' };
  if (from >= to) return { problem: 'The first date must not be after the last.' };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function PeriodPicker({
  period,
  onChange,
}: {
  period: Period;
  onChange: (period: Period) => void;
}) {
  const id = useId();
  const chooseCustom = () => {
    const today = Date.now();
    onChange({ kind: 'custom', fromDate: dateOf(today - 30 * DAY_MS), toDate: dateOf(today) });
  };
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Period" className="flex rounded-md border border-slate-300">
        {(Object.keys(PRESET_DAYS) as Preset[]).map((kind) => (
          <button
            key={kind}
            type="button"
            aria-pressed={period.kind === kind}
            onClick={() => {
              onChange({ kind, chosenAt: Date.now() });
            }}
            className={cx(
              'px-2.5 py-1 text-sm',
              period.kind === kind
                ? 'bg-indigo-600 text-white'
                : 'text-slate-700 hover:bg-slate-100',
            )}
          >
            {PRESET_DAYS[kind]} d
          </button>
        ))}
        <button
          type="button"
          aria-pressed={period.kind === 'custom'}
          onClick={chooseCustom}
          className={cx(
            'px-2.5 py-1 text-sm',
            period.kind === 'custom'
              ? 'bg-indigo-600 text-white'
              : 'text-slate-700 hover:bg-slate-100',
          )}
        >
          Custom
        </button>
      </div>
      {period.kind === 'custom' ? (
        <div className="flex items-center gap-1 text-sm">
          <label htmlFor={`${id}-from`} className="sr-only">
            From
          </label>
          <input
            id={`${id}-from`}
            type="date"
            value={period.fromDate}
            onChange={(event) => {
              onChange({ ...period, fromDate: event.target.value });
            }}
            className={cx(inputClass, 'w-auto py-1')}
          />
          <span aria-hidden="true">–</span>
          <label htmlFor={`${id}-to`} className="sr-only">
            To
          </label>
          <input
            id={`${id}-to`}
            type="date"
            value={period.toDate}
            onChange={(event) => {
              onChange({ ...period, toDate: event.target.value });
            }}
            className={cx(inputClass, 'w-auto py-1')}
          />
        </div>
      ) : null}
    </div>
  );
}
