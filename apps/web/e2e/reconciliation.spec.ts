import { expect, test, type Page } from '@playwright/test';
import type { RouterOutputs } from '@wallet/api';
import { minorDigitsOf, parseAmountMinor } from '@wallet/contract';
import superjson from 'superjson';

import { api, createFundedWallet } from './support';

const VERIFY_CALL = /\/trpc\/[^?]*ledger\.verify/;

/** The reconciliation page's parts, found by their roles and names. */
function reconciliationPage(page: Page) {
  const result = page.getByRole('region', { name: 'Last result' });
  const totals = page.getByRole('region', { name: 'Totals per currency' });
  const violations = page.getByRole('region', { name: 'Violations' });
  return {
    runButton: page.getByRole('button', { name: 'Run check' }),
    busyButton: page.getByRole('button', { name: 'Checking…' }),
    result,
    totals,
    violations,
    violationRows: violations.locator('tbody tr'),
    totalsRow: (currency: string) => totals.locator(`tr[data-currency="${currency}"]`),
    /** A figure of the result's summary, by its label. */
    stat: (label: string) => result.locator(`dt:text-is("${label}") + dd`),
  };
}

function navigateTo(page: Page, name: 'Wallets' | 'Reconciliation') {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

/** "$1,234.50" and "1234.50" both → "123450": the same amount, whatever the formatting. */
function digitsOf(text: string | null): string {
  return (text ?? '').replace(/\D/g, '');
}

function overflowOf(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

test('runs the ledger check on demand and shows that the ledger reconciles', async ({ page }) => {
  // Some activity of this test's own, besides whatever the other tests left.
  const senderId = await createFundedWallet('80');
  const receiverId = await createFundedWallet('5.5');
  await api.wallets.transfer.mutate({
    senderWalletId: senderId,
    receiverWalletId: receiverId,
    amount: '12.34',
  });

  let verifyCalls = 0;
  page.on('request', (request) => {
    if (VERIFY_CALL.test(request.url())) verifyCalls++;
  });

  // No check ran yet: the wallets page says nothing about one.
  await page.goto('/wallets');
  const table = page.getByRole('region', { name: 'All wallets' });
  await expect(table.locator(`tr[data-wallet-id="${senderId}"]`)).toContainText('67.66');
  await expect(page.getByRole('link', { name: /^Last check/ })).toHaveCount(0);

  await navigateTo(page, 'Reconciliation');
  await expect(page).toHaveURL(/\/reconciliation$/);
  const check = reconciliationPage(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Reconciliation' })).toBeVisible();
  await expect(check.result).toContainText('No check has run in this session yet');

  await check.runButton.click();
  await expect(check.result.getByRole('status')).toContainText('No violations.');
  await expect(check.violations).toContainText('No violations');
  await expect(check.violationRows).toHaveCount(0);
  await expect(check.runButton).toBeEnabled();

  // The totals shown are the ledger's: balances are fundings less withdrawals, everywhere.
  const totals = await api.ledger.totals.query();
  expect(totals.length).toBeGreaterThan(0);
  for (const total of totals) {
    const digits = minorDigitsOf(total.currency);
    const minor = (text: string) => parseAmountMinor(text, digits);
    expect(minor(total.balances)).toBe(minor(total.fundings) - minor(total.withdrawals));
    const row = check.totalsRow(total.currency);
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toHaveText(total.walletCount.toLocaleString('en-US'));
    await expect(cells.nth(4)).toContainText('Balanced');
    expect(digitsOf(await cells.nth(1).textContent())).toBe(digitsOf(total.balances));
    expect(digitsOf(await cells.nth(2).textContent())).toBe(digitsOf(total.fundings));
    expect(digitsOf(await cells.nth(3).textContent())).toBe(digitsOf(total.withdrawals));
  }
  const walletCount = totals.reduce((sum, total) => sum + total.walletCount, 0);
  await expect(check.stat('Wallets')).toHaveText(walletCount.toLocaleString('en-US'));

  // The wallets page shows the outcome from the cache; creating a wallet there (which
  // invalidates every query) does not run the check again.
  await navigateTo(page, 'Wallets');
  const status = page.getByRole('link', { name: /^Last check \d\d:\d\d: no violations$/ });
  await expect(status).toBeVisible();
  await expect(status).toHaveAttribute('href', '/reconciliation');
  const create = page.getByRole('region', { name: 'Create a wallet' });
  await create.getByRole('button', { name: 'Create wallet' }).click();
  await expect(create.getByRole('status')).toContainText('Created USD wallet');
  await expect(status).toBeVisible();

  await status.click();
  await expect(page).toHaveURL(/\/reconciliation$/);
  await expect(check.stat('Wallets')).toHaveText(walletCount.toLocaleString('en-US'));
  expect(verifyCalls).toBe(1);

  // Run again: the new wallet is counted.
  await check.runButton.click();
  await expect(check.stat('Wallets')).toHaveText((walletCount + 1).toLocaleString('en-US'));
  await expect(check.result.getByRole('status')).toContainText('No violations.');
  expect(verifyCalls).toBe(2);
});

type LedgerCheck = RouterOutputs['ledger']['verify'];

const WALLET_A = '0193c4e2-7b1f-7c3a-9e4d-2f6a8b0c1d2e';
const WALLET_B = '0193c4e2-7b1f-7c3a-9e4d-2f6a8b0c1d3f';

/** A broken ledger, which the real API cannot produce: it is answered in its place. */
const BROKEN_REPORT: LedgerCheck = {
  checkedAt: new Date(),
  walletCount: 3,
  entryCount: 9,
  externalEntryCount: 3,
  totals: [
    { currency: 'JPY', walletCount: 1, balances: '12000', fundings: '12000', withdrawals: '0' },
    {
      currency: 'USD',
      walletCount: 2,
      balances: '105.00',
      fundings: '100.00',
      withdrawals: '0.00',
    },
  ],
  violations: [
    { kind: 'NEGATIVE_BALANCE', walletIds: [WALLET_A], detail: 'balance is -500 minor units' },
    {
      kind: 'UNPAIRED_TRANSFER',
      walletIds: [WALLET_A, WALLET_B],
      detail: 'transfer 42 is not one TRANSFER_OUT and one TRANSFER_IN of one amount and currency',
    },
    {
      kind: 'MONEY_NOT_CONSERVED',
      walletIds: [],
      detail: 'USD: balances sum to 10500 minor units, fundings to 10000',
    },
  ],
  truncated: false,
};

test('shows progress, violations with their wallets, and a failed check, on a narrow screen', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  let answer: 'report' | 'failure' = 'report';
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(VERIFY_CALL, async (route) => {
    await released;
    await (answer === 'report'
      ? route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify([{ result: { data: superjson.serialize(BROKEN_REPORT) } }]),
        })
      : route.fulfill({
          status: 502,
          contentType: 'text/plain',
          body: 'The wallet API could not be reached.',
        }));
  });

  await page.goto('/reconciliation');
  const check = reconciliationPage(page);
  await check.runButton.click();
  // Held until released: the progress shows meanwhile.
  await expect(check.busyButton).toBeDisabled();
  await expect(check.busyButton).toHaveAttribute('aria-busy', 'true');
  await expect(check.result).toContainText('Checking the whole ledger…');
  release();

  await expect(check.result.getByRole('alert')).toContainText('3 violations found.');
  await expect(check.totalsRow('USD')).toContainText('$105.00');
  await expect(check.totalsRow('USD')).toContainText('$100.00');
  await expect(check.totalsRow('USD')).toContainText('Mismatch');
  await expect(check.totalsRow('USD')).toContainText(
    'Balances exceed fundings less withdrawals by $5.00',
  );
  // On a narrow screen the marker sits under the currency, not scrolled off to the right.
  const marker = check.totalsRow('USD').getByText('Mismatch').filter({ visible: true });
  await expect(marker).toBeVisible();
  const box = await marker.boundingBox();
  expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  await expect(check.totalsRow('JPY')).toContainText('¥12,000');
  await expect(check.totalsRow('JPY')).toContainText('Balanced');

  await expect(check.violationRows).toHaveCount(3);
  const negative = check.violationRows.nth(0);
  const unpaired = check.violationRows.nth(1);
  const unconserved = check.violationRows.nth(2);
  await expect(negative).toContainText('Negative balance');
  await expect(
    negative.getByText('balance is -500 minor units').filter({ visible: true }),
  ).toBeVisible();
  await expect(negative.getByRole('link', { name: `Wallet ${WALLET_A}` })).toHaveAttribute(
    'href',
    `/wallets/${WALLET_A}`,
  );
  await expect(unpaired).toContainText('Unmatched transfer');
  await expect(unpaired.getByRole('link')).toHaveCount(2);
  await expect(unpaired.getByRole('link', { name: `Wallet ${WALLET_B}` })).toBeVisible();
  await expect(unconserved).toContainText('Money not conserved');
  await expect(unconserved).toContainText('Whole currency');
  // Only the tables scroll sideways; the page itself fits the screen.
  expect(await overflowOf(page)).toBeLessThanOrEqual(0);

  // A check that fails keeps the last result, and says so.
  answer = 'failure';
  await check.runButton.click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Could not load a new result' }),
  ).toContainText('The wallet service could not be reached.');
  await expect(page.getByText('The result below is from the check at')).toBeVisible();
  await expect(check.result.getByRole('alert')).toContainText('3 violations found.');
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();

  await navigateTo(page, 'Wallets');
  await expect(
    page.getByRole('link', { name: /^Last check \d\d:\d\d: 3 violations$/ }),
  ).toBeVisible();
  expect(await overflowOf(page)).toBeLessThanOrEqual(0);
});
