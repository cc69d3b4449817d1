import { setTimeout as sleep } from 'node:timers/promises';

import {
  PAGE_SIZE_MAX,
  restTransactionPage,
  restWallet,
  restWalletBalance,
  type WalletEntryType,
} from '@wallet/contract';

import { attemptRest, type Endpoint } from './clients';
import type { Log } from './cluster';
import { centsOfJsonNumber, centsOfText } from './money';

/**
 * The final state, read back through the API once the workload is over: every wallet's
 * balance and its whole history (every page), and the service's own reconciliation
 * (`ledger.verify`). Read only once the ledger is quiet, i.e. its entry count stopped
 * moving: a request the clients gave up on may still have been on its way.
 */

const QUIESCE_POLL_MS = 300;
const QUIESCE_TIMEOUT_MS = 20_000;
const READ_ATTEMPTS_MAX = 5;
const READ_RETRY_PAUSE_MS = 250;
const READ_TIMEOUT_MS = 10_000;
const PAGES_PER_WALLET_MAX = 10_000;
const FINAL_READS_MAX = 3;

export interface FinalEntry {
  id: string;
  walletId: string;
  type: WalletEntryType;
  amountCents: bigint;
  balanceBeforeCents: bigint;
  balanceAfterCents: bigint;
  description: string | null;
  transferId: string | null;
  counterpartyWalletId: string | null;
  /** On a reversal's entries: the transaction it reverses. */
  reversesTransactionId: string | null;
}

export interface FinalWallet {
  id: string;
  balanceCents: bigint;
  /** What its pending holds reserve, read after its history (GET /wallets/:id/balance). */
  heldCents: bigint;
  /** Newest first, as the API pages them. */
  entries: FinalEntry[];
}

export interface VerifyReport {
  walletCount: number;
  entryCount: number;
  totals: {
    currency: string;
    walletCount: number;
    balancesCents: bigint;
    fundingsCents: bigint;
    withdrawalsCents: bigint;
  }[];
  violations: { kind: string; walletIds: string[]; detail: string }[];
}

export interface FinalState {
  wallets: FinalWallet[];
  verify: VerifyReport;
}

export async function readFinalState(
  endpoints: Endpoint[],
  walletIds: string[],
  log: Log,
): Promise<FinalState> {
  await waitForQuiet(endpoints, log);
  for (let read = 1; read <= FINAL_READS_MAX; read++) {
    const wallets: FinalWallet[] = [];
    for (const walletId of walletIds) wallets.push(await readWallet(endpoints, walletId));
    const verify = await readVerify(endpoints);
    const entriesRead = wallets.reduce((sum, wallet) => sum + wallet.entries.length, 0);
    if (verify.entryCount === entriesRead) return { wallets, verify };
    log(
      `the ledger moved while it was read (${entriesRead} → ${verify.entryCount}); reading again`,
    );
  }
  throw new Error(`the ledger kept moving over ${FINAL_READS_MAX} final reads`);
}

async function waitForQuiet(endpoints: Endpoint[], log: Log): Promise<void> {
  const deadline = performance.now() + QUIESCE_TIMEOUT_MS;
  let previous = -1;
  while (performance.now() < deadline) {
    const { entryCount } = await readVerify(endpoints);
    if (entryCount === previous) return;
    previous = entryCount;
    await sleep(QUIESCE_POLL_MS);
  }
  log(`the ledger did not settle within ${QUIESCE_TIMEOUT_MS} ms; reading it anyway`);
}

async function readVerify(endpoints: Endpoint[]): Promise<VerifyReport> {
  const report = await retried(endpoints, `ledger.verify`, (endpoint) =>
    endpoint.trpc.ledger.verify.query(),
  );
  return {
    walletCount: report.walletCount,
    entryCount: report.entryCount,
    totals: report.totals.map((total) => ({
      currency: total.currency,
      walletCount: total.walletCount,
      balancesCents: centsOfText(total.balances),
      fundingsCents: centsOfText(total.fundings),
      withdrawalsCents: centsOfText(total.withdrawals),
    })),
    violations: report.violations,
  };
}

async function readWallet(endpoints: Endpoint[], walletId: string): Promise<FinalWallet> {
  const wallet = await restGet(endpoints, `/wallets/${walletId}`, (body) => restWallet.parse(body));
  const entries: FinalEntry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < PAGES_PER_WALLET_MAX; page++) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const path = `/wallets/${walletId}/transactions?limit=${PAGE_SIZE_MAX}${query}`;
    const items = await restGet(endpoints, path, (body) => restTransactionPage.parse(body));
    for (const item of items.items) {
      entries.push({
        id: item.id,
        walletId: item.walletId,
        type: item.type,
        amountCents: centsOfJsonNumber(item.amount),
        balanceBeforeCents: centsOfJsonNumber(item.balanceBefore),
        balanceAfterCents: centsOfJsonNumber(item.balanceAfter),
        description: item.description,
        transferId: item.transferId,
        counterpartyWalletId: item.counterpartyWalletId,
        reversesTransactionId: item.reversesTransactionId,
      });
    }
    cursor = items.nextCursor;
    if (cursor === null) break;
  }
  const balance = await restGet(endpoints, `/wallets/${walletId}/balance`, (body) =>
    restWalletBalance.parse(body),
  );
  return {
    id: wallet.id,
    balanceCents: centsOfJsonNumber(wallet.balance),
    heldCents: centsOfText(balance.held),
    entries,
  };
}

export async function restGet<R>(endpoints: Endpoint[], path: string, parse: (body: unknown) => R) {
  return retried(endpoints, `GET ${path}`, async (endpoint) => {
    const { outcome, reply } = await attemptRest(
      endpoint,
      'GET',
      path,
      undefined,
      READ_TIMEOUT_MS,
      parse,
    );
    if (reply === undefined) throw new Error(JSON.stringify(outcome));
    return reply;
  });
}

/** The cluster is healthy by now; a few tries, on each API process in turn, cover a hiccup. */
async function retried<R>(
  endpoints: Endpoint[],
  what: string,
  read: (endpoint: Endpoint) => Promise<R>,
): Promise<R> {
  let lastError: unknown;
  for (let attempt = 0; attempt < READ_ATTEMPTS_MAX; attempt++) {
    const endpoint = endpoints[attempt % endpoints.length];
    if (!endpoint) throw new Error('no API endpoints');
    try {
      return await read(endpoint);
    } catch (error) {
      lastError = error;
      await sleep(READ_RETRY_PAUSE_MS);
    }
  }
  throw new Error(`${what} failed ${READ_ATTEMPTS_MAX} times: ${String(lastError)}`);
}
