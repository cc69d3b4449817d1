import { z } from 'zod';

/**
 * The only reader of process.env in the dashboard's server side (next.config.ts and the
 * tRPC proxy). The browser never needs a setting: it calls the same origin's /trpc.
 */
const webEnvSchema = z.object({
  /** Where the wallet API listens; /trpc/* is forwarded there. */
  API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  /** development allows what `next dev` needs (eval in the content security policy). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

export function readWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = webEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
