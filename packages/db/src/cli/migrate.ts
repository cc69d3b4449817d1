import { readDatabaseEnv } from '../env';
import { openDatabase } from '../open';

// `pnpm db:migrate`: applies the committed migrations to DATABASE_URL, or to the
// embedded database when none is set, then exits.
const env = readDatabaseEnv();
const database = await openDatabase({
  url: env.DATABASE_URL,
  embedded: { dataDir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
  log: (message) => {
    console.log(message);
  },
});
await database.close();
console.log('migrations applied');
