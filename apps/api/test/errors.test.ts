import { STATUS_CODES } from 'node:http';

import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ERROR_CATALOGUE, ERROR_CODES } from '@wallet/contract';
import { LEDGER_ERROR_CODES, LedgerError, type Ledger, type LedgerErrorCode } from '@wallet/ledger';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { INTERNAL_ERROR_MESSAGE, trpcCodeOf } from '../src/errors';
import { buildServer } from '../src/server';
import {
  FAKE_ADMIN,
  FAKE_ADMIN_HEADERS,
  fakeAccess,
  noMigrationsPending,
} from './support/fake-access';
import { createContextInner } from '../src/trpc/init';
import { createCaller } from '../src/trpc/root';

/**
 * The one table, walked code by code through both edges. The ledger here is a stand-in
 * that fails every call with the error under test: these tests are about the mapping,
 * and the database-backed suites show each error arising for real.
 */

class SomeLedgerError extends LedgerError {
  constructor(readonly code: LedgerErrorCode) {
    super(`a ${code} outcome`);
  }
}

function ledgerFailingWith(error: Error): Ledger {
  const fail = () => Promise.reject(error);
  return {
    createWallet: fail,
    updateWallet: fail,
    fundWallet: fail,
    transferFunds: fail,
    withdrawFunds: fail,
    placeHold: fail,
    captureHold: fail,
    voidHold: fail,
    getHold: fail,
    listHolds: fail,
    getWalletBalance: fail,
    expireHolds: fail,
    reverseTransaction: fail,
    getWallet: fail,
    getTransaction: fail,
    expireIdempotencyKeys: fail,
    listWallets: fail,
    listTransactions: fail,
    getBalanceAsOf: fail,
    readStatementPage: fail,
    balanceSeries: fail,
    verify: fail,
    readTotals: fail,
    checkHealth: fail,
    listEvents: fail,
    streamEvents: fail,
  };
}

function capturedLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

describe('the error catalogue, as the API maps it', () => {
  it.each(LEDGER_ERROR_CODES)('%s has a client error status, or 503', (code) => {
    const { http } = ERROR_CATALOGUE[code];
    expect(http === 503 || (http >= 400 && http <= 499)).toBe(true);
  });

  it.each(ERROR_CODES)('%s: its tRPC code implies the status tRPC itself would send', (code) => {
    const { http, trpc } = ERROR_CATALOGUE[code];
    expect(trpcCodeOf(code)).toBe(trpc);
    // tRPC has no code for 414 URI Too Long: over tRPC that refusal is a 400.
    const expected = code === 'URI_TOO_LONG' ? 400 : http;
    expect(getHTTPStatusCodeFromError(new TRPCError({ code: trpc }))).toBe(expected);
  });
});

describe('each ledger error at each edge', () => {
  it.each(LEDGER_ERROR_CODES)('%s over REST: its status, in the documented shape', async (code) => {
    const app = await buildServer({
      ledger: ledgerFailingWith(new SomeLedgerError(code)),
      access: fakeAccess(),
      readMigrationStatus: noMigrationsPending,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/wallets',
      payload: {},
      headers: FAKE_ADMIN_HEADERS,
    });
    await app.close();
    const status = ERROR_CATALOGUE[code].http;
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({
      statusCode: status,
      error: STATUS_CODES[status],
      path: '/wallets',
      message: `a ${code} outcome`,
      code,
    });
  });

  it.each(LEDGER_ERROR_CODES)('%s over tRPC: its code and ledgerCode', async (code) => {
    const caller = createCaller(
      createContextInner({
        ledger: ledgerFailingWith(new SomeLedgerError(code)),
        access: fakeAccess(),
        auth: { principal: FAKE_ADMIN },
      }),
    );
    await expect(caller.wallets.create({})).rejects.toMatchObject({
      code: ERROR_CATALOGUE[code].trpc,
      message: `a ${code} outcome`,
      cause: { code },
    });
  });
});

describe('an unexpected error', () => {
  const detail = 'insert into wallets values ($1) -- secret parameters';

  it('is a 500 over REST that says nothing but "Internal server error", and is logged', async () => {
    const { logger, lines } = capturedLogger();
    const app = await buildServer({
      ledger: ledgerFailingWith(new Error(detail)),
      access: fakeAccess(),
      readMigrationStatus: noMigrationsPending,
      logger,
    });
    const response = await app.inject({
      method: 'GET',
      url: '/wallets',
      headers: FAKE_ADMIN_HEADERS,
    });
    await app.close();
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({
      statusCode: 500,
      error: 'Internal Server Error',
      path: '/wallets',
      message: INTERNAL_ERROR_MESSAGE,
      code: 'INTERNAL',
    });
    expect(response.body).not.toContain('secret');
    expect(lines.join('\n')).toContain(detail);
  });

  it('is an INTERNAL_SERVER_ERROR over tRPC with the same sentence, and is logged', async () => {
    const { logger, lines } = capturedLogger();
    const app = await buildServer({
      ledger: ledgerFailingWith(new Error(detail)),
      access: fakeAccess(),
      readMigrationStatus: noMigrationsPending,
      logger,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/trpc/wallets.create',
      payload: { json: {} },
      headers: FAKE_ADMIN_HEADERS,
    });
    await app.close();
    expect(response.statusCode).toBe(500);
    const { error } = response.json<{
      error: { json: { message: string; data: { code: string; ledgerCode: unknown } } };
    }>();
    expect(error.json.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(error.json.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', ledgerCode: null });
    expect(response.body).not.toContain('secret');
    expect(lines.join('\n')).toContain(detail);
  });
});
