import { recordEvent } from '../inventory/store.js';
import type { VerifyCredentialJob } from '../queue/jobs.js';
import { refreshIssue } from '../remediation/ensure-issue.js';
import { addComment, parseRepo } from '../remediation/issue-github.js';
import { transition } from '../remediation/lifecycle.js';
import { verifiedComment } from '../revocation/messages.js';
import { identifies, revokesWhenLive, verifies } from '../revocation/policy.js';
import { recoverSecret } from '../revocation/recover.js';
import { alertValueSources } from '../revocation/recover-alert.js';
import { loadSubject } from '../revocation/subject.js';
import { saveProviderKey } from '../usage/store.js';
import type { JobDeps } from './deps.js';

export type VerifyResult =
  | 'off'
  | 'identified'
  | 'unsupported'
  | 'settled'
  | 'value-missing'
  | 'live'
  | 'dead'
  | 'unknown'
  | 'revoking';

const ACTOR = 'keywarden';
/** States worth verifying: the leak is open and nobody has revoked or dismissed it yet. */
const OPEN_STATES: readonly string[] = ['detected', 'notified', 'confirmed'];

/**
 * Verifies a newly reported credential at its provider (read-only), once its issue is open, when the
 * policy is not `off` (under `off`, it only looks up the key's provider id with the admin API, when the
 * server holds one, for the usage watch; the key itself goes nowhere): the verdict is recorded (`verify:<verdict>`) and posted on the issue. Under
 * `auto-when-live`, a live key of high or critical severity is confirmed by keywarden and revoked at
 * once (a `revoke-credential` job). The raw value is read again from GitHub and dropped at the end.
 */
export async function verifyCredential(
  job: VerifyCredentialJob,
  deps: JobDeps,
  jobId: string,
): Promise<VerifyResult> {
  const subject = await loadSubject(deps, job.installationId, job.credentialId);
  if ('missing' in subject) throw new Error(subject.missing);
  const { credential, rule, adapter, key, octokit, policy } = subject;
  const where = { credentialId: credential.id, provider: credential.provider, jobId };
  const identifyOnly = !verifies(policy);
  if (identifyOnly && !identifies(adapter, deps.providers.context.admin)) return 'off';
  if (!adapter) {
    deps.log.info(where, 'no adapter verifies this provider');
    return 'unsupported';
  }
  if (!OPEN_STATES.includes(credential.state)) return 'settled';
  const alerts = await alertValueSources(deps.octokitFor, deps.db, credential, rule, deps.fingerprintKey);
  const recovered = await recoverSecret(octokit, deps.db, credential, rule, deps.fingerprintKey, alerts);
  if (identifyOnly) {
    // `revocation: off`: the key goes nowhere; only its id is looked up with the admin API.
    const identity = recovered.found
      ? await adapter.identify?.(recovered.secret, rule.id, deps.providers.context)
      : undefined;
    if (!identity) return 'off';
    await saveProviderKey(deps.db, credential.id, adapter.provider, identity);
    await recordEvent(deps.db, {
      credentialId: credential.id,
      kind: 'provider-key:identified',
      actor: ACTOR,
      data: { provider: adapter.provider, keyId: identity.keyId, job: jobId },
    });
    deps.log.info({ ...where, keyId: identity.keyId }, 'provider key identified for the usage watch');
    return 'identified';
  }
  if (!recovered.found) {
    await recordEvent(deps.db, {
      credentialId: credential.id,
      kind: 'verify:value-missing',
      actor: ACTOR,
      data: { tried: recovered.tried },
    });
    return 'value-missing';
  }
  const verification = await adapter.verify(recovered.secret, rule.id, deps.providers.context);
  await recordEvent(deps.db, {
    credentialId: credential.id,
    kind: `verify:${verification.verdict}`,
    actor: ACTOR,
    data: { stage: 'after-report', detail: verification.detail, provider: credential.provider, job: jobId },
  });
  deps.log.info({ ...where, verdict: verification.verdict }, 'credential verified');
  // A live key's id at the provider (found with the admin API, when one is configured) lets the usage
  // check watch it for jumps.
  if (verification.verdict === 'live' && adapter.identify) {
    const identity = await adapter.identify(recovered.secret, rule.id, deps.providers.context);
    if (identity) await saveProviderKey(deps.db, credential.id, adapter.provider, identity);
  }
  const issueRepo = parseRepo(credential.issue.repo);
  const auto = verification.verdict === 'live' && revokesWhenLive(policy, adapter, credential.severity);
  if (!auto) {
    await addComment(
      octokit,
      issueRepo,
      credential.issue.number,
      verifiedComment(key, verification, 'advice'),
    );
    return verification.verdict;
  }
  const revoking = await deps.db.transaction(async (tx) => {
    if (credential.state !== 'confirmed') {
      const moved = await transition(tx, credential.id, 'confirmed', {
        actor: ACTOR,
        reason: 'verified live at the provider; the policy is auto-when-live',
        data: { verification: verification.detail },
      });
      if ('refused' in moved) return false;
    }
    await deps.queue.send(
      'revoke-credential',
      {
        installationId: job.installationId,
        credentialId: credential.id,
        actor: ACTOR,
        deliveryId: job.deliveryId,
      },
      { singletonKey: `revoke:${credential.id}`, tx },
    );
    return true;
  });
  if (!revoking) {
    await addComment(
      octokit,
      issueRepo,
      credential.issue.number,
      verifiedComment(key, verification, 'advice'),
    );
    return 'live';
  }
  await refreshIssue(octokit, deps.db, credential.id, {
    comment: verifiedComment(key, verification, 'revoking'),
  });
  return 'revoking';
}
