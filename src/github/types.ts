import type { ProbotOctokit } from 'probot';

/**
 * An installation-authenticated Octokit as Probot builds it (`context.octokit`, `app.auth(id)`): REST
 * methods under `.rest`, `.paginate`, and the config plugin under `.config`.
 */
export type Octokit = ProbotOctokit;

/** A repository by owner and name, as every GitHub service here takes it. */
export interface RepoRef {
  owner: string;
  repo: string;
}
