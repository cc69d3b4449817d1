import type { fundWalletInput, withdrawFundsInput } from '@wallet/contract';
import type { WriteContext } from '@wallet/db';
import type { z } from 'zod';

import { auditOfWrite } from './audit';
import { idempotencyClaim, metadataFields } from './idempotency';
import { newId } from './ids';
import type { OneWalletMovementRequest } from './writes';

/**
 * A funding's or a withdrawal's request, from its parsed input: the wallet id in its one
 * spelling, the entry id made now (so an idempotency record can name it), the key's claim
 * and, with a context, the audit row of its success (written in the same transaction).
 */
export function prepareOneWalletMovement<Kind extends 'FUND' | 'WITHDRAW'>(
  kind: Kind,
  request: z.output<typeof fundWalletInput> | z.output<typeof withdrawFundsInput>,
  context: WriteContext | undefined,
): OneWalletMovementRequest<Kind> {
  const walletId = request.walletId.toLowerCase();
  const description = request.description ?? null;
  const metadata = request.metadata ?? {};
  const entryId = newId();
  return {
    kind,
    entryId,
    walletId,
    amount: request.amount,
    description,
    metadata,
    idempotency: idempotencyClaim(request.idempotencyKey, context, kind, [
      walletId,
      request.amount,
      description,
      ...metadataFields(metadata),
    ]),
    audit: context
      ? auditOfWrite(context, kind === 'FUND' ? 'wallets.fund' : 'wallets.withdraw', walletId, {
          entryId,
          amount: request.amount,
          idempotencyKey: request.idempotencyKey ?? null,
        })
      : null,
  };
}
