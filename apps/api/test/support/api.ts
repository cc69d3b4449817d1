import { STATUS_CODES } from 'node:http';

import { createAccess, type Access } from '@wallet/access';
import { ERROR_CATALOGUE, ERROR_CODES, type AccessRole, type ErrorCode } from '@wallet/contract';
import { createDatabase, readMigrationStatus } from '@wallet/db';
import { createTestDatabase } from '@wallet/testing';
import { createLedger, type Ledger } from '@wallet/ledger';
import { createWebhooks, type Webhooks, type WebhookSettings } from '@wallet/webhooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { expect, inject } from 'vitest';

import { buildServer, type SecuritySettings } from '../../src/server';

export interface RunningApi {
  baseUrl: string;
  app: FastifyInstance;
  ledger: Ledger;
  access: Access;
  /** Built, not started: a test that wants deliveries calls `webhooks.start(…)`. */
  webhooks: Webhooks;
  /** An admin's client: every existing test runs with full rights. */
  http: HttpClient;
  /** A key of each role, and a client sending it. */
  keys: Record<AccessRole, string>;
  clients: Record<AccessRole | 'anonymous', HttpClient>;
  databaseUrl: string;
  /** Closes the pool while the server keeps running, to see how the API fails without it. */
  closePool(): Promise<void>;
  close(): Promise<void>;
}

/** The real thing: a fresh database cloned from the migrated template, the ledger, HTTP on a free port. */
export async function startApi(
  options: {
    logger?: FastifyBaseLogger;
    security?: Partial<SecuritySettings>;
    slowRequestMs?: number;
    directTrpcCalls?: boolean;
    /** Loopback receivers are allowed unless a test says otherwise. */
    webhooks?: Partial<WebhookSettings>;
  } = {},
): Promise<RunningApi> {
  const testDatabase = await createTestDatabase(inject('testDatabaseServer'));
  const database = createDatabase(testDatabase.url, { poolMax: 8 });
  const ledger = createLedger(database.db);
  const access = createAccess(database.db);
  await access.listen(database.url);
  const webhooks = createWebhooks(database.db, {
    settings: { ...TEST_WEBHOOK_SETTINGS, ...options.webhooks },
  });
  const app = await buildServer({
    ledger,
    access,
    webhooks,
    readMigrationStatus: () => readMigrationStatus(database.db),
    logger: options.logger,
    slowRequestMs: options.slowRequestMs,
    directTrpcCalls: options.directTrpcCalls,
    security: { ...TEST_SECURITY, ...options.security },
    poolMax: 8,
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const keys = {} as Record<AccessRole, string>;
  for (const role of ['read-only', 'operator', 'admin'] as const) {
    keys[role] = (
      await access.createApiKey({ name: `test ${role}`, role }, { actor: 'system' })
    ).apiKey;
  }
  const clients = {
    anonymous: httpClient(baseUrl, {}),
    'read-only': httpClient(baseUrl, bearer(keys['read-only'])),
    operator: httpClient(baseUrl, bearer(keys.operator)),
    admin: httpClient(baseUrl, bearer(keys.admin)),
  };
  let poolOpen = true;
  const closePool = async () => {
    if (!poolOpen) return;
    poolOpen = false;
    await database.close();
  };
  return {
    baseUrl,
    app,
    ledger,
    access,
    webhooks,
    http: clients.admin,
    keys,
    clients,
    databaseUrl: testDatabase.url,
    closePool,
    close: async () => {
      await app.close();
      await webhooks.stop();
      await access.close();
      await closePool();
      await testDatabase.drop();
    },
  };
}

export interface HttpResult {
  status: number;
  contentType: string | null;
  /** The body exactly as sent, to check how numbers were written. */
  text: string;
  body: unknown;
}

export interface HttpClient {
  get(path: string): Promise<HttpResult>;
  /** POSTs `body` as JSON; with no body, sends no Content-Type either. */
  post(path: string, body?: unknown): Promise<HttpResult>;
  /** POSTs `text` as it is, with the headers given. */
  postRaw(path: string, text: string, headers?: Record<string, string>): Promise<HttpResult>;
  delete(path: string): Promise<HttpResult>;
  /** PATCHes `body` as JSON. */
  patch(path: string, body: unknown): Promise<HttpResult>;
}

/** Loopback receivers, short retries and polls: tests await conditions, never sleep. */
export const TEST_WEBHOOK_SETTINGS: Partial<WebhookSettings> = {
  allowPrivateUrls: true,
  pollIntervalMs: 20,
  maintenanceIntervalSeconds: 1,
  retry: { firstDelayMs: 20, delayMaxMs: 100, windowMs: 60_000 },
};

/** Limits no test of the ledger reaches; the rate-limit tests set their own. */
export const TEST_SECURITY: Partial<SecuritySettings> = {
  rateLimit: { perKey: 1_000_000, perAddress: 1_000_000, signIn: 1_000, windowMs: 60_000 },
  trustedOrigins: ['http://dashboard.test'],
};

export function bearer(apiKey: string): Record<string, string> {
  return { authorization: `Bearer ${apiKey}` };
}

export function httpClient(baseUrl: string, auth: Record<string, string>): HttpClient {
  const send = async (path: string, init: RequestInit): Promise<HttpResult> => {
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(auth)) headers.set(name, value);
    const response = await fetch(new URL(path, baseUrl), { ...init, headers });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
  return {
    get: (path) => send(path, { method: 'GET' }),
    delete: (path) => send(path, { method: 'DELETE' }),
    patch: (path, body) =>
      send(path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    post: (path, body) =>
      body === undefined
        ? send(path, { method: 'POST' })
        : send(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
    postRaw: (path, text, headers = { 'content-type': 'application/json' }) =>
      send(path, { method: 'POST', headers, body: text }),
  };
}

const ERROR_KEYS = ['error', 'message', 'path', 'statusCode', 'timestamp'];
/**
 * Fields added to the documented shape for programs: a catalogue code, facts when there
 * are any, and a used idempotency key's 409 fields.
 */
const ADDED_ERROR_KEYS = [
  'code',
  'details',
  'original_transaction_id',
  'wallet_id',
  'hold_id',
  'same_request',
];

/**
 * The documented error shape, every key of it, plus the added `code` (a catalogue code
 * of this status; `code` when given) and `details` (an object, when present); returns
 * the message for further checks.
 */
export function expectRestError(
  result: HttpResult,
  statusCode: number,
  path: string,
  code?: ErrorCode,
): string {
  expect(result.status, result.text).toBe(statusCode);
  expect(result.contentType).toMatch(/^application\/json/);
  const body = result.body as Record<string, unknown>;
  const documented = Object.keys(body).filter((key) => !ADDED_ERROR_KEYS.includes(key));
  expect(documented.sort()).toEqual(ERROR_KEYS);
  expect(body.statusCode).toBe(statusCode);
  expect(body.error).toBe(STATUS_CODES[statusCode]);
  expect(body.path).toBe(path);
  expect(typeof body.timestamp).toBe('string');
  expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  expect(typeof body.message).toBe('string');
  expect(body.message).not.toBe('');
  expectErrorCode(body, statusCode, code);
  return body.message as string;
}

/** `code` is always there, one of the catalogue's with this status; `details` only as an object. */
export function expectErrorCode(
  body: Record<string, unknown>,
  statusCode: number,
  code?: ErrorCode,
): void {
  const sent = body.code as ErrorCode;
  expect(ERROR_CODES, JSON.stringify(body)).toContain(sent);
  expect(ERROR_CATALOGUE[sent].http).toBe(statusCode);
  if (code) expect(sent).toBe(code);
  if ('details' in body) {
    expect(typeof body.details === 'object' && body.details !== null).toBe(true);
    expect(Object.keys(body.details as object).length).toBeGreaterThan(0);
  }
}

/**
 * The documented keys, and (added with wallet status and metadata, issue 15) `status`
 * and `metadata`: additions a client of the documented contract can ignore.
 */
export const WALLET_KEYS = [
  'balance',
  'createdAt',
  'currency',
  'id',
  'metadata',
  'status',
  'updatedAt',
];

export const TRANSACTION_KEYS = [
  'amount',
  'balanceAfter',
  'balanceBefore',
  'counterpartyWalletId',
  'createdAt',
  'description',
  'id',
  // Added by the write metadata (issue 15): the seed's documented fields all stay.
  'metadata',
  'reversedAmount',
  'reversesTransactionId',
  'status',
  'transferId',
  'type',
  'walletId',
];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A well-formed id that names no wallet. */
export const UNKNOWN_WALLET_ID = '00000000-0000-4000-8000-000000000000';

export interface WalletBody {
  id: string;
  currency: string;
  balance: number;
  status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface TransactionBody {
  id: string;
  walletId: string;
  type: 'FUND' | 'TRANSFER_IN' | 'TRANSFER_OUT' | 'WITHDRAWAL';
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  status: string;
  description: string | null;
  counterpartyWalletId: string | null;
  transferId: string | null;
  createdAt: string;
  reversesTransactionId: string | null;
  reversedAmount: number;
  metadata: Record<string, string>;
}

/** A bare wallet, exactly the documented keys, with ISO dates. */
export function expectWallet(value: unknown): WalletBody {
  const wallet = value as WalletBody;
  expect(Object.keys(wallet).sort()).toEqual(WALLET_KEYS);
  expect(wallet.id).toMatch(UUID);
  expect(typeof wallet.balance).toBe('number');
  expect(new Date(wallet.createdAt).toISOString()).toBe(wallet.createdAt);
  expect(new Date(wallet.updatedAt).toISOString()).toBe(wallet.updatedAt);
  return wallet;
}

export function expectTransaction(value: unknown): TransactionBody {
  const entry = value as TransactionBody;
  expect(Object.keys(entry).sort()).toEqual(TRANSACTION_KEYS);
  expect(entry.id).toMatch(UUID);
  expect(entry.status).toBe('COMPLETED');
  expect(new Date(entry.createdAt).toISOString()).toBe(entry.createdAt);
  return entry;
}

/**
 * POST /wallets/fund's answer: the documented wallet, exactly, and the one added field,
 * `transactionId` (the FUND entry's id).
 */
export function expectFundResult(value: unknown): WalletBody & { transactionId: string } {
  const { transactionId, ...wallet } = value as { transactionId: unknown };
  expect(transactionId).toMatch(UUID);
  return { ...expectWallet(wallet), transactionId: transactionId as string };
}

/** Creates a wallet through REST and checks the 201. */
export async function createWallet(http: HttpClient, currency?: string): Promise<WalletBody> {
  const result = await http.post('/wallets', currency === undefined ? {} : { currency });
  expect(result.status, result.text).toBe(201);
  return expectWallet(result.body);
}

/** Funds a wallet through REST and checks the 200. */
export async function fundWallet(
  http: HttpClient,
  walletId: string,
  amount: number | string,
  extra: { idempotencyKey?: string; description?: string } = {},
): Promise<WalletBody & { transactionId: string }> {
  const result = await http.post('/wallets/fund', { amount, wallet_id: walletId, ...extra });
  expect(result.status, result.text).toBe(200);
  return expectFundResult(result.body);
}
