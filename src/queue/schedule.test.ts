import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bossSchemaFor, type Database } from '../inventory/database.js';
import { openTestDatabase, testBackends } from '../inventory/testing.js';
import { type Queue, startQueue } from './boss.js';
import type { JobName } from './jobs.js';

describe.each(testBackends())('queue schedules on %s', (backend) => {
  let db: Database;
  let queues: Queue[];

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    const quiet = { warn: () => undefined, error: () => undefined };
    // Two processes, as two replicas of `keywarden serve` would be: each schedules at start.
    queues = [
      await startQueue(db, { pollSeconds: 0.5, schedules: true, log: quiet }),
      await startQueue(db, { pollSeconds: 0.5, schedules: true, log: quiet }),
    ];
  });

  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    await db.close();
  });

  async function schedules() {
    const { rows } = await db.query<{
      name: string;
      cron: string;
      timezone: string;
      data: unknown;
      options: unknown;
    }>(
      `SELECT name, cron, timezone, data, options FROM "${bossSchemaFor(db.schema)}".schedule ORDER BY name`,
    );
    return rows;
  }

  it('keeps one schedule per job name however many processes schedule it', async () => {
    await Promise.all(queues.map((queue) => queue.schedule('escalate-overdue', '*/5 * * * *')));
    await queues[0]!.schedule('escalate-overdue', '*/5 * * * *');

    expect(await schedules()).toEqual([
      {
        name: 'escalate-overdue',
        cron: '*/5 * * * *',
        timezone: 'UTC',
        data: {},
        options: expect.objectContaining({ tz: 'UTC', singletonKey: 'schedule:escalate-overdue' }),
      },
    ]);
  });

  it('refuses an unknown job name and an invalid cron expression', async () => {
    await expect(queues[0]!.schedule('nope' as JobName, '* * * * *')).rejects.toThrow(
      'unknown job name: nope',
    );
    await expect(queues[0]!.schedule('escalate-overdue', 'every five minutes')).rejects.toThrow();
  });
});
