import { InvalidInputError } from '@wallet/ledger';
import { describe, expect, it, vi } from 'vitest';

import { checkWebhookUrl, isPublicAddress, WebhookUrlRefusedError, type Resolver } from '../src';
import {
  emitEvents,
  startReceiver,
  SYSTEM,
  tableSource,
  useTestDatabase,
  useWebhooks,
} from './support';

const REFUSE = { allowPrivate: false } as const;

/** A resolver that answers from a table and records what it was asked: no DNS traffic. */
function resolverOf(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: Resolver = (hostname) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(new Error(`ENOTFOUND ${hostname}`));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { resolve, asked };
}

describe('which addresses webhooks may reach', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkWebhookUrl (no connection is ever made)', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:9000/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://0.0.0.0/',
    'http://224.0.0.251/',
  ])('refuses the literal address in %s', async (url) => {
    await expect(checkWebhookUrl(url, REFUSE)).rejects.toBeInstanceOf(WebhookUrlRefusedError);
  });

  it('refuses a name that resolves to loopback (localhost, by the system resolver)', async () => {
    await expect(checkWebhookUrl('http://localhost:1/hook', REFUSE)).rejects.toThrow(/resolves to/);
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const { resolve } = resolverOf({ 'mixed.test': ['93.184.216.34', '10.0.0.7'] });
    await expect(
      checkWebhookUrl('https://mixed.test/hook', { ...REFUSE, resolve }),
    ).rejects.toThrow(/10\.0\.0\.7/);
  });

  it('refuses a name that does not resolve', async () => {
    const { resolve } = resolverOf({});
    await expect(checkWebhookUrl('https://nowhere.test/', { ...REFUSE, resolve })).rejects.toThrow(
      /does not resolve/,
    );
  });

  it('pins a public name to the address it checked', async () => {
    const { resolve, asked } = resolverOf({ 'hooks.test': ['93.184.216.34'] });
    const target = await checkWebhookUrl('https://hooks.test/in', { ...REFUSE, resolve });
    expect(target.address).toEqual({ address: '93.184.216.34', family: 4 });
    expect(asked).toEqual(['hooks.test']);
  });

  it('allows loopback when WEBHOOKS_ALLOW_PRIVATE_URLS is on', async () => {
    const target = await checkWebhookUrl('http://127.0.0.1:1/', { allowPrivate: true });
    expect(target.address.address).toBe('127.0.0.1');
  });
});

describe('endpoints and attempts are checked', async () => {
  const { database } = await useTestDatabase();
  const strict = useWebhooks(database, { allowPrivateUrls: false });
  const lenient = useWebhooks(database, { allowPrivateUrls: true });

  it('refuses to register a private or loopback URL, and stores nothing', async () => {
    await expect(
      strict.webhooks.create({ url: 'http://192.168.0.10/hook', events: ['*'] }, SYSTEM),
    ).rejects.toBeInstanceOf(WebhookUrlRefusedError);
    await expect(
      strict.webhooks.create({ url: 'http://localhost:9/hook', events: ['*'] }, SYSTEM),
    ).rejects.toBeInstanceOf(WebhookUrlRefusedError);
    await expect(
      strict.webhooks.create({ url: 'ftp://example.com/', events: ['*'] }, SYSTEM),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await strict.webhooks.list()).toEqual([]);
  });

  it('an attempt to an address that became refused connects to nothing', async () => {
    const receiver = await startReceiver();
    // Registered while private URLs were allowed; the strict service now does the sending.
    const made = await lenient.webhooks.create(
      { url: `http://localhost:${receiver.port}/hook`, events: ['*'] },
      SYSTEM,
    );
    await strict.webhooks.start(tableSource(database));
    await emitEvents(database, 1);
    await vi.waitFor(
      async () => {
        const [delivery] = (await strict.webhooks.deliveries({ webhookId: made.webhook.id })).items;
        expect(delivery?.lastError).toMatch(/^refused: .*resolves to/);
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(receiver.connections()).toBe(0);
    await strict.webhooks.stop();
  });
});
