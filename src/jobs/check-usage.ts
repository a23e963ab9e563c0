import { isRetryable, statusOf } from '../github/errors.js';
import type { RepoRef } from '../github/types.js';
import type { AdminCredentials, ProviderAdapter, UsageBucket } from '../providers/types.js';
import { errorMessage } from '../queue/errors.js';
import {
  type AnomalyClaim,
  type AnomalyRef,
  claimAnomaly,
  markAnomalyReported,
  recordAnomaly,
  releaseAnomaly,
  type UnreportedAnomaly,
  unreportedAnomalies,
} from '../usage/anomalies.js';
import { BASELINE_HOURS, judgeHour, usageUnit } from '../usage/baseline.js';
import { usageComment, usageMarker } from '../usage/comment.js';
import {
  markKeyChecked,
  markUsageFetched,
  saveUsage,
  usageFetchedAt,
  usageSeries,
  type WatchedKey,
  watchedKeys,
} from '../usage/store.js';
import type { JobDeps, Octokit } from './deps.js';
import { repositoryOctokit } from './installation.js';

const HOUR_MS = 3_600_000;

/** How far back the first fetch of a provider reaches: the 7-day baseline plus a day to test. */
export const BACKFILL_HOURS = 8 * 24;

/** The hours a key is tested over the first time it is watched (later: every hour since the last test). */
export const FIRST_CHECK_HOURS = 24;

/** A jump not reported within this many hours (its credential had no issue, or GitHub failed) is dropped. */
export const REPORT_WITHIN_HOURS = 7 * 24;

/** What one run did. */
export interface UsageCheck {
  /** Providers fetched, with the hourly rows stored. */
  fetched: Array<{ provider: string; rows: number }>;
  /** Providers whose usage could not be fetched (logged; the others went on). */
  failed: string[];
  /** Jumps found in this run (each recorded once, with its audit event). */
  anomalies: Array<AnomalyRef & { credentialId: number }>;
  /** Comments posted. */
  reported: number;
}

/**
 * The scheduled usage check (`check-usage`, hourly from `keywarden serve`). For each provider adapter
 * with `usage` whose admin credential is configured: fetch the hourly use per key since one hour before
 * the hour of the last fetch (the last hour may have been partial), or {@link BACKFILL_HOURS} back on the
 * first run, and store it. Then, for every provider key mapped to a credential whose lifecycle has not
 * ended (`provider_keys`, written when an adapter identified the key), test each complete hour since the
 * key's last test against its 7-day hourly median (`src/usage/baseline.ts`); a jump is recorded once
 * with an audit event `usage:anomaly`. Last, every unreported jump of a credential with an issue gets a
 * comment naming the numbers; a jump of a credential without an issue waits (recorded, visible in
 * `/keywarden status`) and is commented on by the first run after its issue opens.
 *
 * A provider that fails (its adapter throws) is logged and skipped: its keys are tested on a later run,
 * once the hours are fetched. A comment that fails gives its claim back; when the failure is worth
 * retrying (5xx, rate limit, network) the job throws at the end so the queue retries it, and the retry
 * posts only what is still missing. Database failures while fetching, testing or claiming are thrown.
 */
export async function checkUsage(deps: JobDeps): Promise<UsageCheck> {
  const check: UsageCheck = { fetched: [], failed: [], anomalies: [], reported: 0 };
  const now = deps.providers.context.now();
  const lastComplete = new Date(floorHour(now).getTime() - HOUR_MS);

  for (const adapter of deps.providers.adapters) {
    if (!adapter.usage) continue;
    if (!hasAdmin(deps.providers.context.admin, adapter.provider)) {
      deps.log.debug({ provider: adapter.provider }, 'usage check skipped: no admin credential');
      continue;
    }
    const rows = await fetchUsage(deps, adapter, now);
    if (rows === undefined) {
      check.failed.push(adapter.provider);
      continue;
    }
    check.fetched.push({ provider: adapter.provider, rows });
    for (const key of await watchedKeys(deps.db, adapter.provider)) {
      const found = await testKey(deps, adapter.provider, key, now, lastComplete);
      check.anomalies.push(...found);
    }
  }

  const retry = await reportAnomalies(deps, now, check);
  deps.log.info(
    {
      fetched: check.fetched.length,
      failed: check.failed.length,
      anomalies: check.anomalies.length,
      reported: check.reported,
    },
    'usage checked',
  );
  if (retry) throw retry;
  return check;
}

/** Fetches and stores one provider's usage; the rows stored, or `undefined` when the adapter failed. */
async function fetchUsage(deps: JobDeps, adapter: ProviderAdapter, now: Date): Promise<number | undefined> {
  const earliest = floorHour(new Date(now.getTime() - BACKFILL_HOURS * HOUR_MS)).getTime();
  const fetchedAt = await usageFetchedAt(deps.db, adapter.provider);
  const resume = fetchedAt ? floorHour(fetchedAt).getTime() - HOUR_MS : earliest;
  const since = new Date(Math.max(resume, earliest));
  let buckets: UsageBucket[];
  try {
    buckets = await adapter.usage!(since, deps.providers.context);
  } catch (error) {
    deps.log.warn(
      { provider: adapter.provider, since: since.toISOString(), error: errorMessage(error) },
      'usage fetch failed',
    );
    return undefined;
  }
  const rows = await saveUsage(deps.db, adapter.provider, buckets);
  await markUsageFetched(deps.db, adapter.provider, now);
  deps.log.debug(
    { provider: adapter.provider, since: since.toISOString(), buckets: buckets.length, rows },
    'usage fetched',
  );
  return rows;
}

/** Tests the complete hours of one key not tested yet; the jumps recorded. */
async function testKey(
  deps: JobDeps,
  provider: string,
  key: WatchedKey,
  now: Date,
  lastComplete: Date,
): Promise<Array<AnomalyRef & { credentialId: number }>> {
  const oldest = floorHour(new Date(now.getTime() - BACKFILL_HOURS * HOUR_MS)).getTime();
  const next = key.checkedThrough
    ? key.checkedThrough.getTime() + HOUR_MS
    : lastComplete.getTime() - (FIRST_CHECK_HOURS - 1) * HOUR_MS;
  const first = Math.max(next, oldest);
  if (first > lastComplete.getTime()) return [];

  const series = await usageSeries(
    deps.db,
    provider,
    key.keyId,
    new Date(first - BASELINE_HOURS * HOUR_MS),
    lastComplete,
  );
  const unit = usageUnit(series);
  const found: Array<AnomalyRef & { credentialId: number }> = [];
  for (let hour = first; hour <= lastComplete.getTime(); hour += HOUR_MS) {
    const judgement = judgeHour(series, new Date(hour), unit);
    if (!judgement.anomaly) continue;
    if (!(await recordAnomaly(deps.db, key.credentialId, provider, key.keyId, judgement))) continue;
    found.push({ provider, keyId: key.keyId, hour: judgement.hour, credentialId: key.credentialId });
    deps.log.info(
      {
        credentialId: key.credentialId,
        provider,
        keyId: key.keyId,
        hour: judgement.hour.toISOString(),
        unit,
        observed: judgement.observed,
        median: judgement.median,
      },
      'usage jump',
    );
  }
  await markKeyChecked(deps.db, provider, key.keyId, lastComplete);
  return found;
}

/**
 * Comments on the issue of every unreported jump; the first failure worth retrying (to be thrown once
 * everything else is done), if any.
 */
async function reportAnomalies(deps: JobDeps, now: Date, check: UsageCheck): Promise<unknown> {
  const pending = await unreportedAnomalies(deps.db, new Date(now.getTime() - REPORT_WITHIN_HOURS * HOUR_MS));
  let retry: unknown;
  const installations = new Map<string, Promise<Octokit | undefined>>();
  for (const anomaly of pending) {
    // Claim first: of several replicas, only the one that will comment asks GitHub anything.
    const claim = await claimAnomaly(deps.db, anomaly);
    if (!claim) continue;
    const key = `${anomaly.issueRepo.owner}/${anomaly.issueRepo.repo}`.toLowerCase();
    let lookup = installations.get(key);
    if (!lookup) {
      lookup = issueOctokit(deps, anomaly.issueRepo);
      // A rejected lookup is reported per anomaly below; keep it from surfacing as unhandled.
      lookup.catch(() => undefined);
      installations.set(key, lookup);
    }
    try {
      if (await report(deps, lookup, anomaly, claim)) check.reported++;
    } catch (error) {
      deps.log.warn(
        {
          credentialId: anomaly.credentialId,
          issue: `${key}#${anomaly.issueNumber}`,
          status: statusOf(error),
          error: errorMessage(error),
        },
        'usage comment failed',
      );
      if (retry === undefined && isRetryable(error)) retry = error;
    }
  }
  return retry;
}

/**
 * Comments on the issue of one claimed jump and marks it reported; `true` when a comment was posted. The
 * claim is given back when nothing was posted and a later run may succeed (not installed, a failure);
 * kept, and the jump marked reported, when the issue is gone for good (404, 410).
 */
async function report(
  deps: JobDeps,
  lookup: Promise<Octokit | undefined>,
  anomaly: UnreportedAnomaly,
  claim: NonNullable<AnomalyClaim>,
): Promise<boolean> {
  const issue = { ...anomaly.issueRepo, issue_number: anomaly.issueNumber };
  try {
    const octokit = await lookup;
    if (!octokit) {
      await releaseAnomaly(deps.db, anomaly);
      return false;
    }
    // A job that died between posting and marking left its comment behind: find it, do not post twice.
    if (claim === 'takeover' && (await hasComment(octokit, issue, usageMarker(anomaly)))) {
      await markAnomalyReported(deps.db, anomaly);
      return false;
    }
    await octokit.rest.issues.createComment({ ...issue, body: usageComment(anomaly) });
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 410) await markAnomalyReported(deps.db, anomaly);
    else await releaseAnomaly(deps.db, anomaly);
    throw error;
  }
  await markAnomalyReported(deps.db, anomaly);
  deps.log.info(
    { credentialId: anomaly.credentialId, provider: anomaly.provider, hour: anomaly.hour.toISOString() },
    'usage jump reported',
  );
  return true;
}

async function hasComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  marker: string,
): Promise<boolean> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 });
  return comments.some((comment) => comment.body?.includes(marker) === true);
}

/** The installation Octokit of an issue repository; `undefined` when the App is not installed there. */
async function issueOctokit(deps: JobDeps, repo: RepoRef): Promise<Octokit | undefined> {
  const octokit = await repositoryOctokit(deps, repo);
  if (!octokit)
    deps.log.warn(
      { repo: `${repo.owner}/${repo.repo}` },
      'usage comment skipped: app not installed on the issue repository',
    );
  return octokit;
}

function hasAdmin(admin: AdminCredentials, provider: string): boolean {
  return provider in admin && admin[provider as keyof AdminCredentials] !== undefined;
}

function floorHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}
