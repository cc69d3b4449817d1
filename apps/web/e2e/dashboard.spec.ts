import { copyFile } from 'node:fs/promises';
import path from 'node:path';

import { expect, test } from '@playwright/test';

import { e2eEnv } from './env';
import { api, createFundedWallet, walletPage } from './support';

/** The README's picture: rewritten only on purpose (`pnpm --filter @wallet/web screenshot:docs`). */
const DOCS_SCREENSHOT = path.resolve(import.meta.dirname, '../../../docs/dashboard.png');

test('create two wallets, fund one, transfer, and see both sides change', async ({
  page,
}, testInfo) => {
  await page.goto('/wallets');
  await expect(page.getByRole('heading', { level: 1, name: 'Wallets' })).toBeVisible();

  const create = page.getByRole('region', { name: 'Create a wallet' });
  const createdIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    await create.getByLabel('Currency').selectOption('USD');
    await create.getByRole('button', { name: 'Create wallet' }).click();
    const link = create.getByRole('status').getByRole('link');
    // Each creation replaces the message: wait for one naming a wallet not seen yet.
    await expect(link).toHaveAttribute('data-wallet-id', /.+/);
    await expect
      .poll(async () => link.getAttribute('data-wallet-id'))
      .not.toBe(createdIds[createdIds.length - 1] ?? null);
    const id = await link.getAttribute('data-wallet-id');
    expect(id).toBeTruthy();
    if (id) createdIds.push(id);
  }
  const [senderId, receiverId] = createdIds;
  if (!senderId || !receiverId) throw new Error('two wallets were not created');

  // Both are listed, with a zero balance.
  const table = page.getByRole('region', { name: 'All wallets' });
  for (const id of createdIds) {
    const row = table.locator(`tr[data-wallet-id="${id}"]`);
    await expect(row).toContainText('USD');
    await expect(row).toContainText('0.00');
  }

  // Find the sender by its id.
  const find = page.getByRole('region', { name: 'Find a wallet' });
  await find.getByLabel('Wallet id').fill(senderId);
  await find.getByRole('button', { name: 'Open wallet' }).click();
  await expect(page).toHaveURL(new RegExp(`/wallets/${senderId}$`));

  const sender = walletPage(page);
  await expect(sender.balance).toContainText('$0.00');
  await expect(sender.history).toContainText('No movements yet');

  await sender.fundWith('150', 'Opening float');
  await expect(sender.fund.getByRole('status')).toContainText(
    'Added $150.00. New balance: $150.00.',
  );
  await expect(sender.balance).toContainText('$150.00');
  await expect(sender.historyRows).toHaveCount(1);
  await expect(sender.historyRows.first()).toContainText('Funding');
  await expect(sender.historyRows.first()).toContainText('+150.00');
  await expect(sender.historyRows.first()).toContainText('Opening float');

  await sender.fillTransfer(receiverId, '40.25');
  await sender.transfer.getByLabel('Description').fill('Supplier invoice 118');
  await sender.transferButton.click();
  await expect(sender.transfer.getByRole('status')).toContainText('Sent $40.25');
  await expect(sender.balance).toContainText('$109.75');
  await expect(sender.historyRows).toHaveCount(2);
  const transferOut = sender.historyRows.first();
  await expect(transferOut).toContainText('Transfer out');
  await expect(transferOut).toContainText('−40.25');
  await expect(transferOut).toContainText('150.00');
  await expect(transferOut).toContainText('109.75');

  // The sender's audit trail says who did what to it: created, funded, sent, newest first.
  const trail = page.getByRole('region', { name: 'Audit trail' }).locator('tbody tr');
  await expect(trail).toHaveCount(3);
  await expect(trail.nth(0)).toContainText('wallets.transfer');
  await expect(trail.nth(1)).toContainText('wallets.fund');
  await expect(trail.nth(2)).toContainText('wallets.create');
  await expect(trail.nth(0)).toContainText('success');

  // The counterparty link leads to the receiver, whose side shows the same transfer.
  await transferOut.getByRole('link', { name: `Wallet ${receiverId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/wallets/${receiverId}$`));
  const receiver = walletPage(page);
  await expect(receiver.balance).toContainText('$40.25');
  await expect(receiver.historyRows).toHaveCount(1);
  await expect(receiver.historyRows.first()).toContainText('Transfer in');
  await expect(receiver.historyRows.first()).toContainText('+40.25');
  await expect(receiver.historyRows.first()).toContainText('Supplier invoice 118');
  await expect(
    receiver.historyRows.first().getByRole('link', { name: `Wallet ${senderId}` }),
  ).toBeVisible();

  // The list shows both new balances.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Wallets' })
    .click();
  await expect(table.locator(`tr[data-wallet-id="${senderId}"]`)).toContainText('109.75');
  await expect(table.locator(`tr[data-wallet-id="${receiverId}"]`)).toContainText('40.25');
  await expect(page.getByRole('region', { name: 'Totals per currency' })).toContainText('USD');

  // A few more movements, then the picture for the README.
  await sender.open(senderId);
  await sender.fundWith('1250.5', 'Top-up from treasury');
  await expect(sender.balance).toContainText('$1,360.25');
  await sender.fillTransfer(receiverId, '310');
  await sender.transferButton.click();
  await expect(sender.balance).toContainText('$1,050.25');
  await expect(sender.historyRows).toHaveCount(4);
  // The chart's series (the last 30 days by default) ends at the balance now.
  await expect(page.getByRole('region', { name: 'Balance over time' })).toContainText(
    'to $1,050.25',
  );
  // Into the test output folder (git-ignored), so a test run leaves the tree as it was.
  const screenshot = testInfo.outputPath('dashboard.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('dashboard', { path: screenshot, contentType: 'image/png' });
  if (e2eEnv.PLAYWRIGHT_DOCS_SCREENSHOT === '1') await copyFile(screenshot, DOCS_SCREENSHOT);
});

test('forms check their input and show insufficient funds in plain words', async ({ page }) => {
  const senderId = await createFundedWallet('10');
  const receiverId = await createFundedWallet();
  const sender = walletPage(page);
  await sender.open(senderId);
  await expect(sender.balance).toContainText('$10.00');

  await sender.fundWith('0');
  await expect(sender.fund).toContainText('Amount must be positive');
  await sender.fundWith('1.234');
  await expect(sender.fund).toContainText('Amount must have at most 2 decimal places');
  await sender.fund.getByLabel('Amount').fill('');
  await sender.fund.getByRole('button', { name: 'Fund wallet' }).click();
  await expect(sender.fund).toContainText('Amount is required');

  await sender.transferButton.click();
  await expect(sender.transfer).toContainText('Receiver is required');

  await sender.fillTransfer(receiverId, '25');
  await sender.transferButton.click();
  await expect(sender.transfer.getByRole('alert')).toContainText(
    'Insufficient funds: the balance does not cover this amount. Nothing was moved.',
  );
  await expect(sender.balance).toContainText('$10.00');
  await expect(sender.historyRows).toHaveCount(1);

  // A receiver pasted by id that does not exist.
  await sender.transfer
    .getByLabel('Receiver', { exact: true })
    .selectOption({ label: 'Another wallet: paste its id…' });
  await sender.transfer
    .getByLabel('Receiver wallet id')
    .fill('00000000-0000-4000-8000-000000000000');
  await sender.transfer.getByLabel('Amount').fill('5');
  await sender.transferButton.click();
  await expect(sender.transfer.getByRole('alert')).toContainText('No wallet has this receiver id');
  const { balance } = await api.wallets.byId.query({ walletId: receiverId });
  expect(balance).toBe('0.00');
});

test('pages through a history longer than one page, and filters it', async ({ page }) => {
  const walletId = await createFundedWallet();
  for (let amount = 1; amount <= 25; amount++) {
    await api.wallets.fund.mutate({
      walletId,
      amount: String(amount),
      description: `Top-up ${amount}`,
    });
  }
  const wallet = walletPage(page);
  await wallet.open(walletId);
  await expect(wallet.balance).toContainText('$325.00');

  const pages = wallet.history.getByRole('navigation', { name: 'History pages' });
  await expect(wallet.historyRows).toHaveCount(20);
  await expect(wallet.historyRows.first()).toContainText('Top-up 25');
  await expect(wallet.historyRows.last()).toContainText('Top-up 6');
  await expect(pages).toContainText('Page 1');

  await pages.getByRole('button', { name: 'Next' }).click();
  await expect(pages).toContainText('Page 2');
  await expect(wallet.historyRows).toHaveCount(5);
  await expect(wallet.historyRows.first()).toContainText('Top-up 5');
  await expect(wallet.historyRows.last()).toContainText('Top-up 1');
  await expect(pages.getByRole('button', { name: 'Next' })).toBeDisabled();

  await pages.getByRole('button', { name: 'Previous' }).click();
  await expect(pages).toContainText('Page 1');
  await expect(wallet.historyRows.first()).toContainText('Top-up 25');

  await wallet.history.getByLabel('Type').selectOption('TRANSFER_IN');
  await expect(wallet.history).toContainText('No transfer in movements.');
  await wallet.history.getByLabel('Type').selectOption('FUND');
  await expect(wallet.historyRows).toHaveCount(20);
});

test('a double click on the transfer button moves the money once', async ({ page }) => {
  const senderId = await createFundedWallet('100');
  const receiverId = await createFundedWallet();
  const sender = walletPage(page);
  await sender.open(senderId);

  await sender.fillTransfer(receiverId, '30');
  await sender.transferButton.dblclick();
  await expect(sender.transfer.getByRole('status')).toContainText('Sent $30.00');
  await expect(sender.balance).toContainText('$70.00');
  await expect(sender.historyRows).toHaveCount(2);

  const after = await api.wallets.transactions.query({ walletId: senderId, type: 'TRANSFER_OUT' });
  expect(after.items).toHaveLength(1);
  const receiver = await api.wallets.byId.query({ walletId: receiverId });
  expect(receiver.balance).toBe('30.00');
});

test('the wallet page works on a narrow screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const walletId = await createFundedWallet('12.5');
  const wallet = walletPage(page);
  await wallet.open(walletId);
  await expect(wallet.balance).toContainText('$12.50');
  await wallet.fundWith('7.5');
  await expect(wallet.balance).toContainText('$20.00');
  // Only the tables scroll sideways; the page itself fits the screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test('withdraw money on the wallet page: the history shows the payout, an overdraft is refused', async ({
  page,
}) => {
  const walletId = await createFundedWallet('100');
  const wallet = walletPage(page);
  await wallet.open(walletId);
  await expect(wallet.balance).toContainText('$100.00');

  const withdraw = page.getByRole('region', { name: 'Withdraw', exact: true });
  await withdraw.getByLabel('Amount').fill('30.5');
  await withdraw.getByLabel('Description').fill('Payout to bank');
  await withdraw.getByRole('button', { name: 'Withdraw' }).click();
  await expect(withdraw.getByRole('status')).toContainText('Paid out $30.50. New balance: $69.50.');
  await expect(wallet.balance).toContainText('$69.50');
  await expect(wallet.historyRows).toHaveCount(2);
  const payout = wallet.historyRows.first();
  await expect(payout).toContainText('Withdrawal');
  await expect(payout).toContainText('−30.50');
  await expect(payout).toContainText('Payout to bank');

  await withdraw.getByLabel('Amount').fill('69.51');
  await withdraw.getByRole('button', { name: 'Withdraw' }).click();
  await expect(withdraw).toContainText('Insufficient funds');
  await expect(wallet.balance).toContainText('$69.50');
  await expect(wallet.historyRows).toHaveCount(2);
});

test("download a period's statement as CSV, streamed by the dashboard from the API", async ({
  page,
}) => {
  const walletId = await createFundedWallet('100');
  await api.wallets.withdraw.mutate({ walletId, amount: '40', description: '=cmd' });
  const wallet = walletPage(page);
  await wallet.open(walletId);
  const statement = page.getByRole('region', { name: 'Statement', exact: true });
  const downloading = page.waitForEvent('download');
  await statement.getByRole('link', { name: 'Download statement (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`statement-${walletId}.csv`);
  const stream = await download.createReadStream();
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  const rows = text.trim().split('\r\n');
  expect(rows.map((row) => row.split(',')[3])).toEqual([
    'type',
    'OPENING_BALANCE',
    'FUND',
    'WITHDRAWAL',
    'CLOSING_BALANCE',
  ]);
  expect(rows[3]).toContain(",'=cmd,,-40.00,60.00,USD");
  expect(rows[4]).toBe(',,,CLOSING_BALANCE,,,,60.00,USD');

  // A period that ends before it starts offers no download.
  await statement.getByLabel('First day').fill('2026-12-02');
  await statement.getByLabel('Last day').fill('2026-12-01');
  await expect(statement).toContainText('Last day must not be before the first day.');
  await expect(statement.getByRole('link', { name: 'Download statement (CSV)' })).toHaveCount(0);
});
