/** The run's PostgreSQL, shared by every package's tests: see @wallet/testing/vitest-setup. */
export { default } from '@wallet/testing/vitest-setup';
