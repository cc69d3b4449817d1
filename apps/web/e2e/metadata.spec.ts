import { expect, test } from '@playwright/test';

import { api, createFundedWallet, walletPage } from './support';

/** Metadata typed in a form is stored with the write, shown in the history, and filters it. */
test('metadata entered in the fund form appears in the history and filters it', async ({
  page,
}) => {
  const walletId = await createFundedWallet('10');
  const wallet = walletPage(page);
  await wallet.open(walletId);
  const metadata = wallet.fund.getByLabel('Metadata');

  // A line without "=" is refused beside the field, and nothing is written.
  await wallet.fund.getByLabel('Amount').fill('5');
  await metadata.fill('order_id');
  await wallet.fund.getByRole('button', { name: 'Fund wallet' }).click();
  await expect(wallet.fund).toContainText('Metadata line 1 must be key=value');
  // A key outside the contract's alphabet: the contract's schema refuses it.
  await metadata.fill('bad key=1');
  await wallet.fund.getByRole('button', { name: 'Fund wallet' }).click();
  await expect(wallet.fund).toContainText('Metadata must be an object of string values');
  await expect(wallet.historyRows).toHaveCount(1);

  await metadata.fill('order_id=A-17\nshop = north');
  await wallet.fund.getByRole('button', { name: 'Fund wallet' }).click();
  await expect(wallet.balance).toContainText('$15.00');
  await expect(wallet.historyRows).toHaveCount(2);
  const newest = wallet.historyRows.first().locator('[data-metadata]');
  await expect(newest).toContainText('order_id=A-17');
  await expect(newest).toContainText('shop=north');
  await expect(metadata).toHaveValue('');
  const stored = await api.wallets.transactions.query({ walletId, limit: 1 });
  expect(stored.items[0]?.metadata).toEqual({ order_id: 'A-17', shop: 'north' });

  const filter = wallet.history.getByRole('search', { name: 'Filter by metadata' });
  await filter.getByLabel('Metadata').fill('order_id=A-17');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(wallet.historyRows).toHaveCount(1);
  await filter.getByLabel('Metadata').fill('order_id=B-1');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(wallet.history).toContainText('No movements carry this metadata.');
  await filter.getByLabel('Metadata').fill('');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(wallet.historyRows).toHaveCount(2);
});

test("the period picker changes the chart's series", async ({ page }) => {
  const walletId = await createFundedWallet('42.50');
  const wallet = walletPage(page);
  await wallet.open(walletId);
  const chart = page.getByRole('region', { name: 'Balance over time' });
  const figure = chart.locator('figure');
  await expect(chart.getByRole('button', { name: '30 d' })).toHaveAttribute('aria-pressed', 'true');
  await expect(figure).toHaveAttribute('data-series-points', '60');
  await expect(chart).toContainText('to $42.50');

  const spanDays = async () => {
    const from = Date.parse((await figure.getAttribute('data-series-from')) ?? '');
    const to = Date.parse((await figure.getAttribute('data-series-to')) ?? '');
    return Math.round((to - from) / 86_400_000);
  };
  expect(await spanDays()).toBe(30);
  // Opened today: the 30 days begin at 0.
  await expect(chart).toContainText('From $0.00');

  await chart.getByRole('button', { name: '7 d' }).click();
  await expect(chart.getByRole('button', { name: '7 d' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(spanDays).toBe(7);

  await chart.getByRole('button', { name: '90 d' }).click();
  await expect.poll(spanDays).toBe(90);

  await chart.getByRole('button', { name: 'Custom' }).click();
  await chart.getByLabel('From').fill('2026-01-01');
  await chart.getByLabel('To', { exact: true }).fill('2026-01-03');
  await expect(figure).toHaveAttribute('data-series-from', '2026-01-01T00:00:00.000000Z');
  await expect(figure).toHaveAttribute('data-series-to', '2026-01-04T00:00:00.000000Z');
  // Before the wallet existed its balance was 0 throughout.
  await expect(chart).toContainText('to $0.00');
  await chart.getByLabel('From').fill('2026-01-05');
  await expect(chart).toContainText('The first date must not be after the last.');
});
