import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bossDatabase, bossSchemaFor, type Database } from './database.js';
import { openTestDatabase, testBackends } from './testing.js';

describe.each(testBackends())('database on %s', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('runs parameterised queries and reports its kind', async () => {
    const { rows } = await db.query<{ n: number; s: string }>('SELECT $1::int + 1 AS n, $2::text AS s', [
      41,
      'x',
    ]);

    expect(rows).toEqual([{ n: 42, s: 'x' }]);
    expect(db.kind).toBe(backend);
  });

  it('commits a transaction when its function resolves', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO deliveries (delivery_id, event) VALUES ('tx-commit', 'push')");
      const { rows } = await tx.query('SELECT event FROM deliveries WHERE delivery_id = $1', ['tx-commit']);
      return rows;
    });

    expect(result).toEqual([{ event: 'push' }]);
    const { rows } = await db.query('SELECT event FROM deliveries WHERE delivery_id = $1', ['tx-commit']);
    expect(rows).toEqual([{ event: 'push' }]);
  });

  it('rolls a transaction back when its function throws, and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO deliveries (delivery_id, event) VALUES ('tx-rollback', 'push')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO deliveries (delivery_id, event) VALUES ('tx-failed-sql', 'push')");
        await tx.query('SELECT * FROM no_such_table');
      }),
    ).rejects.toThrow('no_such_table');

    const { rows } = await db.query(
      "SELECT delivery_id FROM deliveries WHERE delivery_id IN ('tx-rollback', 'tx-failed-sql')",
    );
    expect(rows).toEqual([]);
  });

  it('isolates a transaction: others see its rows only after commit', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });

    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO deliveries (delivery_id, event) VALUES ('tx-isolated', 'push')");
      inserted();
      await held;
    });
    await insertDone;
    // PGlite has one connection: this read waits for the transaction; PostgreSQL reads the committed state.
    const during = db.query("SELECT delivery_id FROM deliveries WHERE delivery_id = 'tx-isolated'");
    if (backend === 'postgres') expect((await during).rows).toEqual([]);
    release();
    await transaction;

    if (backend === 'pglite') expect((await during).rows).toEqual([{ delivery_id: 'tx-isolated' }]);
    const { rows } = await db.query("SELECT delivery_id FROM deliveries WHERE delivery_id = 'tx-isolated'");
    expect(rows).toEqual([{ delivery_id: 'tx-isolated' }]);
  });

  it('gives pg-boss the same database in its own schema', () => {
    const connection = bossDatabase(db);

    expect(connection.schema).toBe(bossSchemaFor(db.schema));
    if (backend === 'pglite') {
      expect(connection.backend).toBe('pglite');
      expect(typeof connection.db?.executeSql).toBe('function');
    } else {
      expect(connection.connectionString).toBe(process.env['DATABASE_URL']);
      expect(connection.db).toBeUndefined();
    }
  });
});

describe('bossDatabase', () => {
  it('refuses an object that openDatabase did not make', () => {
    const fake = { kind: 'pglite', schema: 'public' } as unknown as Database;

    expect(() => bossDatabase(fake)).toThrow('bossDatabase needs a Database from openDatabase');
    expect(bossSchemaFor('public')).toBe('pgboss');
    expect(bossSchemaFor('test_1')).toBe('test_1_pgboss');
  });
});

describe('openTestDatabase', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fails, naming the fix, when DATABASE_URL points at a server that is not running', async () => {
    vi.stubEnv('DATABASE_URL', 'postgresql://root:hunter2@127.0.0.1:9/keywarden_test');

    const opening = openTestDatabase('postgres');

    await expect(opening).rejects.toThrow(/unreachable.*pg_ctlcluster 15 main start/);
    await expect(opening).rejects.toThrow('postgresql://root:***@127.0.0.1:9/keywarden_test');
  });
});
