import { randomUUID } from 'node:crypto';

import { expect, test, type Page } from '@playwright/test';

import { api, createFundedWallet, walletPage } from './support';

/** The wallet page's status card: badge, freeze / unfreeze / close, the metadata editor. */
function statusCardOf(page: Page) {
  const card = page.getByRole('region', { name: 'Status and metadata' });
  return {
    card,
    badge: card.getByTestId('wallet-status'),
    button: (name: string) => card.getByRole('button', { name, exact: true }),
  };
}

test('freeze a wallet, a transfer from it is refused; unfreeze, and it goes through', async ({
  page,
}) => {
  const senderId = await createFundedWallet('50');
  const receiverId = await createFundedWallet();
  const sender = walletPage(page);
  await sender.open(senderId);
  const status = statusCardOf(page);
  await expect(status.badge).toHaveText('active');

  await status.button('Freeze').click();
  await expect(status.badge).toHaveText('frozen');
  await sender.fillTransfer(receiverId, '5');
  await sender.transferButton.click();
  await expect(sender.transfer.getByRole('alert')).toContainText('This wallet is frozen');
  expect((await api.wallets.byId.query({ walletId: receiverId })).balance).toBe('0.00');

  await status.button('Unfreeze').click();
  await expect(status.badge).toHaveText('active');
  await sender.fillTransfer(receiverId, '5');
  await sender.transferButton.click();
  await expect(sender.transfer.getByRole('status')).toContainText('Sent $5.00');
});

test('close an empty wallet after confirming; a wallet with money cannot close', async ({
  page,
}) => {
  const fullId = await createFundedWallet('1');
  const full = walletPage(page);
  await full.open(fullId);
  let status = statusCardOf(page);
  await status.button('Close wallet').click();
  await status.button('Confirm close').click();
  await expect(status.card.getByRole('alert')).toContainText('Only an empty wallet can be closed');
  await expect(status.badge).toHaveText('active');

  const emptyId = await createFundedWallet();
  await full.open(emptyId);
  status = statusCardOf(page);
  await status.button('Close wallet').click();
  await status.button('Keep open').click();
  await expect(status.badge).toHaveText('active');
  await status.button('Close wallet').click();
  await status.button('Confirm close').click();
  await expect(status.badge).toHaveText('closed');
  await expect(status.button('Freeze')).toHaveCount(0);
  expect((await api.wallets.byId.query({ walletId: emptyId })).status).toBe('CLOSED');
});

test('edit a wallet’s metadata, then find it by metadata in the wallets list', async ({ page }) => {
  const walletId = await createFundedWallet();
  const customer = `C-${randomUUID().slice(0, 8)}`;
  await walletPage(page).open(walletId);
  const status = statusCardOf(page);
  await status.card.getByLabel(/Metadata/).fill(`customer_id=${customer}\ntier=gold`);
  await status.button('Save metadata').click();
  await expect(status.card.getByTestId('wallet-metadata')).toContainText(customer);
  expect((await api.wallets.byId.query({ walletId })).metadata).toEqual({
    customer_id: customer,
    tier: 'gold',
  });

  await page.goto('/wallets');
  const table = page.getByRole('region', { name: 'All wallets' });
  await table.getByLabel(/Metadata/).fill(`customer_id=${customer}`);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-wallet-id', walletId);
  await table.getByLabel('Status').selectOption('FROZEN');
  await expect(table).toContainText('No wallets match these filters.');
  await table.getByLabel(/Metadata/).fill('customer_id');
  await expect(table.getByRole('alert')).toContainText('key=value');
});
