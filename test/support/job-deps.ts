import type { Probot } from 'probot';
import type { Database } from '../../src/inventory/database.js';
import type { JobDeps } from '../../src/jobs/deps.js';
import { createProviderHttp } from '../../src/providers/http.js';
import type { ProviderContext } from '../../src/providers/types.js';
import type { Queue } from '../../src/queue/boss.js';

/**
 * The dependencies of a scheduled job (SLA escalation, usage check) run directly in a test: the real
 * database, Octokits from a test Probot (GitHub mocked by the test), and a queue that fails the test if
 * the job touches it.
 */

/** A queue the job must never touch. */
export const unusedQueue: Queue = {
  send: () => Promise.reject(new Error('the job enqueues nothing')),
  work: () => Promise.reject(new Error('the job registers no worker')),
  schedule: () => Promise.reject(new Error('the job schedules nothing')),
  drain: () => Promise.reject(new Error('the job drains nothing')),
  stop: () => Promise.resolve(),
};

export function scheduledJobDeps(
  db: Database,
  probot: Probot,
  log: JobDeps['log'],
  providers: { adapters?: JobDeps['providers']['adapters']; context?: Partial<ProviderContext> } = {},
): JobDeps {
  return {
    db,
    queue: unusedQueue,
    log,
    fingerprintKey: 'keywarden-test-fingerprint-key',
    rules: [],
    compiledRules: new Map(),
    octokitFor: (installationId) => probot.auth(installationId),
    appOctokit: () => probot.auth(),
    codeowners: new Map(),
    providers: {
      adapters: providers.adapters ?? [],
      context: { http: createProviderHttp(), admin: {}, now: () => new Date(), ...providers.context },
    },
  };
}
