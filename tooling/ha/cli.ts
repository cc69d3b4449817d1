import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PatroniCluster, type ProcessIds } from './cluster';
import { clusterSpec, type ClusterSpec, type PortPlan } from './config';
import { missingTools } from './tools';

/**
 * `pnpm ha:up` starts the three-node cluster in the checkout's git-ignored `.data/ha`
 * and leaves it running in the background; it prints the DATABASE_URL to give the API.
 * `pnpm ha:down` stops every process it started and removes the folder (the data too:
 * this cluster is for running the service by hand and for trying failovers, not for
 * keeping money).
 */

const HA_DIR = fileURLToPath(new URL('../../.data/ha', import.meta.url));
const STATE_FILE = path.join(HA_DIR, 'state.json');
const START_TIMEOUT_MS = 120_000;

/** Fixed loopback ports, away from PostgreSQL's 5432 and etcd's 2379 defaults. */
const PORTS: PortPlan = {
  etcdClient: 2479,
  etcdPeer: 2480,
  postgres: [5441, 5442, 5443],
  rest: [8441, 8442, 8443],
};

interface State {
  spec: ClusterSpec;
  pids: ProcessIds;
}

async function up(): Promise<number> {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(
      `cannot start: ${missing.join(', ')} missing (apt-get install -y patroni etcd-server)`,
    );
    return 1;
  }
  if (existsSync(STATE_FILE)) {
    console.error(`a cluster is already up (${STATE_FILE}); run pnpm ha:down first`);
    return 1;
  }
  await mkdir(HA_DIR, { recursive: true });
  // The postgres system user must reach the folder through the checkout's `.data`.
  await chmod(path.dirname(HA_DIR), 0o755);
  await chmod(HA_DIR, 0o755);
  const spec = clusterSpec(HA_DIR, PORTS, {
    superuser: randomBytes(12).toString('hex'),
    replication: randomBytes(12).toString('hex'),
  });
  const cluster = new PatroniCluster(spec, true);
  try {
    await cluster.start(START_TIMEOUT_MS);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    await cluster.stop();
    return 1;
  } finally {
    await writeFile(STATE_FILE, JSON.stringify({ spec, pids: cluster.pids } satisfies State));
  }
  const leader = await cluster.leader();
  console.log(`Patroni cluster up in ${HA_DIR}: leader ${leader?.name ?? '?'}; logs there.`);
  console.log(`DATABASE_URL=${cluster.url}`);
  return 0;
}

async function down(): Promise<number> {
  if (!existsSync(STATE_FILE)) {
    console.log('no cluster is up');
    return 0;
  }
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as State;
  const cluster = new PatroniCluster(state.spec, true);
  Object.assign(cluster.pids, state.pids);
  await cluster.stop();
  await rm(HA_DIR, { recursive: true, force: true });
  console.log('Patroni cluster stopped and removed');
  return 0;
}

const command = process.argv[2];
const exitCode = command === 'up' ? await up() : command === 'down' ? await down() : 2;
if (exitCode === 2) console.error('usage: ha/cli.ts up|down');
process.exit(exitCode);
