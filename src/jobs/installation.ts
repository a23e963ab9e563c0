import { statusOf } from '../github/errors.js';
import type { Octokit, RepoRef } from '../github/types.js';
import type { JobDeps } from './deps.js';

/**
 * The installation Octokit of a repository, for scheduled jobs that start from the inventory rather than
 * a webhook: the installation is found with the App's own JWT (`apps.getRepoInstallation`). `undefined`
 * when the App is not installed there (404); anything else throws.
 */
export async function repositoryOctokit(
  deps: Pick<JobDeps, 'appOctokit' | 'octokitFor'>,
  repo: RepoRef,
): Promise<Octokit | undefined> {
  const app = await deps.appOctokit();
  try {
    const { data } = await app.rest.apps.getRepoInstallation({ owner: repo.owner, repo: repo.repo });
    return deps.octokitFor(data.id);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    return undefined;
  }
}
