import { z } from 'zod';

/**
 * The test suite's own settings, read once here (the lint rule keeps `process.env` to
 * files named env.ts).
 *
 * - HOSTILE_SEED replays the property-based runs exactly: a failing property prints its
 *   seed (and the path to the shrunk counterexample).
 * - HOSTILE_RUNS_SCALE multiplies each property's fixed number of runs, for a long run by
 *   hand (`HOSTILE_RUNS_SCALE=20 npx vitest run test/hostile`).
 */
const testEnvSchema = z.object({
  HOSTILE_SEED: z.coerce.number().int().optional(),
  HOSTILE_RUNS_SCALE: z.coerce.number().positive().default(1),
});

export const testEnv = testEnvSchema.parse(process.env);
