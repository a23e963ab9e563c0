import { ownersFor } from '../github/codeowners.js';
import { type Codeowners, isTeamMember, readCodeowners } from '../github/owners.js';
import type { Octokit, RepoRef } from '../github/types.js';

/**
 * Who may move a credential along its lifecycle (DESIGN.md "Who may act"):
 *
 * 1. a CODEOWNER of a path the credential was exposed in, read from CODEOWNERS at the exposure's commit
 *    (a user owner by login; a team owner through team membership; email owners cannot be matched);
 * 2. a member of the configured security team (`issues.securityTeam`);
 * 3. a user whose role on the issue's repository or an exposed repository is `admin` or `maintain`
 *    (the collaborator permission API; 404 means no role).
 *
 * Checks run in that order and stop at the first that allows; user owners cost no request beyond
 * reading CODEOWNERS (cached per repository and sha). Requests are bounded: at most
 * {@link MAX_CODEOWNERS_READS} CODEOWNERS files, {@link MAX_TEAM_CHECKS} team lookups and
 * {@link MAX_PERMISSION_CHECKS} permission lookups per decision.
 */
export type Authorization = { allowed: true; because: string } | { allowed: false; who: string };

/** A place the credential was seen. */
export interface ExposedPlace {
  /** `owner/name` */
  repo: string;
  commitSha: string;
  path: string;
}

export interface AuthorizeRequest {
  /** The GitHub login of the person asking. */
  actor: string;
  /** The repository the remediation issue lives in. */
  issueRepo: RepoRef;
  /** Where the credential was seen, oldest first. */
  exposures: readonly ExposedPlace[];
  /** `@org/team` from `issues.securityTeam`. */
  securityTeam?: string;
}

export const MAX_CODEOWNERS_READS = 10;
export const MAX_TEAM_CHECKS = 10;
export const MAX_PERMISSION_CHECKS = 5;

const ACTING_ROLES = new Set(['admin', 'maintain']);

/**
 * Decides whether `actor` may act on a credential; when not, `who` says, for a reply, who can.
 *
 * @example
 * const decision = await authorize(octokit, { actor: 'octocat', issueRepo, exposures, securityTeam }, { cache });
 * if (!decision.allowed) reply(`Only ${decision.who} can do this.`);
 */
export async function authorize(
  octokit: Octokit,
  request: AuthorizeRequest,
  deps: { cache: Map<string, Codeowners> },
): Promise<Authorization> {
  const actor = request.actor.toLowerCase();
  const owners = await ownersOfExposures(octokit, request.exposures, deps.cache);

  for (const [owner, path] of owners) {
    if (owner.toLowerCase() === `@${actor}`) return { allowed: true, because: `code owner of ${path}` };
  }
  const team = request.securityTeam;
  if (team && (await isTeamMember(octokit, team, request.actor))) {
    return { allowed: true, because: `member of the security team ${team}` };
  }
  const teams = [...owners].filter(([owner]) => owner.includes('/')).slice(0, MAX_TEAM_CHECKS);
  for (const [owner, path] of teams) {
    if (owner.toLowerCase() === team?.toLowerCase()) continue;
    if (await isTeamMember(octokit, owner, request.actor)) {
      return { allowed: true, because: `member of ${owner}, code owner of ${path}` };
    }
  }
  const repos = actingRepos(request).slice(0, MAX_PERMISSION_CHECKS);
  for (const repo of repos) {
    const role = await roleOn(octokit, repo, request.actor);
    if (role && ACTING_ROLES.has(role)) {
      return { allowed: true, because: `${role} on ${repo.owner}/${repo.repo}` };
    }
  }
  return { allowed: false, who: describeWho([...owners.keys()], team, repos) };
}

/**
 * The owners (`@user`, `@org/team`) of every exposed path, each with the first path it owns, in the order
 * found. CODEOWNERS is read at each exposure's commit.
 */
async function ownersOfExposures(
  octokit: Octokit,
  exposures: readonly ExposedPlace[],
  cache: Map<string, Codeowners>,
): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const read = new Map<string, Codeowners>();
  for (const exposure of exposures) {
    const key = `${exposure.repo.toLowerCase()}@${exposure.commitSha}`;
    let codeowners = read.get(key);
    if (!codeowners) {
      if (read.size >= MAX_CODEOWNERS_READS) continue;
      codeowners = await readCodeowners(octokit, repoRef(exposure.repo), exposure.commitSha, { cache });
      read.set(key, codeowners);
    }
    for (const owner of ownersFor(codeowners.rules, exposure.path)) {
      if (owner.startsWith('@') && !owners.has(owner)) owners.set(owner, `${exposure.repo}:${exposure.path}`);
    }
  }
  return owners;
}

/** The issue's repository, then each exposed repository, once each. */
function actingRepos(request: AuthorizeRequest): RepoRef[] {
  const seen = new Set<string>();
  const repos: RepoRef[] = [];
  for (const repo of [request.issueRepo, ...request.exposures.map((e) => repoRef(e.repo))]) {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    repos.push(repo);
  }
  return repos;
}

/** The actor's role on a repository (`admin`, `maintain`, `write`, …), or `undefined` for none (404). */
async function roleOn(octokit: Octokit, repo: RepoRef, username: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    return data.role_name || data.permission;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

function repoRef(fullName: string): RepoRef {
  const slash = fullName.indexOf('/');
  return { owner: fullName.slice(0, slash), repo: fullName.slice(slash + 1) };
}

/**
 * Who may act, for a reply. Names are in code spans so that a refused command does not mention (and
 * notify) every owner.
 *
 * @example describeWho(['@a'], '@org/sec', [{ owner: 'o', repo: 'r' }])
 * // "the code owners of the exposed paths (`@a`), members of the security team `@org/sec` or people
 * //  with the admin or maintain role on o/r"
 */
export function describeWho(
  owners: readonly string[],
  securityTeam: string | undefined,
  repos: readonly RepoRef[],
): string {
  const parts: string[] = [];
  const names = owners.map((owner) => `\`${owner}\``).join(', ');
  if (owners.length > 0) parts.push(`the code owners of the exposed paths (${names})`);
  if (securityTeam) parts.push(`members of the security team \`${securityTeam}\``);
  const repoNames = repos.map((repo) => `${repo.owner}/${repo.repo}`).join(', ');
  parts.push(`people with the admin or maintain role on ${repoNames}`);
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}
