import path from 'node:path';

/**
 * What a three-node Patroni cluster is made of, and the configuration files of etcd and
 * each Patroni. Everything listens on 127.0.0.1 only. Patroni reads YAML, and JSON is
 * YAML: the files are written with JSON.stringify.
 */

/** Debian's PostgreSQL: pg_basebackup and pg_rewind of the same version as the server. */
export const POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';
export const PATRONI_BIN = '/usr/bin/patroni';
export const ETCD_BIN = '/usr/bin/etcd';
export const NODE_COUNT = 3;
export const SCOPE = 'wallet-ledger';
export const DATABASE_NAME = 'wallet';
export const SUPERUSER = 'postgres';
export const REPLICATION_USER = 'replicator';

/**
 * The leader key lives this long without a renewal (seconds): the longest a dead
 * primary's Patroni keeps the cluster without a leader. Patroni's rule: loop_wait +
 * 2 × retry_timeout ≤ ttl. The defaults (30, 10, 10) suit machines on a network; on one
 * machine's loopback a tighter loop loses nothing and fails over three times faster.
 */
export const LEADER_TTL_S = 10;
export const LOOP_WAIT_S = 1;
export const RETRY_TIMEOUT_S = 4;

export interface PortPlan {
  etcdClient: number;
  etcdPeer: number;
  /** One PostgreSQL port and one Patroni REST port per node. */
  postgres: number[];
  rest: number[];
}

export interface NodeSpec {
  name: string;
  postgresPort: number;
  restPort: number;
  dataDir: string;
  configFile: string;
  logFile: string;
}

export interface ClusterSpec {
  folder: string;
  ports: PortPlan;
  superuserPassword: string;
  replicationPassword: string;
  nodes: NodeSpec[];
  etcdDataDir: string;
  etcdLogFile: string;
}

export function clusterSpec(
  folder: string,
  ports: PortPlan,
  passwords: { superuser: string; replication: string },
): ClusterSpec {
  const nodes = Array.from({ length: NODE_COUNT }, (_, index): NodeSpec => {
    const name = `pg${index + 1}`;
    const postgresPort = ports.postgres[index];
    const restPort = ports.rest[index];
    if (postgresPort === undefined || restPort === undefined) {
      throw new Error(`no ports planned for node ${name}`);
    }
    return {
      name,
      postgresPort,
      restPort,
      dataDir: path.join(folder, name, 'data'),
      configFile: path.join(folder, name, 'patroni.yml'),
      logFile: path.join(folder, name, 'patroni.log'),
    };
  });
  return {
    folder,
    ports,
    superuserPassword: passwords.superuser,
    replicationPassword: passwords.replication,
    nodes,
    etcdDataDir: path.join(folder, 'etcd'),
    etcdLogFile: path.join(folder, 'etcd.log'),
  };
}

/**
 * The URL the API is given: every node, and postgres.js connects to the first one that is
 * no standby (target_session_attrs=primary), trying the next otherwise. (Not read-write:
 * postgres.js 3.4.9 judges that by default_transaction_read_only alone, which a hot
 * standby reports off, so it would keep a connection to a standby.)
 */
export function databaseUrl(spec: ClusterSpec, database = DATABASE_NAME): string {
  return multiHostUrl(spec, database, 'primary');
}

/**
 * DATABASE_REPLICA_URL: any standby (target_session_attrs=standby), for the ledger's read
 * routing, which reads there only once the standby has replayed every acknowledged write.
 */
export function replicaUrl(spec: ClusterSpec, database = DATABASE_NAME): string {
  return multiHostUrl(spec, database, 'standby');
}

function multiHostUrl(spec: ClusterSpec, database: string, target: 'primary' | 'standby') {
  const hosts = spec.nodes.map((node) => `127.0.0.1:${node.postgresPort}`).join(',');
  const credentials = `${SUPERUSER}:${encodeURIComponent(spec.superuserPassword)}`;
  return `postgres://${credentials}@${hosts}/${database}?target_session_attrs=${target}`;
}

/** One node's URL, for reading its state (is it in recovery?) or verifying its data. */
export function nodeUrl(spec: ClusterSpec, node: NodeSpec, database = DATABASE_NAME): string {
  const credentials = `${SUPERUSER}:${encodeURIComponent(spec.superuserPassword)}`;
  return `postgres://${credentials}@127.0.0.1:${node.postgresPort}/${database}`;
}

export function etcdArgs(spec: ClusterSpec): string[] {
  const client = `http://127.0.0.1:${spec.ports.etcdClient}`;
  const peer = `http://127.0.0.1:${spec.ports.etcdPeer}`;
  return [
    '--name=etcd1',
    `--data-dir=${spec.etcdDataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=etcd1=${peer}`,
    '--initial-cluster-state=new',
    '--log-level=warn',
  ];
}

export function patroniConfig(spec: ClusterSpec, node: NodeSpec): Record<string, unknown> {
  const address = (port: number) => `127.0.0.1:${port}`;
  return {
    scope: SCOPE,
    namespace: '/wallet-ha/',
    name: node.name,
    log: { level: 'INFO' },
    restapi: { listen: address(node.restPort), connect_address: address(node.restPort) },
    etcd3: { hosts: [address(spec.ports.etcdClient)] },
    bootstrap: {
      dcs: {
        ttl: LEADER_TTL_S,
        loop_wait: LOOP_WAIT_S,
        retry_timeout: RETRY_TIMEOUT_S,
        // A commit is acknowledged only once a synchronous standby has it, and only that
        // standby may be promoted: no acknowledged write is lost in a failover.
        synchronous_mode: true,
        // Strict: never a commit acknowledged on one node. Without it, Patroni promotes
        // with no synchronous standby and acknowledges on the new primary alone until a
        // standby follows it (4–8 s measured, docs/scaling.md §7), and a primary left
        // alone goes on alone. With it, those writes wait (503s) instead.
        synchronous_mode_strict: true,
        synchronous_node_count: 1,
        // A primary whose PostgreSQL crashed is failed over at once rather than restarted
        // in place (300 s by default): with a synchronous standby this loses nothing.
        primary_start_timeout: 0,
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: {
            // pg_rewind needs it, so that a crashed primary can rejoin as a standby.
            wal_log_hints: 'on',
            max_connections: 200,
            max_wal_senders: 10,
            max_replication_slots: 10,
            wal_keep_size: '256MB',
            hot_standby: 'on',
          },
        },
      },
      initdb: [{ encoding: 'UTF8' }, { locale: 'C' }, 'data-checksums'],
    },
    postgresql: {
      listen: address(node.postgresPort),
      connect_address: address(node.postgresPort),
      data_dir: node.dataDir,
      bin_dir: POSTGRES_BIN_DIR,
      pgpass: path.join(spec.folder, node.name, 'pgpass'),
      authentication: {
        superuser: { username: SUPERUSER, password: spec.superuserPassword },
        replication: { username: REPLICATION_USER, password: spec.replicationPassword },
      },
      pg_hba: [
        'local all all trust',
        `host replication ${REPLICATION_USER} 127.0.0.1/32 scram-sha-256`,
        'host all all 127.0.0.1/32 scram-sha-256',
      ],
      parameters: { unix_socket_directories: path.join(spec.folder, node.name) },
    },
    tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
  };
}
