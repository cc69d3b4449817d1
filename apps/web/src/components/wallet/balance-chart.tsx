'use client';

import { PAGE_SIZE_MAX, type CurrencyCode } from '@wallet/contract';
import { useMemo } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';

import { formatDateTime } from '~/lib/format';
import { decimalToPlotNumber, formatMoney } from '~/lib/money';
import { trpc, type Entry } from '~/trpc/react';

import { LoadProblem } from '../load-problem';
import { Card, Placeholder } from '../ui';

/** The chart draws the latest movements, at most one API page of them. */
const CHART_ENTRIES_MAX = PAGE_SIZE_MAX;

interface BalancePoint {
  /** Milliseconds since the epoch: the x position. */
  at: number;
  /** For plotting only (see decimalToPlotNumber); the tooltip shows `balance`. */
  y: number;
  /** The exact balance as the API sent it. */
  balance: string;
}

/**
 * Oldest first: the balance before the oldest movement shown, then after each one, then
 * held until `until` (when the movements were read), so the latest balance shows as a
 * level and not as the chart's last sliver.
 */
function balancePoints(entriesNewestFirst: readonly Entry[], until: number): BalancePoint[] {
  const entries = [...entriesNewestFirst].reverse();
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return [];
  const point = (at: Date | number, balance: string): BalancePoint => ({
    at: typeof at === 'number' ? at : at.getTime(),
    y: decimalToPlotNumber(balance),
    balance,
  });
  return [
    point(first.createdAt, first.balanceBefore),
    ...entries.map((entry) => point(entry.createdAt, entry.balanceAfter)),
    point(Math.max(until, last.createdAt.getTime()), last.balanceAfter),
  ];
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const DAY_MS = 86_400_000;

function timeTick(at: number, spanMs: number): string {
  const text = formatDateTime(new Date(at));
  return spanMs < DAY_MS ? text.slice(11, 19) : text.slice(5, 16);
}

export function BalanceChart({
  walletId,
  currency,
  className,
}: {
  walletId: string;
  currency: CurrencyCode;
  className?: string;
}) {
  const history = trpc.wallets.transactions.useQuery({ walletId, limit: CHART_ENTRIES_MAX });
  const points = useMemo(
    () => balancePoints(history.data?.items ?? [], history.dataUpdatedAt),
    [history.data, history.dataUpdatedAt],
  );
  const first = points[0];
  const last = points[points.length - 1];
  const spanMs = first && last ? last.at - first.at : 0;
  const movements = history.data?.items.length ?? 0;

  return (
    <Card
      title="Balance over time"
      description={
        history.data?.nextCursor
          ? `The latest ${CHART_ENTRIES_MAX} movements.`
          : 'Every movement since the wallet opened.'
      }
      className={className}
    >
      {history.isPending ? (
        <Placeholder busy>Loading…</Placeholder>
      ) : history.isError ? (
        <LoadProblem what="the movements" error={history.error} />
      ) : !first || !last ? (
        <Placeholder>No movements yet: the balance has always been zero.</Placeholder>
      ) : (
        <figure>
          <div className="h-56 w-full" aria-hidden="true">
            <ResponsiveContainer width="100%" height="100%">
              <AreaChart data={points} margin={{ top: 8, right: 28, bottom: 0, left: 0 }}>
                <defs>
                  <linearGradient id="balance-fill" x1="0" y1="0" x2="0" y2="1">
                    <stop offset="0%" stopColor="#6366f1" stopOpacity={0.25} />
                    <stop offset="100%" stopColor="#6366f1" stopOpacity={0.02} />
                  </linearGradient>
                </defs>
                <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
                <XAxis
                  dataKey="at"
                  type="number"
                  scale="time"
                  domain={['dataMin', 'dataMax']}
                  tickFormatter={(at: number) => timeTick(at, spanMs)}
                  tick={{ fontSize: 12, fill: '#64748b' }}
                  minTickGap={48}
                />
                <YAxis
                  dataKey="y"
                  width={56}
                  tickFormatter={(y: number) => compact.format(y)}
                  tick={{ fontSize: 12, fill: '#64748b' }}
                />
                <Tooltip
                  content={(props: TooltipContentProps) => (
                    <BalanceTooltip {...props} currency={currency} />
                  )}
                />
                <Area
                  type="stepAfter"
                  dataKey="y"
                  stroke="#4f46e5"
                  strokeWidth={2}
                  fill="url(#balance-fill)"
                  isAnimationActive={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </div>
          <figcaption className="mt-2 text-sm text-slate-600">
            From {formatMoney(first.balance, currency)} to{' '}
            <span className="font-medium text-slate-900">
              {formatMoney(last.balance, currency)}
            </span>{' '}
            over {movements} movement{movements === 1 ? '' : 's'}.
          </figcaption>
        </figure>
      )}
    </Card>
  );
}

function BalanceTooltip({
  active,
  payload,
  currency,
}: TooltipContentProps & { currency: CurrencyCode }) {
  const point = (payload[0] as { payload?: BalancePoint } | undefined)?.payload;
  if (!active || !point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md">
      <div className="text-slate-500">{formatDateTime(new Date(point.at))}</div>
      <div className="tabular font-semibold text-slate-900">
        {formatMoney(point.balance, currency)}
      </div>
    </div>
  );
}
