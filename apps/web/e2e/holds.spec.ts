import { expect, test, type Page } from '@playwright/test';

import { api, createFundedWallet, walletPage } from './support';

/** The wallet page's holds: the placement form, the list and its row for one hold. */
function holdsOf(page: Page) {
  const place = page.getByRole('region', { name: 'Place a hold' });
  const list = page.getByRole('region', { name: 'Holds', exact: true });
  return {
    place,
    list,
    rows: list.locator('tbody tr'),
    async placeHold(amount: string, receiverId?: string) {
      if (receiverId !== undefined) {
        await place.getByLabel('Receiver', { exact: true }).selectOption(receiverId);
      }
      await place.getByLabel('Amount').fill(amount);
      await place.getByRole('button', { name: 'Place hold' }).click();
    },
  };
}

test('place a hold for a receiver, see held and available, capture part of it', async ({
  page,
}) => {
  const payerId = await createFundedWallet('100');
  const receiverId = await createFundedWallet();
  const payer = walletPage(page);
  await payer.open(payerId);
  const holds = holdsOf(page);
  await expect(holds.list).toContainText('No holds yet');

  await holds.placeHold('30', receiverId);
  await expect(holds.place.getByRole('status')).toContainText('Held $30.00. Available: $70.00.');
  await expect(page.getByTestId('wallet-held')).toHaveText('$30.00');
  await expect(page.getByTestId('wallet-available')).toHaveText('$70.00');
  await expect(payer.balance).toContainText('$100.00');
  await expect(holds.rows).toHaveCount(1);
  const row = holds.rows.first();
  await expect(row).toContainText('Pending');
  await expect(row).toContainText('30.00');

  await row.getByLabel('Capture amount').fill('12.50');
  await row.getByRole('button', { name: 'Capture' }).click();
  await expect(row).toContainText('Captured');
  await expect(row).toContainText('captured 12.50');
  await expect(row.getByRole('button', { name: 'Capture' })).toHaveCount(0);
  // Part captured, the rest released: nothing is held any more.
  await expect(page.getByTestId('wallet-held')).toHaveText('$0.00');
  await expect(page.getByTestId('wallet-available')).toHaveText('$87.50');
  await expect(payer.historyRows.first()).toContainText('Transfer out');
  await expect(payer.historyRows.first()).toContainText('−12.50');
  const receiver = await api.wallets.byId.query({ walletId: receiverId });
  expect(receiver.balance).toBe('12.50');
});

test('place a hold that pays out, void it, and the money is available again', async ({ page }) => {
  const payerId = await createFundedWallet('50');
  const payer = walletPage(page);
  await payer.open(payerId);
  const holds = holdsOf(page);

  await holds.placeHold('60');
  await expect(holds.place.getByRole('alert')).toContainText('Insufficient funds');
  await holds.placeHold('20');
  await expect(holds.place.getByRole('status')).toContainText('Available: $30.00.');
  const row = holds.rows.first();
  await expect(row).toContainText('Pays out');

  await row.getByRole('button', { name: 'Void' }).click();
  await expect(row).toContainText('Voided');
  await expect(page.getByTestId('wallet-held')).toHaveText('$0.00');
  await expect(page.getByTestId('wallet-available')).toHaveText('$50.00');
  await expect(payer.historyRows).toHaveCount(1);
});

test.describe('a read-only operator', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('sees held, available and the holds, with no form and no action', async ({ page }) => {
    const payerId = await createFundedWallet('10');
    await api.holds.place.mutate({ walletId: payerId, amount: '4' });
    const username = `reader-${Date.now()}`;
    const password = 'a long enough password';
    await api.users.create.mutate({ username, password, role: 'read-only' });
    await page.goto(`/wallets/${payerId}`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const holds = holdsOf(page);
    await expect(holds.rows).toHaveCount(1);
    await expect(holds.rows.first()).toContainText('Pending');
    await expect(page.getByTestId('wallet-held')).toHaveText('$4.00');
    await expect(page.getByTestId('wallet-available')).toHaveText('$6.00');
    await expect(holds.place).toHaveCount(0);
    await expect(holds.list.getByRole('button')).toHaveCount(0);
  });
});
