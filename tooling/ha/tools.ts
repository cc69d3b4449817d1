import { existsSync } from 'node:fs';
import path from 'node:path';

import { ETCD_BIN, PATRONI_BIN, POSTGRES_BIN_DIR } from './config';

/** The programs the cluster runs that are not installed here, by what provides them. */
export function missingTools(): string[] {
  const wanted = [
    { file: PATRONI_BIN, provider: 'patroni' },
    { file: ETCD_BIN, provider: 'etcd-server' },
    { file: path.join(POSTGRES_BIN_DIR, 'pg_basebackup'), provider: 'postgresql-15' },
    { file: path.join(POSTGRES_BIN_DIR, 'pg_rewind'), provider: 'postgresql-15' },
  ];
  return wanted
    .filter(({ file }) => !existsSync(file))
    .map(({ file, provider }) => `${file} (${provider})`);
}
