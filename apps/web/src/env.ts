import { documented } from '@wallet/contract';
import { z } from 'zod';

/**
 * The only reader of process.env in the dashboard's server side (next.config.ts, the tRPC
 * proxy and scripts/next.ts, which starts Next on WEB_HOST:WEB_PORT). The browser never
 * needs a setting: it calls the same origin's /trpc.
 */
export const webEnvSchema = z.object({
  /** Where the wallet API listens; /trpc/* is forwarded there. */
  API_URL: documented(z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'), {
    meaning: 'dashboard: where its `/trpc` calls are forwarded (read at start)',
    section: 'dashboard',
  }),
  WEB_HOST: documented(z.string().min(1).default('127.0.0.1'), {
    meaning: 'dashboard: the address it listens on',
    section: 'dashboard',
  }),
  WEB_PORT: documented(z.coerce.number().int().min(1).max(65535).default(3001), {
    meaning: 'dashboard: the port it listens on',
    section: 'dashboard',
  }),
  /**
   * development allows what `next dev` needs (eval in the content security policy). Next
   * sets it itself (`next start`: production), so it is not a setting of the dashboard's.
   */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
});

export type WebEnv = z.infer<typeof webEnvSchema>;

export function readWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = webEnvSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
