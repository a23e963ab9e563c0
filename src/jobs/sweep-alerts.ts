import { type OrgSweep, sweepOrgAlerts } from '../alerts/sweep.js';
import type { SweepInstallationAlertsJob } from '../queue/jobs.js';
import type { JobDeps } from './deps.js';

/**
 * The scheduled alert sweep (`sweep-alerts`, every 30 minutes from `keywarden serve`): lists the App's
 * installations with the App's own JWT (`GET /app/installations`, every page) and sends one
 * `sweep-installation-alerts` job per organisation installation that is not suspended (a user account
 * has no organisation alerts). Resolves to the number of jobs sent.
 */
export async function sweepAlerts(deps: JobDeps): Promise<number> {
  const app = await deps.appOctokit();
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  let sent = 0;
  for (const installation of installations) {
    const account = installation.account as { login?: string } | null;
    const org = account?.login;
    if (installation.target_type !== 'Organization' || !org || installation.suspended_at) continue;
    const job: SweepInstallationAlertsJob = { installationId: installation.id, org };
    await deps.queue.send('sweep-installation-alerts', job, {
      singletonKey: `sweep-installation-alerts:${installation.id}`,
    });
    sent++;
  }
  deps.log.info({ installations: installations.length, swept: sent }, 'alert sweep started');
  return sent;
}

/** One organisation's sweep (`sweepOrgAlerts`), as its installation. */
export async function sweepInstallationAlerts(
  job: SweepInstallationAlertsJob,
  deps: JobDeps,
  jobId: string,
): Promise<OrgSweep> {
  const octokit = await deps.octokitFor(job.installationId);
  return sweepOrgAlerts(deps, octokit, { installationId: job.installationId, org: job.org, jobId });
}
