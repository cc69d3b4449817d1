import { DEBIT_ENTRY_TYPES, type EntryType } from './vocabulary';

/**
 * A wallet statement as CSV (RFC 4180: CRLF line ends, quoted fields): the one format the
 * REST export and the dashboard's download both write. One table, so a spreadsheet opens
 * it as it is: an OPENING_BALANCE row, the period's entries oldest first, a
 * CLOSING_BALANCE row. Amounts are signed decimal text in major units (a debit is
 * negative); balances are the balance after each row.
 */
export const STATEMENT_CSV_COLUMNS = [
  'date',
  'sequence',
  'transaction_id',
  'type',
  'description',
  'counterparty_wallet_id',
  'amount',
  'balance',
  'currency',
] as const;

export const STATEMENT_CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

/** One entry of a statement, with its money already as decimal text of its currency. */
export interface StatementCsvEntry {
  createdAt: Date;
  sequence: number;
  transactionId: string;
  type: EntryType;
  description: string | null;
  counterpartyWalletId: string | null;
  amount: string;
  balanceAfter: string;
  currency: string;
}

export function statementCsvHeader(): string {
  return csvLine(STATEMENT_CSV_COLUMNS);
}

export function statementCsvEntry(entry: StatementCsvEntry): string {
  const debit = (DEBIT_ENTRY_TYPES as readonly EntryType[]).includes(entry.type);
  return csvLine([
    entry.createdAt.toISOString(),
    String(entry.sequence),
    entry.transactionId,
    entry.type,
    neutralized(entry.description ?? ''),
    entry.counterpartyWalletId ?? '',
    debit ? `-${entry.amount}` : entry.amount,
    entry.balanceAfter,
    entry.currency,
  ]);
}

/** The OPENING_BALANCE or CLOSING_BALANCE row: a moment (or none) and a balance. */
export function statementCsvBalance(
  kind: 'OPENING_BALANCE' | 'CLOSING_BALANCE',
  at: Date | null,
  balance: string,
  currency: string,
): string {
  return csvLine([at?.toISOString() ?? '', '', '', kind, '', '', '', balance, currency]);
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A quoted field when it needs one (a comma, a quote or a line break in it). */
function csvCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Free text a spreadsheet would run as a formula (=, +, -, @, tab or CR first), prefixed
 * with an apostrophe: a description is a client's text, and people open statements
 * (OWASP's advice on CSV injection). Only the description is free text.
 */
function neutralized(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A page of a statement, money as decimal text: what statementCsv reads. */
export interface StatementCsvPage {
  currency: string;
  from: Date | null;
  to: Date | null;
  openingBalance: string;
  closingBalance: string;
  items: StatementCsvEntry[];
  nextCursor: string | null;
}

/**
 * The statement's lines, one page read at a time (never the whole period in memory): the
 * header, the opening balance, every entry, the closing balance. The caller reads the
 * first page itself, so a refusal (an unknown wallet, a bad period) comes before any line;
 * that page fixes the period (its cursor carries it), so the balances agree with the
 * entries between them. A failure after it ends the text without its CLOSING_BALANCE row.
 */
export async function* statementCsv(
  firstPage: StatementCsvPage,
  readPage: (cursor: string) => Promise<StatementCsvPage>,
): AsyncGenerator<string> {
  let page = firstPage;
  const { currency } = page;
  yield statementCsvHeader();
  yield statementCsvBalance('OPENING_BALANCE', page.from, page.openingBalance, currency);
  for (;;) {
    for (const entry of page.items) yield statementCsvEntry(entry);
    if (page.nextCursor === null) break;
    page = await readPage(page.nextCursor);
  }
  yield statementCsvBalance('CLOSING_BALANCE', page.to, page.closingBalance, currency);
}

/**
 * A statement page as both edges have it, money as the currency's decimal text (tRPC's
 * `wallets.statement` output; the REST export makes the same from the ledger's page).
 */
export interface StatementTextPage {
  currency: string;
  from: Date | null;
  to: Date | null;
  openingBalance: string;
  closingBalance: string;
  items: {
    id: string;
    transferId: string | null;
    createdAt: Date;
    sequence: number;
    type: EntryType;
    description: string | null;
    counterpartyWalletId: string | null;
    amount: string;
    balanceAfter: string;
    currency: string;
  }[];
  nextCursor: string | null;
}

/** The CSV writer's page: each entry names its transaction (a transfer's, or its own id). */
export function statementCsvPageOf(page: StatementTextPage): StatementCsvPage {
  return {
    currency: page.currency,
    from: page.from,
    to: page.to,
    openingBalance: page.openingBalance,
    closingBalance: page.closingBalance,
    items: page.items.map((entry) => ({
      createdAt: entry.createdAt,
      sequence: entry.sequence,
      transactionId: entry.transferId ?? entry.id,
      type: entry.type,
      description: entry.description,
      counterpartyWalletId: entry.counterpartyWalletId,
      amount: entry.amount,
      balanceAfter: entry.balanceAfter,
      currency: entry.currency,
    })),
    nextCursor: page.nextCursor,
  };
}
