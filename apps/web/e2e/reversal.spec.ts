import { expect, test } from '@playwright/test';

import { api, createFundedWallet, walletPage } from './support';

/**
 * A reversal from a history row: confirm, reverse a part, then the rest; the original
 * row says "Partially reversed", then "Reversed", and each reversal row links to it.
 * A read-only operator sees the state but is not offered the action.
 */

test('reverse a transfer from its history row, in part and then in full', async ({ page }) => {
  const senderId = await createFundedWallet('100');
  const receiverId = await createFundedWallet();
  const { transferId } = await api.wallets.transfer.mutate({
    senderWalletId: senderId,
    receiverWalletId: receiverId,
    amount: '40',
  });

  const wallet = walletPage(page);
  await wallet.open(senderId);
  await expect(wallet.balance).toContainText('$60.00');
  const original = wallet.history.locator(`tr[id="transaction-${transferId}"]`);
  await expect(original).toContainText('Transfer out');

  // The action asks for confirmation first; closing it moves nothing.
  await original.getByRole('button', { name: /^Reverse/ }).click();
  const confirm = wallet.history.getByRole('form', { name: 'Reverse this transaction' });
  await expect(confirm).toContainText('$40.00 is left to reverse');
  await confirm.getByRole('button', { name: 'Close' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(wallet.balance).toContainText('$60.00');

  // Too much is refused in the operator's words.
  await original.getByRole('button', { name: /^Reverse/ }).click();
  await confirm.getByLabel('Amount (optional)').fill('40.01');
  await confirm.getByRole('button', { name: 'Confirm reversal' }).click();
  await expect(confirm.getByRole('alert')).toContainText('more than is left to reverse');

  await confirm.getByLabel('Amount (optional)').fill('15');
  await confirm.getByLabel('Description (optional)').fill('Partial refund');
  await confirm.getByRole('button', { name: 'Confirm reversal' }).click();
  await expect(confirm.getByRole('status')).toContainText(
    'Reversed $15.00. Left to reverse: $25.00.',
  );
  await expect(wallet.balance).toContainText('$75.00');
  await expect(original).toContainText('Partially reversed');
  const reversalRow = wallet.historyRows.first();
  await expect(reversalRow).toContainText('Transfer in');
  await expect(reversalRow).toContainText('Partial refund');
  const link = reversalRow.getByRole('link', { name: /^Reversal of/ });
  await expect(link).toHaveAttribute('href', `#transaction-${transferId}`);

  // An empty amount reverses all that is left; then nothing is offered any more.
  await confirm.getByRole('button', { name: 'Confirm reversal' }).click();
  await expect(confirm.getByRole('status')).toContainText(
    'Reversed $25.00. Nothing is left to reverse.',
  );
  await expect(wallet.balance).toContainText('$100.00');
  await expect(original).toContainText('Reversed');
  await expect(original).not.toContainText('Partially');
  await confirm.getByRole('button', { name: 'Close' }).click();
  await expect(original.getByRole('button', { name: /^Reverse/ })).toHaveCount(0);
  await expect(wallet.historyRows.filter({ hasText: 'Reversal of' })).toHaveCount(2);

  const receiver = await api.wallets.byId.query({ walletId: receiverId });
  expect(receiver.balance).toBe('0.00');
});

test.describe('a read-only operator', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('sees what is reversed, and no Reverse action', async ({ page }) => {
    const walletId = await createFundedWallet('30');
    const { transaction } = await api.wallets.fund.mutate({ walletId, amount: '5' });
    await api.transactions.reverse.mutate({ transactionId: transaction.id, amount: '2' });
    const username = `reader-${Date.now()}`;
    const password = 'a read-only password';
    await api.users.create.mutate({ username, password, role: 'read-only' });

    await page.goto('/sign-in');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signed-in-as')).toContainText(`${username} · read-only`);

    const wallet = walletPage(page);
    await wallet.open(walletId);
    await expect(wallet.balance).toContainText('$33.00');
    const funding = wallet.history.locator(`tr[id="transaction-${transaction.id}"]`);
    await expect(funding).toContainText('Partially reversed');
    await expect(wallet.historyRows.first()).toContainText('Reversal of');
    await expect(wallet.history.getByRole('button', { name: /^Reverse/ })).toHaveCount(0);
  });
});
