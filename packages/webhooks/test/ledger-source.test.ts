import { createLedger } from '@wallet/ledger';
import { describe, expect, it, vi } from 'vitest';

import { ledgerEventSource } from '../src';
import { startReceiver, SYSTEM, useTestDatabase, useWebhooks } from './support';

const { database } = await useTestDatabase();
const ledger = createLedger(database.db);
const { webhooks, errors } = useWebhooks(database);

/** Every event the outbox serves now, by paging its pull API from the start. */
async function outboxIds(): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await ledger.listEvents({ after, limit: 100 });
    ids.push(...page.items.map((event) => event.id));
    if (!page.hasMore) return ids;
    after = page.next;
  }
}

describe('webhooks fed by the ledger outbox', () => {
  it('delivers each committed write’s event once, and none for a refused write', async () => {
    const receiver = await startReceiver();
    const made = await webhooks.create({ url: receiver.url, events: ['*'] }, SYSTEM);
    receiver.setSecret(made.secret);
    await webhooks.start(ledgerEventSource(ledger));

    const wallets = await Promise.all([1, 2, 3].map(() => ledger.createWallet({})));
    const [a, b, c] = wallets.map((wallet) => wallet.id) as [string, string, string];
    await Promise.all([a, b, c].map((walletId) => ledger.fundWallet({ walletId, amount: '100' })));
    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        ledger.transferFunds({
          senderWalletId: [a, b, c][index % 3] as string,
          receiverWalletId: [b, c, a][index % 3] as string,
          amount: '1.25',
        }),
      ),
    );
    // Refused: no event, so no delivery.
    await expect(
      ledger.transferFunds({ senderWalletId: a, receiverWalletId: b, amount: '1000000' }),
    ).rejects.toThrow();

    // The outbox serves an event once every older writer has ended (any database's, on
    // this server): awaited, not assumed.
    let expected: string[] = [];
    await vi.waitFor(
      async () => {
        expected = await outboxIds();
        expect(expected).toHaveLength(3 + 3 + 30);
      },
      { timeout: 30_000, interval: 20 },
    );
    await vi.waitFor(
      () => {
        expect(receiver.uniqueIds()).toEqual(new Set(expected));
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(receiver.received.every((entry) => entry.verified)).toBe(true);
    const transfer = receiver.received.find((entry) => entry.body.type === 'transfer.completed');
    expect(transfer?.body.data.currency).toBe('USD');
    expect(typeof transfer?.body.data.counterpartyWalletId).toBe('string');
    expect(errors).toEqual([]);
  });
});
