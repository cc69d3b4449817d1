import { expect, test } from '@playwright/test';

import { api, createFundedWallet, walletPage } from './support';

/**
 * The dashboard updates by itself: a movement made through the API (not the page)
 * reaches an open page over the live event stream (server-sent events through the
 * dashboard's /trpc route), without a reload and without polling.
 */

test('a movement made through the API appears on an open wallet page without reload', async ({
  page,
}) => {
  const walletId = await createFundedWallet('10');
  const other = await createFundedWallet('5');
  const wallet = walletPage(page);
  await wallet.open(walletId);
  await expect(wallet.balance).toContainText('$10.00');
  await expect(wallet.historyRows).toHaveCount(1);
  // The page's stream is connected: every later commit reaches it.
  await expect(page.getByText('Live updates', { exact: true })).toBeVisible();
  let reloads = 0;
  page.on('framenavigated', () => reloads++);

  await api.wallets.fund.mutate({ walletId, amount: '32.5', description: 'from elsewhere' });
  await expect(wallet.balance).toContainText('$42.50');
  await expect(wallet.historyRows).toHaveCount(2);
  await expect(wallet.history).toContainText('from elsewhere');

  await api.wallets.transfer.mutate({
    senderWalletId: other,
    receiverWalletId: walletId,
    amount: '1',
  });
  await expect(wallet.balance).toContainText('$43.50');
  await api.wallets.withdraw.mutate({ walletId, amount: '3.5' });
  await expect(wallet.balance).toContainText('$40.00');
  await expect(wallet.historyRows).toHaveCount(4);
  expect(reloads).toBe(0);
});

test('the wallets list shows new wallets and balances as they change elsewhere', async ({
  page,
}) => {
  await page.goto('/wallets');
  const table = page.getByRole('region', { name: 'All wallets' });
  await expect(page.getByText('Live updates', { exact: true })).toBeVisible();

  const walletId = await createFundedWallet('7');
  const row = table.locator(`tr[data-wallet-id="${walletId}"]`);
  await expect(row).toContainText('7.00');
  await api.wallets.fund.mutate({ walletId, amount: '100' });
  await expect(row).toContainText('107.00');
});
