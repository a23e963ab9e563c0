import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type ConstructorOptions, fromPglite } from 'pg-boss';
import { assertSchemaName, loadMigrations, type MigrationConnection, migrate } from './migrate.js';

/** Anything that runs one parameterised SQL statement: the database itself, or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * The inventory database: embedded PGlite (a data folder) or a PostgreSQL server, behind one interface.
 *
 * `transaction(fn)` runs `fn` in a real transaction (PostgreSQL: a dedicated pooled client; PGlite: its
 * transaction API) and commits when `fn` resolves, rolls back when it throws. Inside `fn`, use only `tx`:
 * on PGlite the transaction holds the single connection, so a `db.query` issued from inside `fn` waits for
 * the transaction to end, which never comes.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The PostgreSQL schema holding the inventory tables (`public` unless opened with another). */
  readonly schema: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string (`DATABASE_URL`). Absent: embedded PGlite. */
  url?: string;
  /** PGlite data folder (`KEYWARDEN_DATA_DIR`). Absent (and no `url`): in memory, for tests. */
  dataDir?: string;
  /** Schema for the inventory tables; pg-boss uses `<schema>_pgboss` (`pgboss` for `public`). Default `public`. */
  schema?: string;
  /** Size of the PostgreSQL connection pool. Default 10. */
  poolSize?: number;
  /** Called when an idle pooled connection fails (server restart); default: a process warning. */
  onPoolError?: (error: Error) => void;
}

/**
 * What pg-boss 12 is constructed with for a database: PGlite shares the instance through pg-boss's
 * `fromPglite` adapter; PostgreSQL gets pg-boss's own small pool on the same connection string, so pg-boss
 * keeps LISTEN/NOTIFY (a session-pinned connection with reconnects) and its own transactions.
 */
export type BossConnection = Pick<
  ConstructorOptions,
  'db' | 'backend' | 'connectionString' | 'max' | 'schema' | 'application_name'
>;

const BOSS = Symbol('keywarden.bossConnection');
const MIGRATE = Symbol('keywarden.migrate');

interface OpenedDatabase extends Database {
  readonly [BOSS]: BossConnection;
}

/**
 * Opens the inventory database and applies pending migrations (idempotent; safe when several processes
 * open one PostgreSQL database at once).
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: '.keywarden' });
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = assertSchemaName(options.schema ?? 'public');
  const migrations = await loadMigrations();
  const db = options.url
    ? openPostgres(options.url, schema, options)
    : await openPglite(options.dataDir, schema);
  try {
    await db[MIGRATE]((conn) => migrate(conn, schema, migrations));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/**
 * The pg-boss constructor options for `db`'s database (see {@link BossConnection}).
 *
 * Queue writes can join an inventory transaction on both backends: pass `tx` to `Queue.send` (it becomes
 * pg-boss's per-call `db` option), and the job exists only if the transaction commits.
 */
export function bossDatabase(db: Database): BossConnection {
  if (!(BOSS in db)) throw new Error('bossDatabase needs a Database from openDatabase');
  return (db as OpenedDatabase)[BOSS];
}

/** The schema pg-boss keeps its tables in, for a given inventory schema. */
export function bossSchemaFor(schema: string): string {
  return schema === 'public' ? 'pgboss' : `${schema}_pgboss`;
}

interface Migratable extends OpenedDatabase {
  [MIGRATE](run: (conn: MigrationConnection) => Promise<unknown>): Promise<void>;
}

async function openPglite(dataDir: string | undefined, schema: string): Promise<Migratable> {
  const pglite = await PGlite.create(dataDir ? { dataDir } : {});
  if (schema !== 'public') await pglite.exec(`SET search_path TO "${schema}"`);
  return {
    kind: 'pglite',
    schema,
    [BOSS]: { db: fromPglite(pglite), backend: 'pglite', schema: bossSchemaFor(schema) },
    async query<T>(sql: string, params?: unknown[]) {
      const { rows } = await pglite.query<T>(sql, params);
      return { rows };
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            const { rows } = await tx.query<R>(sql, params);
            return { rows };
          },
        }),
      );
    },
    async [MIGRATE](run) {
      await pglite.transaction((tx) =>
        run({
          query: (sql, params) => tx.query<Record<string, unknown>>(sql, params),
          exec: (sql) => tx.exec(sql),
        }),
      );
    },
    close: () => pglite.close(),
  };
}

function openPostgres(url: string, schema: string, options: OpenDatabaseOptions): Migratable {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'keywarden',
    ...(schema === 'public' ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', options.onPoolError ?? ((error) => process.emitWarning(error)));

  async function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        // A connection that cannot roll back is not handed out again.
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    kind: 'postgres',
    schema,
    [BOSS]: {
      connectionString: url,
      max: 4,
      schema: bossSchemaFor(schema),
      application_name: 'keywarden-queue',
    },
    async query<T>(sql: string, params?: unknown[]) {
      const { rows } = await pool.query(sql, params);
      return { rows: rows as T[] };
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return inTransaction((client) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            const { rows } = await client.query(sql, params);
            return { rows: rows as R[] };
          },
        }),
      );
    },
    async [MIGRATE](run) {
      await inTransaction((client) =>
        run({
          query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }),
          exec: (sql) => client.query(sql),
        }),
      );
    },
    close: () => pool.end(),
  };
}
