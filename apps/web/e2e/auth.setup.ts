import { expect, test as setup } from '@playwright/test';

import { ADMIN_STORAGE_STATE, E2E_ADMIN } from './env';

/** Signs in through the form once; every other test starts from this session. */
setup('sign in as the admin', async ({ page }) => {
  await page.goto('/wallets');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fwallets$/);
  await page.getByLabel('Username').fill(E2E_ADMIN.username);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/wallets$/);
  await expect(page.getByTestId('signed-in-as')).toContainText('admin');
  await page.context().storageState({ path: ADMIN_STORAGE_STATE });
});
