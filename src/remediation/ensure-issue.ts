import type { Logger } from 'pino';
import { alertsOf } from '../alerts/store.js';
import type { KeywardenConfig } from '../config/schema.js';
import { loadRepoConfig } from '../github/config.js';
import { type Codeowners, resolveAssignees } from '../github/owners.js';
import type { Octokit, RepoRef } from '../github/types.js';
import type { Database, Queryable } from '../inventory/database.js';
import {
  type AssignmentRecord,
  type CredentialRecord,
  claimIssue,
  forgetIssue,
  type IssueRef,
  loadAssignment,
  loadCredential,
  loadExposures,
  MAX_ASSIGNEES,
  peekUnnotifiedExposures,
  recordAssignment,
  saveIssue,
  takeUnnotifiedExposures,
} from '../inventory/issues.js';
import { recordEvent } from '../inventory/store.js';
import { RetryableError } from '../queue/errors.js';
import type { Rule } from '../rules/types.js';
import { issueBody, issueTitle, locationsComment, locationUrl } from './issue-body.js';
import {
  addComment,
  createIssue,
  findIssueByMarker,
  fullName,
  getIssue,
  htmlBaseOf,
  type IssueChange,
  type IssueState,
  parseRepo,
  repositoryInfo,
  updateIssue,
  visibilityOf,
} from './issue-github.js';
import { codeOwnersOf, credentialView, issueAlerts, issueLocations, issueOwners } from './issue-view.js';
import { issueLabels, mergeLabels } from './labels.js';
import { isCredentialState, isTerminal, transition } from './lifecycle.js';
import { changeOf } from './refresh-issue.js';

export { refreshIssue } from './refresh-issue.js';

/**
 * One remediation issue per credential (fingerprint). The inventory (`credentials.issue_number`) is the
 * source of truth, claimed like check runs so concurrent jobs open one issue; the issue body's hidden
 * marker finds it again when the inventory lost it. A new exposure updates the issue's table and adds a
 * comment; an issue closed as done whose credential leaks again is reopened.
 */

/** What `ensureIssue` needs of the job dependencies. */
export interface EnsureIssueDeps {
  db: Database;
  log: Logger;
  rules: readonly Rule[];
  /** CODEOWNERS by repository and commit. */
  codeowners: Map<string, Codeowners>;
}

export interface EnsuredIssue {
  repo: RepoRef;
  number: number;
  /**
   * `created`: opened now; `updated`: new locations announced; `reopened`: it had been closed as done;
   * `unchanged`: nothing new to announce.
   */
  action: 'created' | 'updated' | 'reopened' | 'unchanged';
  /**
   * When the issue was opened now: whether the leaking repository's config asks keywarden to talk to the
   * provider (a `revocation` policy other than `off`, or issues kept in another repository whose policy
   * decides). The issue job then starts the credential's verification.
   */
  verify?: boolean;
}

/** The audit actor of what keywarden does by itself. */
const ACTOR = 'keywarden';
/** How long a job waits for another job that is opening the same credential's issue, before retrying. */
const CLAIM_WAIT_MS = 5_000;
const CLAIM_POLL_MS = 250;

/**
 * The repository a credential's issue goes to: `issues.repository` from the leaking repository's config
 * (one central security repository) when set, else the repository where it leaked.
 */
export function issueRepoFor(config: KeywardenConfig, exposureRepo: RepoRef): RepoRef {
  return config.issues.repository ? parseRepo(config.issues.repository) : exposureRepo;
}

/**
 * Makes sure the credential has its one issue and that the issue announces every place it was seen:
 * opens it (title, body, labels, CODEOWNERS assignees; the credential moves `detected → notified`), or
 * finds it by its marker, or updates it (the locations table, a comment listing the new locations,
 * reopening it when it had been closed as done). Safe to run any number of times, concurrently too:
 * with nothing new to announce it makes no request at all.
 *
 * @example
 * const { repo, number, action } = await ensureIssue(octokit, deps, job.credentialId, jobId);
 */
export async function ensureIssue(
  octokit: Octokit,
  deps: EnsureIssueDeps,
  credentialId: number,
  jobId: string,
): Promise<EnsuredIssue> {
  const credential = await loadCredential(deps.db, credentialId);
  if (!credential) throw new Error(`there is no credential ${credentialId}`);
  if (credential.issue) return announce(octokit, deps, credential, credential.issue, jobId);
  const claim = await waitForClaim(deps.db, credentialId, jobId);
  if (!claim.owner) return announce(octokit, deps, credential, claim.issue, jobId);
  return openIssue(octokit, deps, credential, jobId);
}

async function waitForClaim(
  db: Database,
  credentialId: number,
  jobId: string,
): Promise<{ owner: true } | { owner: false; issue: IssueRef }> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    const claim = await claimIssue(db, credentialId, jobId);
    if (claim.owner) return claim;
    if (claim.issue) return { owner: false, issue: claim.issue };
    if (Date.now() >= deadline) {
      throw new RetryableError('the issue of this credential is being opened by another worker');
    }
    await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
  }
}

/** The claim's owner: adopt the issue that carries the marker, or open one. */
async function openIssue(
  octokit: Octokit,
  deps: EnsureIssueDeps,
  credential: CredentialRecord,
  jobId: string,
): Promise<EnsuredIssue> {
  const { exposures } = await loadExposures(deps.db, credential.id);
  // A key GitHub saw only outside the code (issue or pull request text, discussions, the wiki) has no
  // exposure: its alert's repository is where it leaked.
  const leakedIn = exposures[0]?.repo ?? (await alertsOf(deps.db, credential.id))[0]?.repo;
  if (!leakedIn) throw new Error(`credential ${credential.id} has no exposure or alert to report`);
  const leakRepo = parseRepo(leakedIn);
  const info = await repositoryInfo(octokit, leakRepo);
  const { config, error: configError } = await loadRepoConfig(octokit, leakRepo, info.defaultBranch);
  if (configError) deps.log.warn({ repo: leakedIn, configError }, 'invalid keywarden config: defaults used');
  const repo = issueRepoFor(config, leakRepo);

  const found = await findIssueByMarker(octokit, repo, credential.fingerprint);
  if (found) {
    await saveIssue(deps.db, credential.id, fullName(repo), found.number);
    deps.log.info(
      { credentialId: credential.id, issue: `${fullName(repo)}#${found.number}` },
      'issue found by marker',
    );
    return announce(octokit, deps, credential, { repo: fullName(repo), number: found.number }, jobId, found);
  }

  const owners = await codeOwnersOf(octokit, exposures, deps.codeowners);
  const securityTeam = config.issues.securityTeam;
  const assignment = await resolveAssignees(octokit, repo, owners, securityTeam ? { securityTeam } : {});
  const assigned: AssignmentRecord = { ...assignment, ...(securityTeam ? { securityTeam } : {}) };
  const visibility = new Map([[leakedIn, info.visibility]]);
  const htmlBase = htmlBaseOf(octokit);

  const { result: number } = await takeUnnotifiedExposures(deps.db, credential.id, jobId, async () => {
    const current = (await loadCredential(deps.db, credential.id)) ?? credential;
    // The issue opens the credential's notification: it is shown as `notified`, which it becomes below.
    const shown = current.state === 'detected' ? 'notified' : current.state;
    const all = await loadExposures(deps.db, credential.id);
    const view = await credentialView(deps.db, current, deps.rules, shown);
    const body = issueBody(view, issueLocations(all.exposures), issueOwners(assigned), {
      htmlBase,
      visibility,
      securityTeam,
      totalLocations: all.total,
      alerts: await issueAlerts(deps.db, credential.id),
    });
    const created = await createIssue(octokit, repo, {
      title: issueTitle(view, leakedIn),
      body,
      labels: issueLabels(view, config.issues.labels),
      assignees: assigned.assignees,
    });
    return {
      result: created,
      // Committed with the exposures' `notified_at`, or not at all (the issue is then found again by its
      // marker on the retry).
      commit: async (tx) => {
        await saveIssue(tx, credential.id, fullName(repo), created);
        await recordAssignment(tx, credential.id, assigned, { issue: `${fullName(repo)}#${created}` });
        await recordEvent(tx, {
          credentialId: credential.id,
          kind: 'issue-opened',
          actor: ACTOR,
          data: {
            issue: `${fullName(repo)}#${created}`,
            job: jobId,
            exposures: all.exposures.map((e) => e.id),
          },
        });
        await notified(tx, credential.id, deps.log);
      },
    };
  });
  deps.log.info(
    { credentialId: credential.id, issue: `${fullName(repo)}#${number}` },
    'remediation issue opened',
  );
  const verify = config.revocation !== 'off' || config.issues.repository !== undefined;
  return { repo, number, action: 'created', verify };
}

/**
 * The issue exists: announce the exposures it has not announced yet (update its body, labels and
 * assignees, add one comment, reopen it when it had been closed as done or the credential had ended).
 */
async function announce(
  octokit: Octokit,
  deps: EnsureIssueDeps,
  credential: CredentialRecord,
  issue: IssueRef,
  jobId: string,
  known?: IssueState,
): Promise<EnsuredIssue> {
  const repo = parseRepo(issue.repo);
  const pending = await peekUnnotifiedExposures(deps.db, credential.id);
  if (pending.length === 0) return { repo, number: issue.number, action: 'unchanged' };

  const current = known ?? (await getIssue(octokit, repo, issue.number));
  if (!current) {
    // Deleted (or moved out of reach): forget it and open a new one.
    deps.log.warn(
      { credentialId: credential.id, issue: `${issue.repo}#${issue.number}` },
      'remediation issue gone',
    );
    await forgetIssue(deps.db, credential.id, issue);
    return ensureIssue(octokit, deps, credential.id, jobId);
  }

  const added = await newOwners(octokit, deps, repo, pending, current.assignees);
  const previous = await loadAssignment(deps.db, credential.id);
  const assignment: AssignmentRecord = {
    ...previous,
    assignees: union(previous.assignees, added.assignees).slice(0, MAX_ASSIGNEES),
    teams: union(previous.teams, added.teams),
    notes: [...new Set([...previous.notes, ...added.notes])],
    // Code owners found for the new locations: the issue is no longer only the fallback's.
    fallback: added.assignees.length > 0 ? undefined : previous.fallback,
  };
  const allExposures = await loadExposures(deps.db, credential.id);
  const visibility = await visibilityOf(
    octokit,
    allExposures.exposures.map((e) => e.repo),
  );
  const htmlBase = htmlBaseOf(octokit);

  const { result } = await takeUnnotifiedExposures(deps.db, credential.id, jobId, async (taken) => {
    if (taken.length === 0) return { result: 'unchanged' as const };
    const before = (await loadCredential(deps.db, credential.id)) ?? credential;
    const ended = isCredentialState(before.state) && isTerminal(before.state);
    const reopening = reopens(ended, current);
    // Shown as it will be once the announcement commits: an ended or new credential is `notified` again.
    const shown = ended || before.state === 'detected' ? 'notified' : before.state;
    const all = await loadExposures(deps.db, credential.id);
    const view = await credentialView(deps.db, before, deps.rules, shown);
    const body = issueBody(view, issueLocations(all.exposures), issueOwners(assignment), {
      htmlBase,
      visibility,
      securityTeam: assignment.securityTeam,
      totalLocations: all.total,
      alerts: await issueAlerts(deps.db, credential.id),
    });
    const change: IssueChange = changeOf(current, body, mergeLabels(current.labels, issueLabels(view)));
    const assignees = union(current.assignees, added.assignees).slice(0, MAX_ASSIGNEES);
    if (assignees.length > current.assignees.length) change.assignees = assignees;
    if (reopening) Object.assign(change, { state: 'open', stateReason: 'reopened' } satisfies IssueChange);
    await updateIssue(octokit, repo, issue.number, change);
    // Locations the body already listed (an issue found again by its marker) need no comment.
    const fresh = taken.filter((exposure) => !current.body.includes(locationUrl(htmlBase, exposure)));
    if (fresh.length > 0 || reopening) {
      const comment = locationsComment(
        issueLocations(fresh.length > 0 ? fresh : taken),
        { htmlBase },
        {
          reopened: reopening,
          newAssignees: added.assignees.filter((login) => assignees.includes(login)),
        },
      );
      await addComment(octokit, repo, issue.number, comment);
    }
    return {
      result: reopening ? ('reopened' as const) : ('updated' as const),
      commit: async (tx: Queryable) => {
        if (ended) await transition(tx, credential.id, 'notified', { actor: ACTOR, reason: 'leaked again' });
        else await notified(tx, credential.id, deps.log);
        if (added.assignees.length > 0 || added.teams.length > 0)
          await recordAssignment(tx, credential.id, added, { issue: `${issue.repo}#${issue.number}` });
        await recordEvent(tx, {
          credentialId: credential.id,
          kind: reopening ? 'issue-reopened' : 'exposures-announced',
          actor: ACTOR,
          data: { issue: `${issue.repo}#${issue.number}`, job: jobId, exposures: taken.map((e) => e.id) },
        });
      },
    };
  });
  if (result !== 'unchanged')
    deps.log.info(
      { credentialId: credential.id, issue: `${issue.repo}#${issue.number}`, action: result },
      'remediation issue updated',
    );
  return { repo, number: issue.number, action: result };
}

/**
 * Whether a new leak reopens the issue: the credential had ended (`false-positive`, `test-credential`,
 * `closed`: it moves back to `notified`), or a person closed the issue as done (`completed`, or no
 * reason). An issue closed as not planned stays closed and only gets the comment.
 */
/**
 * Whether a new leak reopens the issue: always when the credential had ended (false positive, test
 * credential, closed) and the issue is closed; otherwise when the issue was closed as done.
 */
function reopens(ended: boolean, issue: IssueState): boolean {
  if (ended) return issue.state === 'closed';
  return issue.state === 'closed' && (issue.stateReason === 'completed' || issue.stateReason === null);
}

/** `detected → notified` once an issue announces the credential (any other state stays as it is). */
async function notified(tx: Queryable, credentialId: number, log: Logger): Promise<void> {
  const credential = await loadCredential(tx, credentialId);
  if (credential?.state !== 'detected') return;
  const moved = await transition(tx, credentialId, 'notified', { actor: ACTOR, reason: 'issue opened' });
  if ('refused' in moved)
    log.warn({ credentialId, refused: moved.refused }, 'credential not moved to notified');
}

/** The CODEOWNERS of new locations who are not assigned yet and can be (no fallback: they add to owners). */
async function newOwners(
  octokit: Octokit,
  deps: EnsureIssueDeps,
  repo: RepoRef,
  exposures: Parameters<typeof codeOwnersOf>[1],
  assigned: readonly string[],
): Promise<{ assignees: string[]; teams: string[]; notes: string[] }> {
  const owners = await codeOwnersOf(octokit, exposures, deps.codeowners);
  const known = new Set(assigned.map((login) => login.toLowerCase()));
  const fresh = owners.filter((owner) => !known.has(owner.replace(/^@/, '').toLowerCase()));
  if (fresh.length === 0) return { assignees: [], teams: [], notes: [] };
  const resolved = await resolveAssignees(octokit, repo, fresh, {});
  // Fallback assignees (the security team, admins) are for issues with no owner: this one has some.
  if (resolved.fallback) return { assignees: [], teams: resolved.teams, notes: [] };
  return {
    assignees: resolved.assignees.filter((login) => !known.has(login.toLowerCase())),
    teams: resolved.teams,
    notes: resolved.notes,
  };
}

/** `base`, then the logins of `more` it lacks (GitHub logins compare case-insensitively). */
function union(base: readonly string[], more: readonly string[]): string[] {
  const out = [...base];
  const seen = new Set(base.map((login) => login.toLowerCase()));
  for (const login of more) {
    if (seen.has(login.toLowerCase())) continue;
    seen.add(login.toLowerCase());
    out.push(login);
  }
  return out;
}
