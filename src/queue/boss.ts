import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Db,
  type Job,
  type JobResult,
  type JobWithMetadata,
  PgBoss,
  type Queue as QueueConfig,
} from 'pg-boss';
import { bossDatabase, bossSchemaFor, type Database, type Queryable } from '../inventory/database.js';
import { recordDeadLetter } from '../inventory/store.js';
import { errorMessage, RetryableError } from './errors.js';
import { JOB_NAMES, type JobName } from './jobs.js';

/**
 * The job queue: pg-boss 12 on the inventory's own database (PGlite through `fromPglite`, or PostgreSQL).
 *
 * - Job queues use pg-boss's `exclusive` policy: at most one job per singleton key is queued, in retry
 *   or active at a time, so a second `send` with the key of a job still waiting or running returns
 *   `null`. Once that job has completed (or failed for good), the key is free again (a rescan).
 * - Each job queue has a dead-letter queue (`<name>.dead-letter`) whose worker calls `recordDeadLetter`.
 * - Workers fetch in batches, keep fetching while batches come back full (`burstWhenBatchFull`) and
 *   otherwise poll every `pollSeconds`, also when LISTEN/NOTIFY is active: pg-boss's notify backstop
 *   defaults to 30 s, which would drain a backlog that predates `work()` one batch per 30 s.
 */
export interface Queue {
  /**
   * Enqueues a job; resolves to its id, or `null` when a job with the same `singletonKey` is already
   * queued or running. Without a key the job is never deduplicated. With `tx` the job is written in that
   * inventory transaction and exists only if it commits.
   */
  send(name: JobName, payload: unknown, options?: SendOptions): Promise<string | null>;
  /**
   * Runs `handler` for each job of `name`. The handler parses its payload itself. It resolves: the job is
   * complete. It throws `RetryableError`: pg-boss retries with backoff, then dead-letters. It throws
   * anything else: a dead letter is recorded at once and the job completes (no retry).
   */
  work(name: JobName, handler: JobHandler): Promise<void>;
  /**
   * Sends `name` on a cron schedule (5 fields, UTC; `keywarden serve` schedules `escalate-overdue` every
   * five minutes). Idempotent: the schedule is one row per name in pg-boss's table, replaced on each
   * call, so every replica may call it at start. At most one job per occurrence is sent whatever the number of
   * processes, and, with the exclusive policy, none while the previous one is still queued or running.
   * Only processes started with `schedules: true` run pg-boss's clock; a schedule written elsewhere fires
   * as long as one such process is up.
   */
  schedule(name: JobName, cron: string, payload?: object): Promise<void>;
  /**
   * Waits until no job of `JOB_NAMES` (or their dead-letter queues) is queued, in retry or running, in any
   * process on this database; rejects after `timeoutSeconds` (default 900, enough for the retry backoff).
   * Resolves to what this process's workers did meanwhile and before: jobs completed, and jobs failed
   * for good (dead-lettered). For `keywarden replay` and tests.
   */
  drain(options?: { timeoutSeconds?: number }): Promise<DrainResult>;
  /**
   * Stops fetching, waits for running handlers (up to 30 s) and closes pg-boss's own connections. Call it
   * before `db.close()`: on PGlite the queue runs on the database's connection.
   */
  stop(): Promise<void>;
}

export interface DrainResult {
  completed: number;
  failed: number;
}

export interface SendOptions {
  singletonKey?: string;
  startAfterSeconds?: number;
  /** An open inventory transaction to write the job in (`db.transaction(tx => …)`). */
  tx?: Queryable;
}

export type JobHandler = (
  payload: unknown,
  /** `retryLimit`: how many retries the queue allows after the first attempt. */
  meta: { id: string; retryCount: number; retryLimit: number; signal: AbortSignal },
) => Promise<void>;

/** A pino-shaped logger (Probot's `app.log` fits). */
export interface QueueLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** Delay before the first retry, in seconds; doubled (with jitter) per retry when `backoff`. */
  delaySeconds: number;
  backoff: boolean;
  /** Upper bound of a backed-off delay, in seconds. */
  maxDelaySeconds: number;
}

/**
 * Five retries, 30 s doubling to at most 10 min (about 15 min in all): enough to ride out a GitHub
 * incident or a secondary rate limit, which asks for at least a minute between retries.
 */
export const DEFAULT_RETRY: RetryPolicy = { limit: 5, delaySeconds: 30, backoff: true, maxDelaySeconds: 600 };

export interface StartQueueOptions {
  /** Idle polling interval in seconds (>= 0.5), with or without LISTEN/NOTIFY. Default 1. */
  pollSeconds?: number;
  /** Jobs a worker fetches and runs at once. Default 5. */
  batchSize?: number;
  /** Overrides of {@link DEFAULT_RETRY} (tests shorten the delays). */
  retry?: Partial<RetryPolicy>;
  log?: QueueLog;
  /**
   * Run pg-boss's scheduler (its clock and cron passes) in this process, so that `schedule()`d jobs are
   * sent. Default false: tests, `replay` and the CLI never fire scheduled jobs. `keywarden serve` turns it on.
   */
  schedules?: boolean;
}

/** The dead-letter queue of a job queue. */
export function deadLetterQueue(name: JobName): string {
  return `${name}.dead-letter`;
}

/** The pg-boss settings of a job queue and of its dead-letter queue. */
export function queueConfigs(
  name: JobName,
  retry: RetryPolicy,
): { queue: Omit<QueueConfig, 'name'>; deadLetter: Omit<QueueConfig, 'name'> } {
  const retrySettings = {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds,
    retryBackoff: retry.backoff,
    // pg-boss accepts a maximum delay only with backoff.
    ...(retry.backoff ? { retryDelayMax: retry.maxDelaySeconds } : {}),
    notify: true,
  };
  return {
    queue: { policy: 'exclusive', deadLetter: deadLetterQueue(name), ...retrySettings },
    deadLetter: { policy: 'standard', ...retrySettings },
  };
}

const stderrLog: QueueLog = {
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

/** pg-boss's per-call `db` for an inventory transaction. */
function transactionDatabase(tx: Queryable): Db {
  return { executeSql: (text, values) => tx.query(text, values) };
}

function assertJobName(name: string): asserts name is JobName {
  if (!(JOB_NAMES as readonly string[]).includes(name)) throw new Error(`unknown job name: ${name}`);
}

/**
 * Starts pg-boss on `db`'s database (installing or migrating its schema), creates the job queues of
 * `JOB_NAMES` and their dead-letter queues (idempotent, safe from several processes at once) and starts
 * the dead-letter workers.
 *
 * @example
 * const queue = await startQueue(db, { log: app.log });
 * await queue.work('scan-push', (payload) => scanPush(deps, ScanPushJob.parse(payload)));
 * await queue.send('scan-push', job, { singletonKey: scanKey('scan-push', repoId, after) });
 */
export async function startQueue(db: Database, options: StartQueueOptions = {}): Promise<Queue> {
  const pollSeconds = options.pollSeconds ?? 1;
  const batchSize = options.batchSize ?? 5;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const log = options.log ?? stderrLog;
  const polling = {
    pollingIntervalSeconds: pollSeconds,
    notifyPollingIntervalSeconds: pollSeconds,
    batchSize,
    burstWhenBatchFull: batchSize > 1,
  };

  const outcomes: DrainResult = { completed: 0, failed: 0 };
  const boss = new PgBoss({
    ...bossDatabase(db),
    useListenNotify: true,
    schedule: options.schedules === true,
  });
  boss.on('error', (error) => log.error({ error: errorMessage(error) }, 'queue error'));
  boss.on('warning', (warning) =>
    log.warn({ warning: warning.message, data: warning.data }, 'queue warning'),
  );
  await boss.start();

  try {
    for (const name of JOB_NAMES) {
      const configs = queueConfigs(name, retry);
      await ensureQueue(boss, deadLetterQueue(name), configs.deadLetter);
      await ensureQueue(boss, name, configs.queue);
      await boss.work<object, unknown, { includeMetadata: true } & typeof polling>(
        deadLetterQueue(name),
        { ...polling, includeMetadata: true },
        (jobs) => recordExhausted(db, log, name, jobs, outcomes),
      );
    }
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }

  return {
    async send(name, payload, sendOptions = {}) {
      assertJobName(name);
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        throw new TypeError(`job payload for ${name} must be an object`);
      }
      return boss.send(name, payload, {
        // The exclusive policy allows one keyless job at a time; a fresh key means "no deduplication".
        singletonKey: sendOptions.singletonKey ?? randomUUID(),
        ...(sendOptions.startAfterSeconds ? { startAfter: sendOptions.startAfterSeconds } : {}),
        ...(sendOptions.tx ? { db: transactionDatabase(sendOptions.tx) } : {}),
      });
    },

    async work(name, handler) {
      assertJobName(name);
      await boss.work<object, unknown, { perJobResults: true } & typeof polling>(
        name,
        { ...polling, perJobResults: true },
        (jobs) => Promise.all(jobs.map((job) => runJob(db, log, name, job, handler, outcomes, retry.limit))),
      );
    },

    async schedule(name, cron, payload = {}) {
      assertJobName(name);
      // One key per name: the exclusive policy then keeps at most one of these jobs queued or running.
      await boss.schedule(name, cron, payload, { tz: 'UTC', singletonKey: `schedule:${name}` });
    },

    async drain({ timeoutSeconds = 900 } = {}) {
      const names = JOB_NAMES.flatMap((name) => [name, deadLetterQueue(name)]);
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const { rows } = await db.query<{ pending: unknown }>(
          `SELECT count(*) AS pending FROM "${bossSchemaFor(db.schema)}".job
            WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active')`,
          [names],
        );
        const pending = Number(rows[0]?.pending);
        if (pending === 0) return { ...outcomes };
        if (Date.now() > deadline)
          throw new Error(`queue not drained after ${timeoutSeconds} s: ${pending} job(s) pending`);
        await sleep(Math.min(pollSeconds, 1) * 500);
      }
    },

    async stop() {
      await boss.stop({ graceful: true, timeout: 30_000 });
    },
  };
}

/** Creates a queue if missing (pg-boss: `ON CONFLICT DO NOTHING` under an advisory lock), then syncs its settings. */
async function ensureQueue(boss: PgBoss, name: string, config: Omit<QueueConfig, 'name'>): Promise<void> {
  await boss.createQueue(name, config);
  const existing = await boss.getQueue(name);
  if (existing?.policy !== config.policy) {
    throw new Error(
      `queue ${name} has policy ${existing?.policy}, expected ${config.policy}: drop it to recreate`,
    );
  }
  const { policy: _policy, ...settings } = config;
  await boss.updateQueue(name, { ...settings, retryDelayMax: settings.retryDelayMax ?? null });
}

async function runJob(
  db: Database,
  log: QueueLog,
  name: JobName,
  job: Job<object>,
  handler: JobHandler,
  outcomes: DrainResult,
  retryLimit: number,
): Promise<JobResult> {
  const meta = { id: job.id, retryCount: job.retryCount, retryLimit, signal: job.signal };
  try {
    await handler(job.data, meta);
    outcomes.completed++;
    return { id: job.id, status: 'completed' };
  } catch (error) {
    const message = errorMessage(error);
    if (error instanceof RetryableError) {
      log.warn(
        { job: name, jobId: job.id, retryCount: job.retryCount, error: message },
        'job failed, will retry',
      );
      return { id: job.id, status: 'failed', output: { error: message } };
    }
    try {
      await recordDeadLetter(db, { name, id: job.id, payload: job.data, error: message });
    } catch (recordError) {
      // Failing the job keeps it: pg-boss retries it, and dead-letters it when retries run out.
      log.error(
        { job: name, jobId: job.id, error: message, recordError: errorMessage(recordError) },
        'dead letter not recorded',
      );
      return { id: job.id, status: 'failed', output: { error: message } };
    }
    outcomes.failed++;
    log.error({ job: name, jobId: job.id, error: message }, 'job failed, dead-lettered without retry');
    return { id: job.id, status: 'completed', output: { deadLettered: true, error: message } };
  }
}

/** The dead-letter worker: records each job that pg-boss moved here after its retries ran out. */
async function recordExhausted(
  db: Database,
  log: QueueLog,
  name: JobName,
  jobs: JobWithMetadata<object>[],
  outcomes: DrainResult,
): Promise<void> {
  for (const job of jobs) {
    const error = outputError(job.sourceOutput) ?? 'retries exhausted';
    const id = job.sourceId ?? job.id;
    await recordDeadLetter(db, { name: job.sourceName ?? name, id, payload: job.data, error });
    outcomes.failed++;
    log.error(
      { job: name, jobId: id, retries: job.sourceRetryCount, error },
      'job failed after retries, dead-lettered',
    );
  }
}

function outputError(output: object | null): string | undefined {
  if (!output) return undefined;
  const value =
    (output as { error?: unknown; message?: unknown }).error ?? (output as { message?: unknown }).message;
  return typeof value === 'string' ? value : undefined;
}
