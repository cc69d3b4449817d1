import { createWalletInput, listWalletsInput, walletIdSchema } from '@wallet/contract';
import type { CreateWalletInput, CurrencyCode, ListWalletsInput, Metadata } from '@wallet/contract';
import type { Db, WriteContext } from '@wallet/db';
import { recordAudit, schema } from '@wallet/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';

import { assert } from './assert';
import { auditOfWrite } from './audit';
import { InvalidInputError } from './errors';
import { walletCreated } from './events/catalogue';
import { appendEvent } from './events/write';
import { externalAccountIdOf } from './external-accounts';
import { parseInput } from './input';
import { toWallet } from './rows';
import { idempotencyClaim, duplicateKeyError, type IdempotencyClaim } from './idempotency';
import { inTransaction, type Tx } from './transaction';
import type { Page, Wallet } from './types';

const { wallets, idempotencyKeys } = schema;

/**
 * A new wallet. With an idempotency key, the key is claimed in the wallet's transaction
 * (the primary key (owner, key) decides, as for movements): the same owner's retry gets
 * the wallet the key made (a 409 naming it), never a second wallet. The wallet, its
 * wallet.created event and (with a context) its audit row commit together.
 */
export async function createWallet(
  db: Db,
  input: CreateWalletInput,
  context?: WriteContext,
): Promise<Wallet> {
  const request = parseInput(createWalletInput, input);
  // UUIDv7: time-ordered, so listing by id is listing by creation, newest first.
  const id = uuidv7();
  const metadata = request.metadata ?? {};
  // Metadata is part of the request a retry must repeat; none keeps the fingerprints of
  // keys claimed before wallets had metadata.
  const fields = isEmpty(metadata) ? [request.currency] : [request.currency, sortedPairs(metadata)];
  const claim = idempotencyClaim(request.idempotencyKey, context, 'CREATE_WALLET', fields);
  // One transaction always: the wallet, its event in the outbox (an event iff the wallet
  // commits), the key's claim and the audit row commit together or not at all.
  const row = await inTransaction(db, async (tx) => {
    if (claim) await claimWalletKey(tx, claim, id);
    // The currency's external account first (idempotent).
    await ensureExternalAccount(tx, request.currency);
    const [inserted] = await tx
      .insert(wallets)
      .values({ id, currency: request.currency, metadata })
      .returning();
    assert(inserted, 'insert returned no wallet');
    await appendEvent(tx, walletCreated(toWallet(inserted)));
    if (context) {
      const details = {
        currency: request.currency,
        idempotencyKey: claim?.key ?? null,
        ...(isEmpty(metadata) ? {} : { metadata }),
      };
      await recordAudit(tx, [auditOfWrite(context, 'wallets.create', id, details)]);
    }
    return inserted;
  });
  return toWallet(row);
}

/**
 * The external account of a currency, made with the currency's first wallet (migration
 * 0006 made those of the currencies in use then). Idempotent: ON CONFLICT DO NOTHING on
 * its id, so concurrent first wallets of a currency make one account between them, and
 * a fund or withdrawal of any wallet always finds its currency's account to lock.
 */
async function ensureExternalAccount(
  executor: Pick<Db, 'insert'>,
  currency: CurrencyCode,
): Promise<void> {
  await executor
    .insert(wallets)
    .values({ id: externalAccountIdOf(currency), currency, kind: 'EXTERNAL' })
    .onConflictDoNothing({ target: wallets.id });
}

/**
 * Claims the key for the wallet `walletId`, or throws the 409 of the key's holder. A
 * held key's row is locked by the claim (DO UPDATE locks even when its WHERE is false),
 * so the read that follows finds it whatever runs meanwhile.
 */
async function claimWalletKey(tx: Tx, claim: IdempotencyClaim, walletId: string): Promise<void> {
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({
      owner: claim.owner,
      key: claim.key,
      operation: 'CREATE_WALLET',
      requestFingerprint: claim.fingerprint,
      transactionId: walletId,
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.owner, idempotencyKeys.key],
      set: { key: sql`excluded.key` },
      setWhere: sql`false`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return;
  const [holder] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.key, claim.key)));
  assert(holder, 'a key not claimed is held');
  throw duplicateKeyError(claim.key, holder, {
    operation: 'CREATE_WALLET',
    fingerprint: claim.fingerprint,
  });
}

function isEmpty(metadata: Metadata): boolean {
  return Object.keys(metadata).length === 0;
}

/** The pairs in key order: the same metadata, however its keys were ordered, is one request. */
function sortedPairs(metadata: Metadata): [string, string][] {
  return Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Every client's wallet (no external account), or those of one currency, one status, or
 * whose metadata holds every pair of a filter, newest first, by keyset on the id (the
 * cursor; wallets_currency_id_idx serves the currency's pages, wallets_metadata_idx the
 * metadata filter's containment).
 */
export async function listWallets(db: Db, input: ListWalletsInput): Promise<Page<Wallet>> {
  const request = parseInput(listWalletsInput, input);
  if (request.cursor !== undefined && !walletIdSchema.safeParse(request.cursor).success) {
    throw new InvalidInputError('cursor is not valid');
  }
  const rows = await db
    .select()
    .from(wallets)
    .where(
      and(
        eq(wallets.kind, 'USER'),
        request.currency === undefined ? undefined : eq(wallets.currency, request.currency),
        request.cursor === undefined ? undefined : lt(wallets.id, request.cursor),
        request.status === undefined ? undefined : eq(wallets.status, request.status),
        request.metadata === undefined ? undefined : metadataHolds(request.metadata),
      ),
    )
    .orderBy(desc(wallets.id))
    .limit(request.limit + 1)
    .prepare('ledger_list_wallets')
    .execute();
  const items = rows.slice(0, request.limit).map(toWallet);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > request.limit && last ? last.id : null };
}

/**
 * Containment (`@>`) of every pair. The filter has at least one pair, so a wallet that
 * matches has metadata: saying so lets the planner use the partial index, which holds
 * only the wallets with metadata.
 */
function metadataHolds(filter: Metadata) {
  return sql`(${wallets.metadata} @> ${JSON.stringify(filter)}::jsonb AND ${wallets.metadata} <> '{}'::jsonb)`;
}
