import { expect, test } from '@playwright/test';

import { apiUrl, E2E_ADMIN } from './env';

async function apiStatus(apiKey: string): Promise<number> {
  const response = await fetch(`${apiUrl}/wallets`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return response.status;
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('pages lead to sign-in; a wrong password is refused; sign in, see who, sign out', async ({
    page,
  }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Faudit$/);

    await page.getByLabel('Username').fill(E2E_ADMIN.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('region', { name: 'Sign in' }).getByRole('alert')).toContainText(
      'Wrong username or password',
    );

    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByTestId('signed-in-as')).toContainText('admin · admin');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'wallet_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    // The old cookie is dead in the database, not only gone from this browser.
    const reused = await fetch(`${apiUrl}/trpc/auth.session`, {
      headers: { cookie: `wallet_session=${cookie?.value ?? ''}` },
    });
    expect(reused.status).toBe(401);
    await page.goto('/wallets');
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test('an admin creates a key, sees it once, revokes it, and finds both in the audit log', async ({
  page,
}) => {
  await page.goto('/admin');
  const keys = page.getByRole('region', { name: 'API keys' });
  const name = `e2e key ${Date.now()}`;
  await keys.getByLabel('Key name').fill(name);
  await keys.getByLabel('Key role').selectOption('read-only');
  await keys.getByRole('button', { name: 'Create key' }).click();
  const secret = (await keys.getByTestId('new-api-key').textContent()) ?? '';
  expect(secret).toMatch(/^wlk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
  expect(await apiStatus(secret)).toBe(200);

  await keys.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(keys.getByRole('row', { name: new RegExp(name) })).toContainText('revoked');
  expect(await apiStatus(secret)).toBe(401);

  await page.getByRole('link', { name: 'Audit log' }).click();
  const entries = page.getByRole('region', { name: 'Entries' });
  await expect(entries.getByRole('row').filter({ hasText: 'keys.revoke' }).first()).toBeVisible();
  await page.getByLabel('Action').fill('keys.create');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(entries.locator('tbody tr').first()).toContainText('keys.create');
  await expect(entries.locator('tbody tr').filter({ hasText: 'keys.revoke' })).toHaveCount(0);
});
