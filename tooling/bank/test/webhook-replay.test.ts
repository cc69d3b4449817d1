import { describe, expect, it } from 'vitest';

import type { ReceivedEvent } from '../webhook-receiver';
import { replayEvents } from '../webhook-replay';

/**
 * The receiver's replay on hand-made events: a clean stream replays to its balances and
 * held amounts, and a missing, repeated or wrong event is caught.
 */

const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';

function side(walletId: string, sequence: number, before: string, after: string) {
  return { walletId, sequence, balanceBefore: before, balanceAfter: after };
}

const created = (id: string, walletId: string): ReceivedEvent => ({
  id,
  type: 'wallet.created',
  data: { walletId, currency: 'USD', balance: '0.00' },
});

const STREAM: ReceivedEvent[] = [
  created('e1', A),
  created('e2', B),
  {
    id: 'e3',
    type: 'wallet.funded',
    data: { amount: '100.00', ...side(A, 1, '0.00', '100.00') },
  },
  {
    id: 'e4',
    type: 'transfer.completed',
    data: {
      walletId: A,
      amount: '30.00',
      sender: side(A, 2, '100.00', '70.00'),
      receiver: side(B, 1, '0.00', '30.00'),
    },
  },
  {
    id: 'e5',
    type: 'hold.placed',
    data: { walletId: A, amount: '20.00', status: 'PENDING' },
  },
  {
    id: 'e6',
    type: 'hold.captured',
    data: { amount: '5.00', released: '20.00', ...side(A, 3, '70.00', '65.00') },
  },
  {
    id: 'e7',
    type: 'transaction.reversed',
    data: {
      amount: '10.00',
      entryType: 'WITHDRAWAL',
      ...side(A, 4, '65.00', '55.00'),
    },
  },
  {
    id: 'e8',
    type: 'hold.placed',
    data: { walletId: B, amount: '7.00', status: 'PENDING' },
  },
];

describe('replayEvents', () => {
  it('replays a clean stream to each wallet’s balance, held amount and entries', () => {
    const replay = replayEvents(STREAM);
    expect(replay.problems).toEqual([]);
    expect(replay.wallets.get(A)).toEqual({
      balanceCents: 5_500n,
      heldCents: 0n,
      entries: 4,
      creations: 1,
    });
    expect(replay.wallets.get(B)).toEqual({
      balanceCents: 3_000n,
      heldCents: 700n,
      entries: 1,
      creations: 1,
    });
  });

  it('catches a missing event: a gap in the wallet’s sequence and a broken chain', () => {
    const replay = replayEvents(STREAM.filter((event) => event.id !== 'e4'));
    expect(replay.problems.join('\n')).toMatch(/expected sequence 2/);
    expect(replay.problems.join('\n')).toMatch(/balance before 7000, previous after 10000/);
  });

  it('catches an event applied twice', () => {
    const third = STREAM[2];
    if (!third) throw new Error('no third event');
    const replay = replayEvents([...STREAM, third]);
    expect(replay.problems.join('\n')).toMatch(/expected sequence/);
  });

  it('catches a side whose change is not its amount', () => {
    const wrong: ReceivedEvent = {
      id: 'e9',
      type: 'wallet.withdrawn',
      data: { amount: '1.00', ...side(A, 5, '55.00', '56.00') },
    };
    const replay = replayEvents([...STREAM, wrong]);
    expect(replay.problems.join('\n')).toMatch(/moved 100, its amount says -100/);
  });
});
