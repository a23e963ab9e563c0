import type { Logger } from 'pino';
import type { Database } from '../inventory/database.js';
import { claimDelivery } from '../inventory/store.js';
import type { Queue } from '../queue/boss.js';
import type { JobName } from '../queue/jobs.js';

/** What webhook handlers need: the database (to claim deliveries) and the queue. */
export interface AppDeps {
  db: Database;
  queue: Queue;
  log: Logger;
}

/**
 * Claims the delivery and enqueues the job in one transaction: a redelivered webhook (same
 * `X-GitHub-Delivery`) changes nothing, and a delivery is never claimed without its job (if enqueueing
 * fails, both roll back and GitHub sees a 500, so the delivery can be redelivered). The singleton key
 * keeps one job per commit while it is waiting or running.
 */
export async function enqueueOnce(
  deps: AppDeps,
  context: { id: string; name: string; log: Logger },
  name: JobName,
  payload: object,
  singletonKey: string,
): Promise<void> {
  const outcome = await deps.db.transaction(async (tx) => {
    if (!(await claimDelivery(tx, context.id, context.name))) return 'duplicate' as const;
    return deps.queue.send(name, payload, { singletonKey, tx });
  });
  if (outcome === 'duplicate') {
    context.log.info({ delivery: context.id, event: context.name }, 'duplicate delivery ignored');
    return;
  }
  context.log.info({ delivery: context.id, job: name, jobId: outcome, singletonKey }, 'job enqueued');
}
