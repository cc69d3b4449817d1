import { randomFillSync } from 'node:crypto';

import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7 ids for entries and transfers: time-ordered to the millisecond, so new rows land
 * at the right edge of their primary-key index. The random part comes from a pool filled
 * 4 KiB at a time: the uuid package otherwise asks Web Crypto for 16 bytes per id, which
 * showed as 5 % of the API's CPU under load (three ids per transfer). Wallet ids keep the
 * package's own generator, monotonic within a millisecond too, because wallets are listed
 * newest first by id.
 */
const POOL_BYTES = 4096;
const RANDOM_BYTES = 16;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function newId(): string {
  if (offset + RANDOM_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + RANDOM_BYTES);
  offset += RANDOM_BYTES;
  return uuidv7({ random });
}
