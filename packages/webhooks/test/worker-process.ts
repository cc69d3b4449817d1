/**
 * A webhook process of its own, for the restart test: dispatcher and worker on the
 * database named by argv[2], fed by that database's test_events table. It prints "ready"
 * once started and runs until it is killed.
 */
import { createDatabase } from '@wallet/db';

import { createWebhooks } from '../src';
import { FAST_SETTINGS, tableSource } from './support-source';

const url = process.argv[2];
if (!url) throw new Error('usage: worker-process <database url>');
const database = createDatabase(url, { poolMax: 8 });
const webhooks = createWebhooks(database.db, {
  settings: { ...FAST_SETTINGS, attemptTimeoutMs: 1_000 },
});
await webhooks.start(tableSource(database));
process.stdout.write('ready\n');
