import { describe, expect, it } from 'vitest';

import {
  ACCESS_ERROR_CODES,
  describeErrorStatuses,
  EDGE_ERROR_CODES,
  ERROR_CATALOGUE,
  ERROR_CODES,
  LEDGER_ERROR_CODES,
  restError,
  WEBHOOK_ERROR_CODES,
  ROUTE_PARAM_LENGTH_MAX,
} from '../src';

describe('the error catalogue', () => {
  it.each(ERROR_CODES)('%s has a tRPC code, a 4xx or 5xx status and a description', (code) => {
    const { trpc, http, description } = ERROR_CATALOGUE[code];
    expect(trpc).toMatch(/^[A-Z_]+$/);
    expect(http).toBeGreaterThanOrEqual(400);
    expect(http).toBeLessThanOrEqual(599);
    expect(description.length).toBeGreaterThan(10);
  });

  it('has one row per code, and every code in one list only', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...ERROR_CODES].sort());
    expect(new Set(ERROR_CODES).size).toBe(
      LEDGER_ERROR_CODES.length +
        ACCESS_ERROR_CODES.length +
        WEBHOOK_ERROR_CODES.length +
        EDGE_ERROR_CODES.length,
    );
  });

  it('names the limit the router enforces in the 414 text', () => {
    expect(ERROR_CATALOGUE.URI_TOO_LONG.description).toContain(String(ROUTE_PARAM_LENGTH_MAX));
  });

  it('only server-side failures are 5xx', () => {
    const serverSide = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].http >= 500);
    expect(serverSide.sort()).toEqual(
      [
        'ACCESS_UNAVAILABLE',
        'INTERNAL',
        'LEDGER_BUSY',
        'LEDGER_UNAVAILABLE',
        'SERVICE_UNAVAILABLE',
        'WEBHOOKS_UNAVAILABLE',
      ].sort(),
    );
  });
});

describe('describeErrorStatuses', () => {
  it('gives one description per status, naming each code it carries', () => {
    const described = describeErrorStatuses([
      'INSUFFICIENT_FUNDS',
      'CURRENCY_MISMATCH',
      'WALLET_NOT_FOUND',
    ]);
    expect(Object.keys(described).sort()).toEqual(['400', '404']);
    expect(described[400]).toBe(
      `INSUFFICIENT_FUNDS: ${ERROR_CATALOGUE.INSUFFICIENT_FUNDS.description}. CURRENCY_MISMATCH: ${ERROR_CATALOGUE.CURRENCY_MISMATCH.description}`,
    );
    expect(described[404]).toBe(
      `WALLET_NOT_FOUND: ${ERROR_CATALOGUE.WALLET_NOT_FOUND.description}`,
    );
  });
});

describe('the REST error shape', () => {
  const documented = {
    statusCode: 400,
    timestamp: '2026-01-01T00:00:00.000Z',
    path: '/wallets/transfer',
    error: 'Bad Request',
    message: 'Insufficient balance',
  };

  it('carries a catalogue code beside the documented fields, and details when there are any', () => {
    const body = { ...documented, code: 'INSUFFICIENT_FUNDS', details: { available: '1.00' } };
    expect(restError.parse(body)).toEqual(body);
    expect(restError.parse({ ...documented, code: 'INTERNAL' })).toEqual({
      ...documented,
      code: 'INTERNAL',
    });
  });

  it('refuses a code outside the catalogue', () => {
    expect(restError.safeParse({ ...documented, code: 'NOT_A_CODE' }).success).toBe(false);
  });
});
