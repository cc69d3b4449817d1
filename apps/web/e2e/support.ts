import { expect, type Locator, type Page } from '@playwright/test';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@wallet/api';
import superjson from 'superjson';

import { apiUrl, E2E_ADMIN } from './env';

/** Straight to the API, for setting the scene quickly (many entries, funded wallets). */
export const api = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: `${apiUrl}/trpc`,
      transformer: superjson,
      headers: { authorization: `Bearer ${E2E_ADMIN.apiKey}` },
    }),
  ],
});

export async function createFundedWallet(amount?: string): Promise<string> {
  const wallet = await api.wallets.create.mutate({ currency: 'USD' });
  if (amount !== undefined) await api.wallets.fund.mutate({ walletId: wallet.id, amount });
  return wallet.id;
}

/** The wallet page's parts, found the way an operator (or a screen reader) finds them. */
export function walletPage(page: Page) {
  const balance = page.getByRole('region', { name: 'Balance', exact: true });
  const history = page.getByRole('region', { name: 'History', exact: true });
  const fund = page.getByRole('region', { name: 'Fund wallet' });
  const transfer = page.getByRole('region', { name: 'Transfer', exact: true });
  return {
    balance,
    history,
    historyRows: history.locator('tbody tr'),
    fund,
    transfer,
    async open(walletId: string) {
      await page.goto(`/wallets/${walletId}`);
      await expect(balance).toBeVisible();
    },
    async fundWith(amount: string, description?: string) {
      await fund.getByLabel('Amount').fill(amount);
      if (description !== undefined) await fund.getByLabel('Description').fill(description);
      await fund.getByRole('button', { name: 'Fund wallet' }).click();
    },
    async fillTransfer(receiverId: string, amount: string) {
      await transfer.getByLabel('Receiver', { exact: true }).selectOption(receiverId);
      await transfer.getByLabel('Amount').fill(amount);
    },
    transferButton: transfer.getByRole('button', { name: 'Transfer', exact: true }),
  };
}

export async function expectRowCount(rows: Locator, count: number): Promise<void> {
  await expect(rows).toHaveCount(count);
}
