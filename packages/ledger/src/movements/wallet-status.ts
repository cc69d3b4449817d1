import { WalletClosedError, WalletFrozenError } from '../errors';
import type { LockedWallet } from './book';

/**
 * What a wallet's status lets a movement do, read from the row the batch locked (a status
 * change waits for the batch's lock, so the status cannot change between this check and
 * the commit). Each refusal is the one write's outcome, as INSUFFICIENT_FUNDS is: the rest
 * of the batch goes on. The database refuses the same (migration 0015's triggers).
 */

/**
 * Money leaves the wallet (a transfer out, a withdrawal, a hold placed or captured from
 * it, a reversal taking money back): only an ACTIVE wallet.
 */
export function assertMayDebit(wallet: LockedWallet): void {
  if (wallet.status === 'CLOSED') throw new WalletClosedError(wallet.id);
  if (wallet.status === 'FROZEN') throw new WalletFrozenError(wallet.id);
}

/**
 * Money enters the wallet (a funding, a transfer in, a hold's capture to it, a reversal
 * paying it back), or a hold names it as receiver: any wallet but a CLOSED one.
 */
export function assertMayCredit(wallet: LockedWallet): void {
  if (wallet.status === 'CLOSED') throw new WalletClosedError(wallet.id);
}
