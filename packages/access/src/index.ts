export * from './access';
export * from './errors';
export * from './types';
export type { CreatedApiKey } from './keys';
export type { SignedIn } from './sessions';
export type { BootstrapOptions, Bootstrapped } from './bootstrap';
export { formatApiKey, parseApiKey } from './secrets';
export { createRateLimitCounter, type RateLimitCounter, type RateLimitHit } from './rate-limits';
