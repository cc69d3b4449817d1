'use client';

import { keepPreviousData } from '@tanstack/react-query';
import { BALANCE_SERIES_POINTS_DEFAULT, type CurrencyCode } from '@wallet/contract';
import { useMemo, useState } from 'react';
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
import { trpc, type RouterOutputs } from '~/trpc/react';

import { LoadProblem } from '../load-problem';
import { Card, Placeholder } from '../ui';
import { PeriodPicker, rangeOf, type Period } from './period-picker';

type BalanceSeriesOutput = RouterOutputs['wallets']['balanceSeries'];

interface BalancePoint {
  /** Milliseconds since the epoch: the x position. */
  at: number;
  /**
   * For the pixel position only (see decimalToPlotNumber): the one place the exact decimal
   * text becomes a float; the tooltip and the caption show `balance`, the server's text.
   */
  y: number;
  /** The exact balance as the API sent it (decimal text from the ledger's bigint). */
  balance: string;
}

function plotPoints(series: BalanceSeriesOutput | undefined): BalancePoint[] {
  return (series?.points ?? []).map((point) => ({
    at: Date.parse(point.at),
    y: decimalToPlotNumber(point.balance),
    balance: point.balance,
  }));
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const DAY_MS = 86_400_000;

function timeTick(at: number, spanMs: number): string {
  const text = formatDateTime(new Date(at));
  return spanMs < DAY_MS ? text.slice(11, 19) : text.slice(5, 16);
}

/**
 * The wallet's balance over a chosen period (7, 30 or 90 days up to now, or custom dates),
 * from the server's series: the balance at evenly spaced instants, computed by the ledger
 * from the entries' chain, so a period of a million movements is as cheap as one of ten.
 */
export function BalanceChart({
  walletId,
  currency,
  updatedAt,
  className,
}: {
  walletId: string;
  currency: CurrencyCode;
  /** The wallet's last change: a period up to now then reaches past it. */
  updatedAt: Date;
  className?: string;
}) {
  const [period, setPeriod] = useState<Period>(() => ({ kind: '30d', chosenAt: Date.now() }));
  const range = rangeOf(period, updatedAt);
  const series = trpc.wallets.balanceSeries.useQuery(
    'problem' in range
      ? { walletId, from: '', to: '' }
      : { walletId, ...range, points: BALANCE_SERIES_POINTS_DEFAULT },
    { enabled: !('problem' in range), placeholderData: keepPreviousData },
  );
  const points = useMemo(() => plotPoints(series.data), [series.data]);
  const first = points[0];
  const last = points[points.length - 1];
  const spanMs = first && last ? last.at - first.at : 0;

  return (
    <Card
      title="Balance over time"
      description="The balance at evenly spaced moments of the period, from the ledger."
      actions={<PeriodPicker period={period} onChange={setPeriod} />}
      className={className}
    >
      {'problem' in range ? (
        <Placeholder>{range.problem}</Placeholder>
      ) : series.isPending ? (
        <Placeholder busy>Loading…</Placeholder>
      ) : series.isError ? (
        <LoadProblem what="the balance series" error={series.error} />
      ) : !first || !last ? (
        <Placeholder>No balance to show.</Placeholder>
      ) : (
        <figure
          data-series-from={series.data.from}
          data-series-to={series.data.to}
          data-series-points={points.length}
          aria-busy={series.isPlaceholderData}
        >
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
            From {formatMoney(first.balance, currency)} on {formatDateTime(new Date(first.at))} to{' '}
            <span className="font-medium text-slate-900">
              {formatMoney(last.balance, currency)}
            </span>{' '}
            on {formatDateTime(new Date(last.at))}.
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
