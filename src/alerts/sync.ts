import { listAlertLocations, type SecretScanningAlert } from '../github/secret-scanning.js';
import type { Octokit } from '../github/types.js';
import type { Queryable } from '../inventory/database.js';
import { loadCredential } from '../inventory/issues.js';
import type { JobDeps } from '../jobs/deps.js';
import type { RemediateCredentialJob } from '../queue/jobs.js';
import { refreshIssue } from '../remediation/refresh-issue.js';
import { identifyAlertSecret } from './identify.js';
import {
  type AlertNotice,
  type AlertNoticeKind,
  claimNotices,
  finishNotices,
  noticesComment,
  recordNotice,
} from './notices.js';
import { mappedSecretType } from './secret-types.js';
import {
  type AlertPlace,
  findAlert,
  insertAlertExposures,
  insertOtherLocations,
  isSuppressed,
  type StoredAlert,
  saveAlert,
  upsertAlertCredential,
} from './store.js';

/** What syncing an alert needs of the job dependencies. */
export type AlertSyncDeps = Pick<JobDeps, 'db' | 'queue' | 'log' | 'rules' | 'fingerprintKey'>;

/** Where an alert lives and who caused the sync. */
export interface AlertSyncSource {
  installationId: number;
  repoId: number;
  owner: string;
  repo: string;
  /** Who acted on GitHub (the webhook sender), or `github` for the sweep: the audit actor. */
  actor: string;
  /** The delivery (or sweep) behind the sync, for the remediation job's audit trail. */
  deliveryId: string;
  /** The job syncing (stable across its retries): it claims the notices it posts. */
  jobId: string;
}

/**
 * When to read an alert's locations (one request per 100): `always` when the webhook says they changed
 * (`created`, `reopened`, a new location) or the sweep saw the alert change; `if-new` otherwise.
 */
export type LocationPolicy = 'always' | 'if-new';

export type AlertSyncOutcome =
  | { status: 'ignored'; reason: 'not-an-ai-secret-type' | 'no-secret' }
  | {
      status: 'synced';
      credentialId: number;
      newCredential: boolean;
      newAlert: boolean;
      newExposures: number;
      /** The repository suppressed the credential: the alert is recorded, nothing is reported. */
      suppressed: boolean;
      /** Alert changes recorded for the issue (`alert:*` events with a notice). */
      notices: number;
    };

/**
 * Brings one alert, as GitHub has it now, into the inventory:
 *
 * 1. an alert of a type keywarden does not govern is ignored;
 * 2. its secret is identified (`identifyAlertSecret`: rule, fingerprint, redaction) and dropped;
 * 3. in one transaction: the credential is upserted by fingerprint (the same row as a push finding of
 *    the same key), the alert row written (never older over newer), each change recorded as an `alert:*`
 *    audit event, commit locations added as exposures (source `alert`) and other places as
 *    `alert_locations`, and, when exposures are new, a `remediate-credential` job sent so the one issue
 *    opens or announces them;
 * 4. when the credential already has its issue, the issue is re-rendered (its alerts section) and one
 *    comment tells what changed (resolved on GitHub, publicly leaked, push protection bypassed, …).
 *
 * A repository that suppressed the credential (`/keywarden false-positive` or `test-credential`) gets
 * the alert recorded and nothing reported, as for pushes. Idempotent: a second sync of an unchanged alert
 * adds nothing and asks GitHub only for what `locations` requires.
 */
export async function syncAlert(
  deps: AlertSyncDeps,
  octokit: Octokit,
  source: AlertSyncSource,
  alert: SecretScanningAlert,
  options: { locations: LocationPolicy },
): Promise<AlertSyncOutcome> {
  const where = { repo: `${source.owner}/${source.repo}`, alert: alert.number, secretType: alert.secretType };
  const mapping = mappedSecretType(alert.secretType);
  if (!mapping) {
    deps.log.debug(where, 'alert ignored: not an AI secret type');
    return { status: 'ignored', reason: 'not-an-ai-secret-type' };
  }
  const { secret, ...facts } = alert;
  if (!secret) {
    deps.log.warn(where, 'alert ignored: GitHub did not return its secret');
    return { status: 'ignored', reason: 'no-secret' };
  }
  const credential = identifyAlertSecret(secret, mapping, deps.rules, deps.fingerprintKey);
  const place: AlertPlace = {
    installationId: source.installationId,
    repoId: source.repoId,
    repo: where.repo,
  };

  const known = await findAlert(deps.db, source.repoId, alert.number);
  const suppressed = await isSuppressed(deps.db, source.repoId, credential.fingerprint);
  const locations =
    !suppressed && (options.locations === 'always' || !known)
      ? await listAlertLocations(octokit, { owner: source.owner, repo: source.repo }, alert.number)
      : [];

  const recorded = await deps.db.transaction(async (tx) => {
    const { id: credentialId, created } = await upsertAlertCredential(tx, credential, {
      repo: place.repo,
      alertNumber: alert.number,
      secretType: alert.secretType,
      actor: source.actor,
    });
    const before = await findAlert(tx, source.repoId, alert.number, { lock: true });
    const stored = await saveAlert(tx, credentialId, place, facts);
    const current = !before || Date.parse(facts.updatedAt) >= before.updatedAt.getTime();
    const changed = current && shownDifferently(before, facts);
    const notices =
      current && !suppressed
        ? await recordChanges(tx, credentialId, before, facts, place.repo, source.actor)
        : 0;
    const newExposures = suppressed ? 0 : await insertAlertExposures(tx, credentialId, place, locations);
    const newPlaces = suppressed ? 0 : await insertOtherLocations(tx, stored.id, locations);
    // New places open or update the one issue; a key seen only outside the code opens it too. An alert
    // keywarden first meets already resolved on GitHub (an old one found by the sweep) is inventoried
    // but opens no issue: someone with the right to did decide about it; an issue that exists is updated.
    const settledElsewhere = !before && facts.state === 'resolved' && !(await hasIssue(tx, credentialId));
    if ((newExposures > 0 || newPlaces > 0) && !settledElsewhere) {
      const job: RemediateCredentialJob = {
        installationId: source.installationId,
        credentialId,
        deliveryId: source.deliveryId,
      };
      await deps.queue.send('remediate-credential', job, { tx });
    }
    return { credentialId, created, newAlert: !before, newExposures, newPlaces, notices, changed };
  });

  // Also with nothing new: notices a failed earlier attempt left pending are posted now.
  if (!suppressed) {
    const rerender = recorded.notices > 0 || recorded.newPlaces > 0 || recorded.changed;
    await tellIssue(deps, octokit, recorded.credentialId, source.jobId, rerender);
  }
  const outcome: AlertSyncOutcome = {
    status: 'synced',
    credentialId: recorded.credentialId,
    newCredential: recorded.created,
    newAlert: recorded.newAlert,
    newExposures: recorded.newExposures,
    suppressed,
    notices: recorded.notices,
  };
  deps.log.info(
    { ...where, ruleId: credential.ruleId, redacted: credential.redacted, ...outcome },
    suppressed ? 'alert synced: suppressed in this repository' : 'alert synced',
  );
  return outcome;
}

/** Whether the issue's alerts section would show the alert differently (or it is new). */
function shownDifferently(
  before: StoredAlert | undefined,
  after: Omit<SecretScanningAlert, 'secret'>,
): boolean {
  if (!before) return true;
  return (
    before.state !== after.state ||
    before.resolution !== after.resolution ||
    before.resolvedBy !== after.resolvedBy ||
    before.pushProtectionBypassed !== after.pushProtectionBypassed ||
    before.pushProtectionBypassedBy !== after.pushProtectionBypassedBy ||
    before.publiclyLeaked !== after.publiclyLeaked ||
    before.validity !== after.validity
  );
}

/** A resolution keywarden made itself (`resolveAlertsFor` comments `keywarden: <issue>` as its App). */
function resolvedByKeywarden(alert: Omit<SecretScanningAlert, 'secret'>): boolean {
  return (
    alert.resolutionComment?.startsWith('keywarden:') === true && alert.resolvedBy?.endsWith('[bot]') === true
  );
}

/** Records what changed on GitHub as `alert:*` audit events; resolves to the number with a notice. */
async function recordChanges(
  tx: Queryable,
  credentialId: number,
  before: StoredAlert | undefined,
  after: Omit<SecretScanningAlert, 'secret'>,
  repo: string,
  actor: string,
): Promise<number> {
  const ref = { repo, number: after.number, htmlUrl: after.htmlUrl };
  let notices = 0;
  const notice = async (kind: AlertNoticeKind, who: string, extra: Partial<AlertNotice> = {}) => {
    await recordNotice(tx, credentialId, { kind, ...ref, ...extra }, who);
    notices++;
  };
  if (!before) {
    await notice('alert:opened', actor, {
      pushProtectionBypassed: after.pushProtectionBypassed,
      by: after.pushProtectionBypassedBy,
    });
    if (after.publiclyLeaked) await notice('alert:publicly-leaked', actor);
    return notices;
  }
  if (before.state === 'open' && after.state === 'resolved' && !resolvedByKeywarden(after)) {
    await notice('alert:resolved', after.resolvedBy ?? actor, {
      resolution: after.resolution,
      by: after.resolvedBy,
    });
  }
  if (before.state === 'resolved' && after.state === 'open') await notice('alert:reopened', actor);
  if (!before.publiclyLeaked && after.publiclyLeaked) await notice('alert:publicly-leaked', actor);
  if (!before.pushProtectionBypassed && after.pushProtectionBypassed) {
    await notice('alert:push-protection-bypassed', after.pushProtectionBypassedBy ?? actor, {
      by: after.pushProtectionBypassedBy,
    });
  }
  if (before.validity !== after.validity) {
    await tx.query(
      `INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, 'alert:validity', $2, $3::jsonb)`,
      [credentialId, actor, JSON.stringify({ ...ref, from: before.validity, to: after.validity })],
    );
  }
  return notices;
}

/**
 * Posts the pending alert notices of the credential in one comment, with its issue re-rendered (its
 * alerts section); re-renders it without a comment when only `rerender` asks. Without an issue yet, the
 * notices are skipped: the issue shows the alerts when it opens.
 */
async function tellIssue(
  deps: AlertSyncDeps,
  octokit: Octokit,
  credentialId: number,
  jobId: string,
  rerender: boolean,
): Promise<void> {
  const claimed = await claimNotices(deps.db, credentialId, jobId);
  if (claimed.length === 0 && !rerender) return;
  const ids = claimed.map((entry) => entry.id);
  const credential = await loadCredential(deps.db, credentialId);
  if (!credential?.issue) {
    await finishNotices(deps.db, ids, 'skipped');
    return;
  }
  try {
    const comment =
      claimed.length > 0
        ? noticesComment(
            claimed.map((entry) => entry.notice),
            credential.state,
          )
        : undefined;
    await refreshIssue(octokit, deps.db, credentialId, comment ? { comment } : {});
  } catch (error) {
    await finishNotices(deps.db, ids, 'pending');
    throw error;
  }
  await finishNotices(deps.db, ids, 'posted');
}

async function hasIssue(db: Queryable, credentialId: number): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM credentials WHERE id = $1 AND issue_number IS NOT NULL', [
    credentialId,
  ]);
  return rows.length > 0;
}
