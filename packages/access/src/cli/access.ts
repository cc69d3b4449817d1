import { parseArgs } from 'node:util';

import { openDatabase, readDatabaseEnv } from '@wallet/db';

import { createAccess, type Access } from '../access';
import { AccessError } from '../errors';
import { randomToken } from '../secrets';
import type { ApiKeyInfo, OperatorInfo } from '../types';

// `pnpm access <keys|users> <command>`: API keys and operator accounts on the database of
// DATABASE_URL (or the embedded one). Every change is audited with the actor `cli`.

const USAGE = `usage:
  pnpm access keys create --name <name> --role <read-only|operator|admin>
  pnpm access keys list
  pnpm access keys revoke <key id>
  pnpm access users create --username <name> --role <read-only|operator|admin>
      (the password is generated and printed once; or piped in with --password-stdin)
  pnpm access users list
  pnpm access users disable <user id>`;

const CLI = { actor: 'cli' } as const;

function date(value: Date | null): string {
  return value ? value.toISOString() : '-';
}

function keyLine(key: ApiKeyInfo): string {
  const state = key.revokedAt ? `revoked ${date(key.revokedAt)}` : 'active';
  return `${key.id}  ${key.role.padEnd(9)}  ${state.padEnd(32)}  last used ${date(key.lastUsedAt)}  ${key.name}`;
}

function userLine(user: OperatorInfo): string {
  const state = user.disabledAt ? `disabled ${date(user.disabledAt)}` : 'active';
  return `${user.id}  ${user.role.padEnd(9)}  ${state.padEnd(33)}  ${user.username}`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function run(access: Access, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  const [noun, verb, id] = positionals;
  const command = `${noun ?? ''} ${verb ?? ''}`;
  switch (command) {
    case 'keys create': {
      const input = { name: values.name, role: values.role } as never;
      const { apiKey, key } = await access.createApiKey(input, CLI);
      console.log(keyLine(key));
      console.log(`\nAPI key (shown this once; only its hash is stored):\n  ${apiKey}`);
      return;
    }
    case 'keys list':
      for (const key of await listAll((cursor) => access.listApiKeys({ cursor, limit: 100 }))) {
        console.log(keyLine(key));
      }
      return;
    case 'keys revoke':
      console.log(keyLine(await access.revokeApiKey({ id: id ?? '' }, CLI)));
      return;
    case 'users create': {
      const generated = values['password-stdin'] ? undefined : randomToken(18);
      const password = generated ?? (await readStdin());
      const input = { username: values.username, role: values.role, password } as never;
      console.log(userLine(await access.createOperator(input, CLI)));
      if (generated) console.log(`\npassword (shown this once):\n  ${generated}`);
      return;
    }
    case 'users list':
      for (const user of await listAll((cursor) => access.listOperators({ cursor, limit: 100 }))) {
        console.log(userLine(user));
      }
      return;
    case 'users disable':
      console.log(userLine(await access.disableOperator({ id: id ?? '' }, CLI)));
      return;
    default:
      throw new UsageError();
  }
}

class UsageError extends Error {}

/** Every page, newest first; a list of keys or operators is small. */
async function listAll<T>(
  page: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    all.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

const env = readDatabaseEnv();
let exitCode = 0;
const database = await openDatabase({
  url: env.DATABASE_URL,
  poolMax: 1,
  embedded: { dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
});
try {
  await run(createAccess(database.db), process.argv.slice(2));
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  if (error instanceof UsageError) console.error(USAGE);
  else if (error instanceof AccessError) console.error(`refused: ${error.message}`);
  else if (error instanceof TypeError && 'code' in error)
    console.error(`${error.message}\n${USAGE}`);
  else throw error;
} finally {
  await database.close();
}
process.exit(exitCode);
