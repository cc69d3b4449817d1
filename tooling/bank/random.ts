/**
 * A small seeded generator (Marsaglia's xorshift32), so a run's choices can be replayed
 * with BANK_SEED. Statistical quality is beside the point; reproducibility is not.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    // xorshift has one fixed point, zero: any other seed will do.
    this.state = seed >>> 0 || 0x9e37_79b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x / 0x1_0000_0000;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A child generator with its own stream, for one client. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 0xffff_ffff));
  }
}
