import { formatMinor, isCurrencyCode, minorDigitsOf } from '@wallet/contract';
import { openDatabase, readDatabaseEnv } from '@wallet/db';

import { createLedger } from '../ledger';
import type { CurrencyTotals } from '../verify';

// `pnpm ledger:verify`: reconciles the ledger of DATABASE_URL (or of the embedded
// database) in one snapshot, prints what it found, and exits 1 if anything is wrong.

function amount(minor: bigint, currency: string): string {
  return isCurrencyCode(currency) ? formatMinor(minor, minorDigitsOf(currency)) : `${minor} minor`;
}

function describeTotals(total: CurrencyTotals): string {
  return `  ${total.currency}: ${total.walletCount} wallets, balances ${amount(total.balancesMinor, total.currency)}, fundings ${amount(total.fundingsMinor, total.currency)}, withdrawals ${amount(total.withdrawalsMinor, total.currency)}`;
}

const env = readDatabaseEnv();
const database = await openDatabase({
  url: env.DATABASE_URL,
  poolMax: 1,
  embedded: { dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
});
let exitCode: number;
try {
  const report = await createLedger(database.db).verify();
  console.log(
    `ledger at ${report.checkedAt.toISOString()}: ${report.walletCount} wallets, ${report.entryCount} entries (and ${report.externalEntryCount} on the external accounts)`,
  );
  for (const total of report.totals) console.log(describeTotals(total));
  for (const violation of report.violations) {
    console.log(
      `VIOLATION ${violation.kind} [${violation.walletIds.join(', ')}] ${violation.detail}`,
    );
  }
  console.log(
    report.violations.length === 0
      ? 'ok: no violations'
      : `${report.violations.length}${report.truncated ? ' or more' : ''} violations`,
  );
  exitCode = report.violations.length === 0 ? 0 : 1;
} finally {
  await database.close();
}
// The verdict is the exit status: 1 for any violation, for the shell and for CI.
process.exit(exitCode);
