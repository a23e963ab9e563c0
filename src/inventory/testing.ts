import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bossSchemaFor, type Database, openDatabase } from './database.js';

/**
 * Test support: the database backends a test suite runs on. PGlite always; PostgreSQL too when
 * `DATABASE_URL` is set (`.ci/run` starts the machine's server and sets it).
 *
 * @example
 * describe.each(testBackends())('store on %s', (backend) => {
 *   let db: Database;
 *   beforeAll(async () => { db = await openTestDatabase(backend); });
 *   afterAll(() => db.close());
 * });
 */
export type Backend = 'pglite' | 'postgres';

export function testBackends(): Backend[] {
  return process.env['DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];
}

/** `url` without its password, for messages. */
function displayUrl(url: string): string {
  return url.replace(/\/\/([^:/@]{1,200}):[^@/]{1,200}@/, '//$1:***@');
}

/**
 * Opens a fresh database on `backend`: an in-memory PGlite, or a new schema (and pg-boss schema) of its
 * own on the `DATABASE_URL` server, dropped again by `close()`, so test files running in parallel never
 * see each other's rows or steal each other's jobs. Fails (never skips) when the server is unreachable.
 */
export async function openTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') return openDatabase({});
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  await assertReachable(url);
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ url, schema });
  const closeDatabase = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      try {
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await db.query(`DROP SCHEMA IF EXISTS "${bossSchemaFor(schema)}" CASCADE`);
      } finally {
        await closeDatabase();
      }
    },
  });
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `DATABASE_URL is set but PostgreSQL at ${displayUrl(url)} is unreachable (${(error as Error).message}). ` +
        'Start it with `pg_ctlcluster 15 main start` (see .ci/run), or unset DATABASE_URL to test on PGlite only.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
