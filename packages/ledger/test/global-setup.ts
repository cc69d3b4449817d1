/** The run's PostgreSQL, shared by every package's tests: see @wallet/db/vitest-setup. */
export { default } from '@wallet/db/vitest-setup';
