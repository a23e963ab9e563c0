import type { Probot } from 'probot';
import type { KeywardenOptions } from '../../src/index.js';
import { keywarden } from '../../src/index.js';
import { bossSchemaFor, type Database } from '../../src/inventory/database.js';
import { type Backend, openTestDatabase } from '../../src/inventory/testing.js';
import { type Queue, startQueue } from '../../src/queue/boss.js';
import { captureLog, testProbot } from './github.js';

/** The fingerprint key of app tests (the server's key, not the CLI default). */
export const TEST_FINGERPRINT_KEY = 'keywarden-test-fingerprint-key';

export interface TestApp {
  probot: Probot;
  db: Database;
  queue: Queue;
  logs: () => string[];
  /**
   * Delivers a webhook the way Probot's server does, then waits until every job it caused is done; counts
   * the jobs this delivery completed and failed for good.
   */
  deliver(name: string, payload: unknown, id: string): Promise<{ completed: number; failed: number }>;
  close(): Promise<void>;
}

/**
 * keywarden loaded in a test Probot, on a fresh database of `backend`, with a queue that polls quickly and
 * retries after a second (instead of 30 s).
 */
export async function startTestApp(
  backend: Backend,
  options: { providers?: KeywardenOptions['providers'] } = {},
): Promise<TestApp> {
  const db = await openTestDatabase(backend);
  const log = captureLog('debug');
  const queue = await startQueue(db, {
    pollSeconds: 0.5,
    retry: { limit: 2, delaySeconds: 1, backoff: false },
    log: log.logger,
  });
  const probot = testProbot({ log: log.logger });
  await probot.load(
    keywarden({
      db,
      queue,
      fingerprintKey: TEST_FINGERPRINT_KEY,
      routes: false,
      ...(options.providers ? { providers: options.providers } : {}),
    }),
  );
  return {
    probot,
    db,
    queue,
    logs: log.lines,
    async deliver(name, payload, id) {
      const before = await queue.drain({ timeoutSeconds: 60 });
      await probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
      const after = await queue.drain({ timeoutSeconds: 60 });
      return { completed: after.completed - before.completed, failed: after.failed - before.failed };
    },
    async close() {
      await queue.stop();
      await db.close();
    },
  };
}

/**
 * Every value of every row of every table of this database (the inventory's schema and pg-boss's), as
 * text: for proving a raw secret is not stored anywhere.
 */
export async function databaseDump(db: Database): Promise<string> {
  const { rows: current } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
  const schema = current[0]!.schema;
  const { rows: tables } = await db.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
    [[schema, bossSchemaFor(schema)]],
  );
  const dumps: string[] = [];
  for (const { table_schema, table_name } of tables) {
    const { rows } = await db.query(`SELECT * FROM "${table_schema}"."${table_name}"`);
    dumps.push(`${table_schema}.${table_name}: ${JSON.stringify(rows)}`);
  }
  return dumps.join('\n');
}
