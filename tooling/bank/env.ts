import { z } from 'zod';

/**
 * The bank test's one look at the environment. `BANK_PROFILE` picks the profile,
 * `BANK_SEED` replays a run's random choices (timing still varies), `BANK_HISTORY_FILE`
 * keeps the recorded history as JSON, `BANK_VERBOSE=1` forwards the API processes' logs.
 */
const bankEnvSchema = z.object({
  BANK_PROFILE: z.enum(['short', 'long']).default('short'),
  BANK_SEED: z.coerce.number().int().min(0).max(0xffff_ffff).optional(),
  BANK_HISTORY_FILE: z.string().min(1).optional(),
  BANK_VERBOSE: z.enum(['0', '1']).default('0'),
});

export type BankEnv = z.infer<typeof bankEnvSchema>;

export function readBankEnv(): BankEnv {
  const parsed = bankEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A child process inherits this one's environment (PATH and all), with the overrides on top. */
export { childEnvironment } from '@wallet/api/harness/env';
