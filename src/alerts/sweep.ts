import { isRetryable } from '../github/errors.js';
import { listOrgAlertsPage, type NextPage, type OrgAlertsPage } from '../github/secret-scanning.js';
import type { Octokit } from '../github/types.js';
import { errorMessage, RetryableError } from '../queue/errors.js';
import { sweepSecretTypes } from './secret-types.js';
import { saveSweep, storedVersions, sweepEtag } from './store.js';
import { type AlertSyncDeps, syncAlert } from './sync.js';

/** What one organisation's sweep did. */
export interface OrgSweep {
  org: string;
  /**
   * `not-modified`: the first page's ETag still matched (GitHub answered 304); `swept`: every page read;
   * `not-permitted`: GitHub answered 403 or 404 (no secret scanning for the organisation, or the App
   * lacks the permission), logged with what to grant.
   */
  status: 'not-modified' | 'swept' | 'not-permitted';
  pages: number;
  /** Alerts new or changed since the last sync (by `updated_at`), synced. */
  synced: number;
  /** Alerts unchanged since the last sync, skipped. */
  unchanged: number;
  /** Alerts whose sync failed for good (logged); the ETag is then not saved, so the next sweep retries. */
  failed: number;
}

/** A bound on pages per sweep (100 alerts each), against a cursor that never ends. */
const MAX_PAGES = 1_000;

/** What an organisation that refuses the sweep must grant, in the log. */
const GRANT =
  'give the GitHub App the "Secret scanning alerts" repository permission (read; read and write to resolve alerts) and enable GitHub Secret Protection (or Advanced Security) for the organisation';

/**
 * Sweeps an organisation's secret scanning alerts of the AI types (`sweepSecretTypes`), most recently
 * updated first, following the `Link` header's cursor page after page. The first page is requested with
 * the ETag of the last complete sweep: a 304 means nothing changed anywhere, and nothing more is asked.
 * Each alert whose `updated_at` moved since it was last synced (or that is new) is synced with its
 * locations (`syncAlert`); the others are skipped. The first page's new ETag is saved only when every
 * alert synced. A 5xx or rate limit throws `RetryableError` (the job retries); 403/404 is logged with what
 * to grant and not retried.
 */
export async function sweepOrgAlerts(
  deps: AlertSyncDeps,
  octokit: Octokit,
  target: { installationId: number; org: string; jobId: string },
): Promise<OrgSweep> {
  const sweep: OrgSweep = { org: target.org, status: 'swept', pages: 0, synced: 0, unchanged: 0, failed: 0 };
  const query = sweepSecretTypes();
  const etag = await sweepEtag(deps.db, target.org, query);
  let firstEtag: string | undefined;
  let next: NextPage | undefined;
  do {
    let page: OrgAlertsPage;
    try {
      page = await listOrgAlertsPage(octokit, target.org, {
        secretTypes: query,
        ...(next ? { next } : {}),
        ...(sweep.pages === 0 && etag ? { etag } : {}),
      });
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if ((status === 403 || status === 404) && !isRetryable(error)) {
        deps.log.warn({ org: target.org, status, grant: GRANT }, 'alert sweep refused by GitHub');
        return { ...sweep, status: 'not-permitted' };
      }
      if (isRetryable(error))
        throw new RetryableError(`alert sweep of ${target.org} failed`, { cause: error });
      throw error;
    }
    if (page.notModified) {
      deps.log.info({ org: target.org }, 'alert sweep: nothing changed since the last one');
      return { ...sweep, status: 'not-modified' };
    }
    if (sweep.pages === 0) firstEtag = page.etag;
    sweep.pages++;
    await syncPage(deps, octokit, target, page.alerts, sweep);
    next = page.next;
  } while (next && sweep.pages < MAX_PAGES);
  if (sweep.failed === 0)
    await saveSweep(deps.db, {
      org: target.org,
      installationId: target.installationId,
      query,
      etag: firstEtag,
    });
  deps.log.info({ ...sweep }, 'alert sweep done');
  return sweep;
}

async function syncPage(
  deps: AlertSyncDeps,
  octokit: Octokit,
  target: { installationId: number; org: string; jobId: string },
  alerts: Extract<OrgAlertsPage, { notModified: false }>['alerts'],
  sweep: OrgSweep,
): Promise<void> {
  const placed = alerts.filter((alert) => alert.repository !== undefined);
  const versions = await storedVersions(
    deps.db,
    placed.map((alert) => ({ repoId: alert.repository!.id, number: alert.number })),
  );
  for (const alert of placed) {
    const repository = alert.repository!;
    const stored = versions.get(`${repository.id}:${alert.number}`);
    if (stored !== undefined && stored >= Date.parse(alert.updatedAt)) {
      sweep.unchanged++;
      continue;
    }
    try {
      await syncAlert(
        deps,
        octokit,
        {
          installationId: target.installationId,
          repoId: repository.id,
          owner: repository.owner,
          repo: repository.name,
          actor: 'github',
          deliveryId: `sweep:${target.jobId}`,
          jobId: target.jobId,
        },
        alert,
        { locations: 'always' },
      );
      sweep.synced++;
    } catch (error) {
      if (isRetryable(error) || error instanceof RetryableError)
        throw new RetryableError(`alert sweep of ${target.org} failed`, { cause: error });
      sweep.failed++;
      deps.log.warn(
        {
          org: target.org,
          repo: `${repository.owner}/${repository.name}`,
          alert: alert.number,
          error: errorMessage(error),
        },
        'alert not synced',
      );
    }
  }
}
