import { databaseEnvSchema } from '@wallet/db';
import { z } from 'zod';

/** The bench's one look at the environment. */
const benchEnvSchema = z.object({
  TEST_DATABASE_URL: databaseEnvSchema.shape.TEST_DATABASE_URL,
  /** Seconds per scenario and level. */
  BENCH_DURATION_S: z.coerce.number().int().min(1).max(600).default(6),
  /** Connection counts, comma-separated. */
  BENCH_LEVELS: z
    .string()
    .default('1,16,64')
    .transform((text) => text.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(1024)).min(1)),
  /** Only the scenarios whose names contain one of these (comma-separated); all if empty. */
  BENCH_ONLY: z
    .string()
    .default('')
    .transform((text) => text.split(',').filter((part) => part.length > 0)),
  /**
   * One webhook endpoint on (a receiver on loopback answering 204), as issue 16 measures
   * the write path; on unless "0".
   */
  BENCH_WEBHOOK: z
    .enum(['0', '1'])
    .default('1')
    .transform((flag) => flag === '1'),
  /** The 1,000,000-entry history case (about a minute of seeding); on unless "0". */
  BENCH_HISTORY: z
    .enum(['0', '1'])
    .default('1')
    .transform((flag) => flag === '1'),
});

export type BenchEnv = z.infer<typeof benchEnvSchema>;

export function readBenchEnv(): BenchEnv {
  const parsed = benchEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
