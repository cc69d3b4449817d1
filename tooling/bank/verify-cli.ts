import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import { withDeadline } from '@wallet/api/harness/api-process';

import { childEnvironment } from './env';

/**
 * `pnpm ledger:verify` against the run's database: the same script, started the way its
 * package script starts it (tsx, in packages/ledger), without pnpm in between.
 */

const VERIFY_TIMEOUT_MS = 60_000;

export interface CliResult {
  exitCode: number | null;
  output: string;
}

export async function runVerifyCli(databaseUrl: string): Promise<CliResult> {
  const entry = import.meta.resolve('@wallet/ledger'); // …/packages/ledger/src/index.ts
  const packageDir = fileURLToPath(new URL('..', entry));
  const script = fileURLToPath(new URL('./cli/verify.ts', entry));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnvironment({ DATABASE_URL: databaseUrl }),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const [exitCode] = await withDeadline(exited, VERIFY_TIMEOUT_MS, 'ledger:verify');
    return { exitCode, output };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * Clean means exit 0 AND the script's own "ok: no violations": until c68b4fc its exit
 * status said 0 whatever it found (repro/ledger-verify-exit-code.ts), so both are required.
 */
export function cliProblems(result: CliResult): string[] {
  const problems: string[] = [];
  if (result.exitCode !== 0) problems.push(`exited with ${result.exitCode}`);
  if (!/^ok: no violations$/m.test(result.output))
    problems.push('did not report "ok: no violations"');
  return problems.map((problem) => `${problem}:\n${result.output.trim()}`);
}
