import type { ApplicationFunction } from 'probot';
import { registerHandlers } from './app/register-handlers.js';
import type { Database } from './inventory/database.js';
import type { JobDeps } from './jobs/deps.js';
import { startWorkers } from './jobs/workers.js';
import { createProviderHttp, type ProviderHttp } from './providers/http.js';
import { allAdapters } from './providers/registry.js';
import type { AdminCredentials, ProviderAdapter } from './providers/types.js';
import type { Queue } from './queue/boss.js';
import { allRules } from './rules/registry.js';
import type { Rule } from './rules/types.js';
import { healthHandler } from './web/health.js';

export interface KeywardenOptions {
  db: Database;
  queue: Queue;
  fingerprintKey: string;
  rules?: readonly Rule[];
  /** Start the job workers in this process (default true). */
  workers?: boolean;
  /** Add the web routes to Probot's server (default true; false when loaded without a server). */
  routes?: boolean;
  /**
   * Provider adapters (default: all), the admin credentials revocation and usage need (default: none,
   * validated by the caller from the server's environment) and the HTTP they use (default: real hosts).
   */
  providers?: { adapters?: readonly ProviderAdapter[]; admin?: AdminCredentials; http?: ProviderHttp };
}

/**
 * keywarden as a Probot app: builds its dependencies, registers the webhook handlers, starts the job
 * workers and adds the web routes. Nothing else happens here.
 */
export function keywarden(options: KeywardenOptions): ApplicationFunction {
  return async (app, appOptions) => {
    const log = app.log.child({ name: 'keywarden' });
    registerHandlers(app, { db: options.db, queue: options.queue, log });
    if (options.workers !== false) {
      const deps: JobDeps = {
        db: options.db,
        queue: options.queue,
        log,
        fingerprintKey: options.fingerprintKey,
        rules: options.rules ?? allRules,
        compiledRules: new Map(),
        octokitFor: (installationId) => app.auth(installationId),
        appOctokit: () => app.auth(),
        codeowners: new Map(),
        providers: {
          adapters: options.providers?.adapters ?? allAdapters,
          context: {
            http: options.providers?.http ?? createProviderHttp(),
            admin: options.providers?.admin ?? {},
            now: () => new Date(),
          },
        },
      };
      await startWorkers(deps);
    }
    if (options.routes !== false) appOptions.addHandler(healthHandler(options.db));
  };
}
