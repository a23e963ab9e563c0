import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.js';
import { assertSchemaName, loadMigrations } from './migrate.js';
import { openTestDatabase, testBackends } from './testing.js';

describe('loadMigrations', () => {
  it('reads the NNN-name.sql files in version order', async () => {
    const migrations = await loadMigrations();

    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'inventory'],
      [2, 'webhooks'],
      [3, 'remediation'],
      [4, 'announce-claims'],
      [5, 'secret-scanning-alerts'],
      [6, 'usage'],
    ]);
    expect(migrations[0]!.sql).toContain('CREATE TABLE credentials');
  });

  it('rejects stray files and duplicate versions', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'keywarden-migrations-'));
    try {
      await writeFile(join(folder, '001-a.sql'), 'SELECT 1;');
      await writeFile(join(folder, '001-b.sql'), 'SELECT 1;');
      await expect(loadMigrations(folder)).rejects.toThrow('duplicate migration version 1');
      await rm(join(folder, '001-b.sql'));
      await writeFile(join(folder, 'notes.txt'), '');
      await expect(loadMigrations(folder)).rejects.toThrow('unexpected file in migrations folder: notes.txt');
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it('accepts only plain lower-case schema names', () => {
    expect(assertSchemaName('test_ab12')).toBe('test_ab12');
    expect(() => assertSchemaName('x"; DROP TABLE credentials; --')).toThrow('invalid schema name');
    expect(() => assertSchemaName('Public')).toThrow('invalid schema name');
  });
});

describe('migrations on a PGlite data folder', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'keywarden-pglite-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('apply once, and keep the data when the folder is opened again', async () => {
    const first = await openDatabase({ dataDir: folder });
    await first.query("INSERT INTO deliveries (delivery_id, event) VALUES ('kept', 'push')");
    await first.close();

    const second = await openDatabase({ dataDir: folder });
    const { rows: applied } = await second.query(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    const { rows: kept } = await second.query('SELECT delivery_id FROM deliveries');
    await second.close();

    expect(applied).toEqual([
      { version: 1, name: 'inventory' },
      { version: 2, name: 'webhooks' },
      { version: 3, name: 'remediation' },
      { version: 4, name: 'announce-claims' },
      { version: 5, name: 'secret-scanning-alerts' },
      { version: 6, name: 'usage' },
    ]);
    expect(kept).toEqual([{ delivery_id: 'kept' }]);
  });
});

describe.each(testBackends().filter((backend) => backend === 'postgres'))('migrations on %s', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('apply once when several processes open the same schema at the same moment', async () => {
    const url = process.env['DATABASE_URL']!;
    const fresh = `${db.schema}_race`;

    const opening = await Promise.allSettled(
      Array.from({ length: 4 }, () => openDatabase({ url, schema: fresh })),
    );
    const opened = opening.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(opening.filter((result) => result.status === 'rejected')).toEqual([]);
      const { rows } = await db.query<{ version: number }>(
        `SELECT version FROM "${fresh}".schema_migrations ORDER BY version`,
      );
      expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await db.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
      await Promise.all(opened.map((each) => each.close()));
    }
  });
});
