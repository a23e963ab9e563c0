import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** One schema change: `migrations/NNN-name.sql`, applied once, in version order. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * What `migrate` needs: a connection inside an open transaction. `exec` runs a multi-statement SQL
 * file (PGlite's `exec`, node-postgres's simple query protocol).
 */
export interface MigrationConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  exec(sql: string): Promise<unknown>;
}

const FILE_NAME = /^(\d{3})-([a-z0-9-]{1,60})\.sql$/;

/**
 * The folder holding the SQL files: beside this module (src/, or dist/ when the build copies them),
 * else the source folder (a dist/ built without the copy step, inside the repository).
 */
function migrationsFolder(): string {
  const candidates = [
    new URL('./migrations/', import.meta.url),
    new URL('../../src/inventory/migrations/', import.meta.url),
  ];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `inventory migrations not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')}): the build must copy src/inventory/migrations`,
  );
}

/** Reads `NNN-name.sql` files from `folder`, sorted by version; rejects duplicate versions and stray files. */
export async function loadMigrations(folder: string = migrationsFolder()): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for (const file of (await readdir(folder)).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`unexpected file in migrations folder: ${file} (expected NNN-name.sql)`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version))
      throw new Error(`duplicate migration version ${version}`);
    migrations.push({ version, name: match[2]!, sql: await readFile(`${folder}/${file}`, 'utf8') });
  }
  return migrations;
}

/** A schema name safe to interpolate into SQL: lower-case identifier characters only. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema))
    throw new Error(`invalid schema name: ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * Applies the migrations not yet recorded in `<schema>.schema_migrations`, inside the caller's
 * transaction. A transaction-scoped advisory lock keyed by the schema makes concurrent callers
 * (several processes opening one PostgreSQL database at once) wait for each other: the first applies,
 * the others find everything applied. Returns the versions applied by this call.
 */
export async function migrate(
  conn: MigrationConnection,
  schema: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  assertSchemaName(schema);
  await conn.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`keywarden.migrate.${schema}`]);
  await conn.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await conn.exec(
    `CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  const { rows } = await conn.query(`SELECT version FROM "${schema}".schema_migrations`);
  const applied = new Set(rows.map((row) => Number(row['version'])));
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await conn.exec(`SET LOCAL search_path TO "${schema}"`);
    await conn.exec(migration.sql);
    await conn.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    done.push(migration.version);
  }
  return done;
}
