import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bossSchemaFor, type Database, openDatabase } from '../inventory/database.js';
import { claimDelivery } from '../inventory/store.js';
import { openTestDatabase, testBackends } from '../inventory/testing.js';
import {
  DEFAULT_RETRY,
  deadLetterQueue,
  type Queue,
  queueConfigs,
  type StartQueueOptions,
  startQueue,
} from './boss.js';
import { RetryableError } from './errors.js';
import { JOB_NAMES } from './jobs.js';

interface LogEntry {
  level: 'warn' | 'error';
  msg: string;
  obj: object;
}

/** A promise with its resolve function, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('queueConfigs', () => {
  it('makes job queues exclusive with five backed-off retries and a dead-letter queue', () => {
    const configs = queueConfigs('scan-push', DEFAULT_RETRY);

    expect(configs).toEqual({
      queue: {
        policy: 'exclusive',
        deadLetter: 'scan-push.dead-letter',
        retryLimit: 5,
        retryDelay: 30,
        retryBackoff: true,
        retryDelayMax: 600,
        notify: true,
      },
      deadLetter: {
        policy: 'standard',
        retryLimit: 5,
        retryDelay: 30,
        retryBackoff: true,
        retryDelayMax: 600,
        notify: true,
      },
    });
  });
});

describe.each(testBackends())('queue on %s', (backend) => {
  let db: Database;
  let started: Queue[] = [];
  let logs: LogEntry[] = [];

  async function start(options: StartQueueOptions = {}): Promise<Queue> {
    const queue = await startQueue(db, {
      pollSeconds: 0.5,
      retry: { delaySeconds: 0, backoff: false },
      log: {
        warn: (obj, msg) => logs.push({ level: 'warn', msg, obj }),
        error: (obj, msg) => logs.push({ level: 'error', msg, obj }),
      },
      ...options,
    });
    started.push(queue);
    return queue;
  }

  async function jobState(id: string): Promise<string | undefined> {
    const { rows } = await db.query<{ state: string }>(
      `SELECT state FROM "${bossSchemaFor(db.schema)}".job WHERE id = $1`,
      [id],
    );
    return rows[0]?.state;
  }

  async function deadLetters() {
    const { rows } = await db.query('SELECT job_name, job_id, payload, error FROM dead_letters ORDER BY id');
    return rows;
  }

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterEach(async () => {
    await Promise.all(started.map((queue) => queue.stop()));
    started = [];
    logs = [];
    await db.query(`DELETE FROM "${bossSchemaFor(db.schema)}".job`);
    await db.query('DELETE FROM dead_letters');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('creates each job queue and its dead-letter queue with the configured policy and retries', async () => {
    await start({ retry: {} });

    const { rows } = await db.query(
      `SELECT name, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max, dead_letter, notify
         FROM "${bossSchemaFor(db.schema)}".queue ORDER BY name`,
    );
    const settings = {
      retry_limit: 5,
      retry_delay: 30,
      retry_backoff: true,
      retry_delay_max: 600,
      notify: true,
    };
    const expected = [...JOB_NAMES].sort().flatMap((name) => [
      { name, policy: 'exclusive', dead_letter: `${name}.dead-letter`, ...settings },
      { name: `${name}.dead-letter`, policy: 'standard', dead_letter: null, ...settings },
    ]);
    expect(rows).toEqual(expected);
  });

  it('returns null for a second send with the same key while the first is queued or running', async () => {
    const queue = await start();
    const running = gate();
    const release = gate();
    const handled: unknown[] = [];

    const first = await queue.send('scan-push', { n: 1 }, { singletonKey: 'scan-push:1:abc' });
    const whileQueued = await queue.send('scan-push', { n: 2 }, { singletonKey: 'scan-push:1:abc' });
    const otherQueue = await queue.send('scan-pull-request', { n: 3 }, { singletonKey: 'scan-push:1:abc' });
    await queue.work('scan-push', async (payload) => {
      handled.push(payload);
      running.open();
      await release.promise;
    });
    await queue.work('scan-pull-request', async (payload) => {
      handled.push(payload);
    });
    await running.promise;
    const whileActive = await queue.send('scan-push', { n: 4 }, { singletonKey: 'scan-push:1:abc' });
    release.open();
    const drainedOnce = await waitForState(first!, 'completed');
    const afterDone = await queue.send('scan-push', { n: 5 }, { singletonKey: 'scan-push:1:abc' });
    const keyless = [await queue.send('scan-push', { n: 6 }), await queue.send('scan-push', { n: 7 })];

    expect(first).toEqual(expect.any(String));
    expect(whileQueued).toBeNull();
    expect(otherQueue).toEqual(expect.any(String));
    expect(whileActive).toBeNull();
    expect(drainedOnce).toBe('completed');
    expect(afterDone).toEqual(expect.any(String));
    expect(keyless).toEqual([expect.any(String), expect.any(String)]);
    await queue.drain({ timeoutSeconds: 30 });
    expect(handled).toEqual(expect.arrayContaining([{ n: 1 }, { n: 3 }, { n: 5 }, { n: 6 }, { n: 7 }]));
    expect(handled).toHaveLength(5);
  });

  async function waitForState(id: string, state: string): Promise<string | undefined> {
    for (let i = 0; i < 200; i++) {
      const current = await jobState(id);
      if (current === state) return current;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return jobState(id);
  }

  it('drains a backlog queued before work() started', async () => {
    const queue = await start();
    const ids = [];
    for (let n = 0; n < 12; n++)
      ids.push(await queue.send('scan-push', { n }, { singletonKey: `backlog:${n}` }));
    const handled: number[] = [];

    await queue.work('scan-push', async (payload) => {
      handled.push((payload as { n: number }).n);
    });
    const result = await queue.drain({ timeoutSeconds: 30 });

    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(result).toEqual({ completed: 12, failed: 0 });
    expect(handled.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('retries a RetryableError five times, then records a dead letter', async () => {
    const queue = await start();
    const attempts: number[] = [];
    await queue.work('scan-push', async (_payload, meta) => {
      attempts.push(meta.retryCount);
      throw new RetryableError('GitHub answered 502');
    });

    const id = await queue.send('scan-push', { repo: 'octo-org/app' }, { singletonKey: 'retry:1' });
    const result = await queue.drain({ timeoutSeconds: 30 });

    expect(attempts).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result).toEqual({ completed: 0, failed: 1 });
    expect(await jobState(id!)).toBe('failed');
    expect(await deadLetters()).toEqual([
      {
        job_name: 'scan-push',
        job_id: id,
        payload: { repo: 'octo-org/app' },
        error: 'RetryableError: GitHub answered 502',
      },
    ]);
    expect(logs.filter((l) => l.msg === 'job failed, will retry')).toHaveLength(6);
    expect(logs.filter((l) => l.msg === 'job failed after retries, dead-lettered')).toEqual([
      {
        level: 'error',
        msg: 'job failed after retries, dead-lettered',
        obj: { job: 'scan-push', jobId: id, retries: 5, error: 'RetryableError: GitHub answered 502' },
      },
    ]);
  });

  it('completes a job that succeeds on a retry, without a dead letter', async () => {
    const queue = await start();
    const attempts: number[] = [];
    await queue.work('scan-pull-request', async (_payload, meta) => {
      attempts.push(meta.retryCount);
      if (meta.retryCount === 0) throw new RetryableError('timeout');
    });

    const id = await queue.send('scan-pull-request', { number: 1 }, { singletonKey: 'flaky:1' });
    const result = await queue.drain({ timeoutSeconds: 30 });

    expect(attempts).toEqual([0, 1]);
    expect(result).toEqual({ completed: 1, failed: 0 });
    expect(await jobState(id!)).toBe('completed');
    expect(await deadLetters()).toEqual([]);
  });

  it('records any other error as a dead letter at once and completes the job without retry', async () => {
    const queue = await start({ retry: {} });
    const attempts: number[] = [];
    await queue.work('scan-push', async (_payload, meta) => {
      attempts.push(meta.retryCount);
      throw new TypeError('payload.after must be a sha');
    });

    const id = await queue.send('scan-push', { after: 'nope' }, { singletonKey: 'bad:1' });
    const result = await queue.drain({ timeoutSeconds: 30 });

    expect(attempts).toEqual([0]);
    expect(result).toEqual({ completed: 0, failed: 1 });
    expect(await jobState(id!)).toBe('completed');
    expect(await deadLetters()).toEqual([
      {
        job_name: 'scan-push',
        job_id: id,
        payload: { after: 'nope' },
        error: 'TypeError: payload.after must be a sha',
      },
    ]);
    expect(logs.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        msg: 'job failed, dead-lettered without retry',
        obj: { job: 'scan-push', jobId: id, error: 'TypeError: payload.after must be a sha' },
      },
    ]);
  });

  it('writes a job inside an inventory transaction: kept on commit, gone on rollback', async () => {
    const queue = await start();
    const count = async (key: string) => {
      const { rows } = await db.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM "${bossSchemaFor(db.schema)}".job WHERE singleton_key = $1`,
        [key],
      );
      return Number(rows[0]!.n);
    };

    await expect(
      db.transaction(async (tx) => {
        await claimDelivery(tx, `tx-rollback-${backend}`, 'push');
        await queue.send('scan-push', { n: 1 }, { singletonKey: 'tx:rollback', tx });
        throw new Error('webhook handler failed');
      }),
    ).rejects.toThrow('webhook handler failed');
    const committedId = await db.transaction(async (tx) => {
      if (!(await claimDelivery(tx, `tx-commit-${backend}`, 'push'))) return null;
      return queue.send('scan-push', { n: 2 }, { singletonKey: 'tx:commit', tx });
    });

    expect(await count('tx:rollback')).toBe(0);
    expect(await claimDelivery(db, `tx-rollback-${backend}`, 'push')).toBe(true);
    expect(committedId).toEqual(expect.any(String));
    expect(await count('tx:commit')).toBe(1);
    expect(await claimDelivery(db, `tx-commit-${backend}`, 'push')).toBe(false);
  });

  it('lets several queues on one database start together, share the work and the keys', async () => {
    const queues = await Promise.all([start(), start(), start()]);
    const handledBy: Array<[number, number]> = [];
    // Job 0 stays active until every duplicate was sent: a completed job frees its key (a rescan).
    const duplicatesSent = gate();
    await Promise.all(
      queues.map((queue, instance) =>
        queue.work('scan-push', async (payload) => {
          const { n } = payload as { n: number };
          if (n === 0) await duplicatesSent.promise;
          handledBy.push([instance, n]);
        }),
      ),
    );

    const duplicates = await Promise.all(
      queues.map((queue) => queue.send('scan-push', { n: 0 }, { singletonKey: 'shared:0' })),
    );
    duplicatesSent.open();
    for (let n = 1; n < 10; n++)
      await queues[n % 3]!.send('scan-push', { n }, { singletonKey: `shared:${n}` });
    const results = await Promise.all(queues.map((queue) => queue.drain({ timeoutSeconds: 30 })));

    expect(duplicates.filter((id) => id !== null)).toHaveLength(1);
    expect(results.reduce((sum, r) => sum + r.completed, 0)).toBe(10);
    expect(handledBy.map(([, n]) => n).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('waits for a running handler when stopped', async () => {
    const queue = await start();
    const running = gate();
    let finished = false;
    await queue.work('scan-push', async () => {
      running.open();
      await new Promise((resolve) => setTimeout(resolve, 300));
      finished = true;
    });
    const id = await queue.send('scan-push', { n: 1 }, { singletonKey: 'stop:1' });
    await running.promise;

    await queue.stop();

    expect(finished).toBe(true);
    expect(await jobState(id!)).toBe('completed');
  });

  it('rejects unknown job names and payloads that are not objects', async () => {
    const queue = await start();

    await expect(queue.send('scan-everything' as never, {})).rejects.toThrow(
      'unknown job name: scan-everything',
    );
    await expect(queue.send('scan-push', [1, 2])).rejects.toThrow(
      'job payload for scan-push must be an object',
    );
    await expect(queue.work('nope' as never, async () => undefined)).rejects.toThrow(
      'unknown job name: nope',
    );
    expect(deadLetterQueue('scan-push')).toBe('scan-push.dead-letter');
  });
});

describe.each(testBackends().filter((backend) => backend === 'postgres'))(
  'queue install on %s',
  (backend) => {
    let db: Database;

    beforeAll(async () => {
      db = await openTestDatabase(backend);
    });

    afterAll(async () => {
      await db?.close();
    });

    it('installs once when several processes start on a fresh database at the same moment', async () => {
      const url = process.env['DATABASE_URL']!;
      const schema = `${db.schema}_fresh`;
      const opening = await Promise.allSettled(
        Array.from({ length: 3 }, () => openDatabase({ url, schema })),
      );
      const databases = opening.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      try {
        expect(opening.filter((result) => result.status === 'rejected')).toEqual([]);
        const queues = await Promise.all(databases.map((each) => startQueue(each, { pollSeconds: 0.5 })));
        const ids = await Promise.all(
          queues.map((queue) => queue.send('scan-push', { n: 1 }, { singletonKey: 'fresh' })),
        );
        await Promise.all(queues.map((queue) => queue.stop()));

        const { rows } = await db.query(`SELECT name FROM "${bossSchemaFor(schema)}".queue ORDER BY name`);
        expect(rows.map((row) => row['name'])).toEqual(
          [...JOB_NAMES].sort().flatMap((name) => [name, `${name}.dead-letter`]),
        );
        expect(ids.filter((id) => id !== null)).toHaveLength(1);
      } finally {
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await db.query(`DROP SCHEMA IF EXISTS "${bossSchemaFor(schema)}" CASCADE`);
        await Promise.all(databases.map((each) => each.close()));
      }
    });
  },
);
