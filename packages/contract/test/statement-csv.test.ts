import { describe, expect, it } from 'vitest';

import { statementCsv, statementCsvEntry, type StatementCsvPage } from '../src';

const entry = {
  createdAt: new Date('2026-12-01T10:00:00.000Z'),
  sequence: 1,
  transactionId: '0193c4e2-0000-7000-8000-000000000001',
  type: 'FUND' as const,
  description: null,
  counterpartyWalletId: null,
  amount: '10.00',
  balanceAfter: '10.00',
  currency: 'USD',
};

describe('statement CSV', () => {
  it('signs debits, quotes what needs quoting and neutralises formulas in descriptions', () => {
    expect(statementCsvEntry({ ...entry, type: 'WITHDRAWAL', balanceAfter: '0.00' })).toBe(
      '2026-12-01T10:00:00.000Z,1,0193c4e2-0000-7000-8000-000000000001,WITHDRAWAL,,,-10.00,0.00,USD\r\n',
    );
    expect(statementCsvEntry({ ...entry, description: 'a "b", c\nd' })).toContain(
      ',"a ""b"", c\nd",',
    );
    for (const formula of ['=1+1', '+1', '-1+1', '@SUM(A1)']) {
      expect(statementCsvEntry({ ...entry, description: formula })).toContain(`,'${formula},`);
    }
  });

  it('reads page after page between the opening and closing rows', async () => {
    const page = (items: number[], nextCursor: string | null): StatementCsvPage => ({
      currency: 'USD',
      from: null,
      to: new Date('2026-12-02T00:00:00.000Z'),
      openingBalance: '0.00',
      closingBalance: '30.00',
      items: items.map((sequence) => ({ ...entry, sequence })),
      nextCursor,
    });
    const asked: string[] = [];
    const lines: string[] = [];
    const csv = statementCsv(page([1, 2], '2:3'), (cursor) => {
      asked.push(cursor);
      return Promise.resolve(page([3], null));
    });
    for await (const line of csv) lines.push(line);
    expect(asked).toEqual(['2:3']);
    expect(lines.map((line) => line.split(',')[1])).toEqual(['sequence', '', '1', '2', '3', '']);
    expect(lines.at(-1)).toBe('2026-12-02T00:00:00.000Z,,,CLOSING_BALANCE,,,,30.00,USD\r\n');
  });
});
