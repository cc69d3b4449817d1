import { expect, test, type Page } from '@playwright/test';

import { apiUrl } from './env';
import { api, createFundedWallet } from './support';
import { signedBy, startReceiver, type ReceivedWebhook } from './webhook-receiver';

/**
 * The webhook pages, against the real API and a receiver this test starts on loopback
 * (the e2e API runs with WEBHOOKS_ALLOW_PRIVATE_URLS=true, and a failed attempt's automatic
 * retry far in the future, so only the admin's Retry sends it again).
 */

/** formatDateTime's "2026-12-07 16:42:30". */
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

function webhookParts(page: Page) {
  const create = page.getByRole('region', { name: 'New endpoint' });
  const endpoints = page.getByRole('region', { name: 'Endpoints' });
  const endpoint = page.getByRole('region', { name: 'Endpoint', exact: true });
  const deliveries = page.getByRole('region', { name: 'Deliveries' });
  return {
    create,
    endpoints,
    endpoint,
    deliveries,
    /** The delivery of one event, found by the webhook-id the receiver got. */
    deliveryOf: (eventId: string) => deliveries.locator('tbody tr').filter({ hasText: eventId }),
    async fillCreate(url: string, events: string[], description?: string) {
      await create.getByLabel('URL').fill(url);
      for (const event of events) await create.getByLabel(event, { exact: true }).check();
      if (description !== undefined) await create.getByLabel('Description').fill(description);
      await create.getByRole('button', { name: 'Create endpoint' }).click();
    },
  };
}

/** The receiver's requests for one event id, once there are `count` of them. */
async function requestsFor(
  received: ReceivedWebhook[],
  count: number,
  since = 0,
): Promise<ReceivedWebhook[]> {
  await expect.poll(() => received.length - since).toBeGreaterThanOrEqual(count);
  return received.slice(since);
}

test('an admin creates an endpoint, sees its secret once, follows, retries and rotates its deliveries, then deletes it', async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    await page.goto('/wallets');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Webhooks' })
      .click();
    await expect(page).toHaveURL(/\/webhooks$/);
    const hooks = webhookParts(page);

    // The contract's schema checks the form before anything is sent.
    await hooks.fillCreate('not a url', []);
    await expect(hooks.create).toContainText('URL must be an absolute http:// or https:// URL');
    await expect(hooks.create).toContainText('Events must name at least one event type');

    // The server's refusal, in words: a host that does not resolve is no endpoint.
    await hooks.create.getByLabel('URL').fill('http://no-such-host.invalid/hook');
    await hooks.create.getByLabel('wallet.funded', { exact: true }).check();
    await hooks.create.getByRole('button', { name: 'Create endpoint' }).click();
    await expect(hooks.create.getByRole('alert')).toContainText('The service refused this URL');
    await expect(hooks.create.getByRole('alert')).toContainText('does not resolve');

    await hooks.create.getByLabel('URL').fill(receiver.url);
    await hooks.create.getByLabel('Description').fill('e2e receiver');
    await hooks.create.getByRole('button', { name: 'Create endpoint' }).click();
    const created = hooks.create.getByRole('status');
    await expect(created).toContainText('you will not see it again');
    const secret = (await created.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(SECRET);
    await expect(created.getByRole('button', { name: 'Copy the signing secret' })).toBeVisible();

    const row = hooks.endpoints.getByRole('row').filter({ hasText: receiver.url });
    await expect(row).toContainText('wallet.funded');
    await expect(row).toContainText('e2e receiver');
    await expect(row).toContainText('one secret');
    await row.getByRole('link', { name: receiver.url }).click();
    await expect(page.getByRole('heading', { name: receiver.url })).toBeVisible();
    // Shown once: the endpoint's page never has it.
    await expect(page.getByText(secret)).toHaveCount(0);

    // A funding is delivered, signed with the secret shown; the page shows code and latency.
    await createFundedWallet('10');
    const [first] = await requestsFor(receiver.received, 1);
    if (!first) throw new Error('no webhook received');
    expect(signedBy(first, secret)).toBe(true);
    expect(JSON.parse(first.body)).toMatchObject({ type: 'wallet.funded' });
    const delivered = hooks.deliveryOf(first.id);
    await expect(delivered).toContainText('delivered');
    await expect(delivered).toContainText('wallet.funded');
    await expect(delivered.getByTestId('delivery-response')).toHaveText('200');
    await expect(delivered.getByTestId('delivery-attempts')).toHaveText('1');
    await expect(delivered.getByTestId('delivery-latency')).toHaveText(/^\d+ ms$/);
    await expect(delivered.getByTestId('delivery-last-attempt')).toHaveText(DATE_TIME);

    // A receiver that fails: the attempt is shown with its 500, then Retry delivers it.
    receiver.answerWith(500);
    await createFundedWallet('20');
    const [failedRequest] = await requestsFor(receiver.received, 1, 1);
    if (!failedRequest) throw new Error('no second webhook received');
    const failing = hooks.deliveryOf(failedRequest.id);
    await expect(failing.getByTestId('delivery-response')).toHaveText('500');
    await expect(failing).toContainText('retrying');
    await expect(failing.getByTestId('delivery-attempts')).toHaveText('1');
    receiver.answerWith(200);
    await failing.getByRole('button', { name: /^Retry delivery/ }).click();
    await expect(failing).toContainText('Attempt queued.');
    await expect(failing).toContainText('delivered');
    await expect(failing.getByTestId('delivery-response')).toHaveText('200');
    await expect(failing.getByTestId('delivery-attempts')).toHaveText('2');
    expect(receiver.received.filter((r) => r.id === failedRequest.id)).toHaveLength(2);

    // Rotation asks first, shows the new secret once; both secrets sign for the grace window.
    await hooks.endpoint.getByRole('button', { name: 'Rotate secret' }).click();
    await hooks.endpoint.getByRole('button', { name: 'Confirm rotation' }).click();
    const rotated = hooks.endpoint.getByRole('status');
    await expect(rotated).toContainText('you will not see it again');
    const newSecret = (await rotated.getByTestId('webhook-secret').textContent()) ?? '';
    expect(newSecret).toMatch(SECRET);
    expect(newSecret).not.toBe(secret);
    await expect(hooks.endpoint).toContainText('rotating');
    const seen = receiver.received.length;
    await createFundedWallet('30');
    const [afterRotation] = await requestsFor(receiver.received, 1, seen);
    if (!afterRotation) throw new Error('no webhook after the rotation');
    expect(signedBy(afterRotation, newSecret)).toBe(true);
    expect(signedBy(afterRotation, secret)).toBe(true);
    expect(signedBy(first, newSecret)).toBe(false);

    // Deleting asks first, then the endpoint is gone from the list.
    await hooks.endpoint.getByRole('button', { name: 'Delete endpoint' }).click();
    await hooks.endpoint.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(hooks.endpoints.getByRole('row').filter({ hasText: receiver.url })).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});

test.describe('an operator', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('is not offered the webhooks page, is told it is for admins, and the API refuses', async ({
    page,
  }) => {
    const username = `hooks-operator-${Date.now()}`;
    const password = 'a long enough password';
    await api.users.create.mutate({ username, password, role: 'operator' });
    await page.goto('/webhooks');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/webhooks$/);

    await expect(page.getByRole('main').getByRole('alert')).toContainText(
      'This page is for admins only',
    );
    await expect(page.getByRole('region', { name: 'New endpoint' })).toHaveCount(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Wallets' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);

    // The gate is the API's: the operator's own session is refused the procedure.
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'wallet_session');
    const refused = await fetch(`${apiUrl}/trpc/webhooks.list`, {
      headers: { cookie: `wallet_session=${session?.value ?? ''}` },
    });
    expect(refused.status).toBe(403);
  });
});
