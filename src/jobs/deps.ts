import type { Logger } from 'pino';
import type { ProbotOctokit } from 'probot';
import type { CompiledRules } from '../engine/scan.js';
import type { Codeowners } from '../github/owners.js';
import type { Database } from '../inventory/database.js';
import type { ProviderAdapter, ProviderContext } from '../providers/types.js';
import type { Queue } from '../queue/boss.js';
import type { Rule } from '../rules/types.js';

/** An installation-authenticated Octokit, as Probot builds it (REST methods, paginate, config plugin). */
export type Octokit = InstanceType<typeof ProbotOctokit>;

/** What jobs need; built once per process in `src/index.ts`, passed down, never global. */
export interface JobDeps {
  db: Database;
  queue: Queue;
  log: Logger;
  /** Key of the HMAC fingerprints; the same in every replica. */
  fingerprintKey: string;
  rules: readonly Rule[];
  /** Compiled rule sets by selection (most repositories share the full set). */
  compiledRules: Map<string, CompiledRules>;
  /** An Octokit authenticated as the installation (Probot caches the token). */
  octokitFor(installationId: number): Promise<Octokit>;
  /**
   * An Octokit authenticated as the App itself (a JWT): for what no installation can answer, such as
   * which installation holds a repository (`apps.getRepoInstallation`) in a scheduled job.
   */
  appOctokit(): Promise<Octokit>;
  /** CODEOWNERS by repository and commit (`readCodeowners` keeps it bounded). */
  codeowners: Map<string, Codeowners>;
  /** Provider adapters and what they may use (HTTP with timeouts, admin credentials from the server). */
  providers: { adapters: readonly ProviderAdapter[]; context: ProviderContext };
}
