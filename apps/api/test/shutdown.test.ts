import { once } from 'node:events';
import { connect } from 'node:net';

import type { Ledger, Wallet } from '@wallet/ledger';
import { expect, it } from 'vitest';

import { buildServer } from '../src/server';
import { FAKE_ADMIN_KEY, fakeAccess, noMigrationsPending } from './support/fake-access';

/**
 * Graceful close at the HTTP level: a request in flight when close() begins still gets its
 * answer, and one arriving later on the same kept-alive connection gets a 503 in the
 * documented shape. The ledger is a stand-in that holds createWallet until released, so
 * the request is provably in flight; the database plays no part in this.
 */
it('finishes requests in flight on close and refuses later ones in the error shape', async () => {
  let entered: () => void = () => undefined;
  let release: () => void = () => undefined;
  const inLedger = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const wallet: Wallet = {
    id: '00000000-0000-4000-8000-000000000001',
    currency: 'USD',
    balanceMinor: 0n,
    heldMinor: 0n,
    availableMinor: 0n,
    status: 'ACTIVE',
    metadata: {},
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  const ledger = {
    createWallet: async () => {
      entered();
      await gate;
      return wallet;
    },
  } as unknown as Ledger;

  const app = await buildServer({
    ledger,
    access: fakeAccess(),
    readMigrationStatus: noMigrationsPending,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  // One raw connection, so the second request provably rides the same kept-alive socket.
  const socket = connect(address.port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const ended = once(socket, 'end');

  socket.write(
    `POST /wallets HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${FAKE_ADMIN_KEY}\r\nContent-Length: 0\r\n\r\n`,
  );
  await inLedger;
  const closed = app.close();
  while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
  release();
  await ended;
  await closed;

  const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
  expect(first).toMatch(/^HTTP\/1\.1 201 /);
  expect(first).toContain(`"id":"${wallet.id}"`);
  expect(second).toMatch(/^HTTP\/1\.1 503 /);
  expect(second?.toLowerCase()).toContain('connection: close');
  const body = JSON.parse(second?.slice(second.indexOf('{')) ?? '') as Record<string, unknown>;
  expect(body).toMatchObject({
    statusCode: 503,
    error: 'Service Unavailable',
    path: '/healthz',
    message: 'The server is shutting down',
  });
});
