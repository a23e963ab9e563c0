import { type CodeownersError, type CodeownersRule, ownerKind, parseCodeowners } from './codeowners.js';
import { statusOf } from './errors.js';
import type { Octokit, RepoRef } from './types.js';

/** A repository's CODEOWNERS at one commit: where it was found (none: no file), its rules and errors. */
export interface Codeowners {
  /** `.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`; absent when the commit has none. */
  file?: string;
  rules: CodeownersRule[];
  /** Lines GitHub would skip, and why; line 0 is about the whole file. */
  errors: CodeownersError[];
}

/** Where GitHub looks for CODEOWNERS, in its order: the first file found is the one used. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** GitHub does not load a CODEOWNERS file of 3 MB or more. */
export const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

/** Entries the CODEOWNERS cache keeps; the least recently used goes first. */
export const CODEOWNERS_CACHE_LIMIT = 500;

/** GitHub's limit of assignees per issue. */
export const MAX_ASSIGNEES = 10;

/** Assignability checks per resolution at most, so a huge team cannot cost hundreds of requests. */
const MAX_CHECKS = 50;

/**
 * Reads the CODEOWNERS that GitHub would use at `sha`: the first of `.github/CODEOWNERS`, `CODEOWNERS`
 * and `docs/CODEOWNERS` (a 404 moves on to the next), parsed with {@link parseCodeowners}. Cached per
 * repository and sha in `deps.cache` (bounded; a commit's files never change). A file of 3 MB or more is
 * found but not loaded, as on GitHub. Other failures (5xx, 403) are thrown.
 *
 * @example
 * const owners = await readCodeowners(octokit, { owner, repo }, exposure.commitSha, { cache: deps.codeowners });
 * ownersFor(owners.rules, exposure.path);
 */
export async function readCodeowners(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
  deps: { cache: Map<string, Codeowners> },
): Promise<Codeowners> {
  const key = `${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
  const cached = deps.cache.get(key);
  if (cached) {
    deps.cache.delete(key);
    deps.cache.set(key, cached);
    return cached;
  }

  let found: Codeowners = { rules: [], errors: [] };
  for (const path of CODEOWNERS_PATHS) {
    const text = await readFile(octokit, repo, path, sha);
    if (text === undefined) continue;
    found = parseFile(path, text);
    break;
  }

  deps.cache.set(key, found);
  while (deps.cache.size > CODEOWNERS_CACHE_LIMIT) {
    const oldest = deps.cache.keys().next().value;
    if (oldest === undefined) break;
    deps.cache.delete(oldest);
  }
  return found;
}

function parseFile(file: string, text: string): Codeowners {
  if (Buffer.byteLength(text, 'utf8') >= CODEOWNERS_MAX_BYTES) {
    return {
      file,
      rules: [],
      errors: [{ line: 0, message: 'CODEOWNERS is 3 MB or more: GitHub does not load it' }],
    };
  }
  return { file, ...parseCodeowners(text) };
}

/** A file's text at `ref`; `undefined` when there is no such file (404, or a directory of that name). */
async function readFile(
  octokit: Octokit,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'raw' } }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (typeof data === 'string') return data;
  // Some servers ignore the raw media type and answer with the JSON form.
  const file = data as { type?: unknown; encoding?: unknown; content?: unknown };
  if (file?.type !== 'file' || typeof file.content !== 'string') return undefined;
  return file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
}

/** Who to assign a remediation issue to, and what was left out and why. */
export interface Assignment {
  /** Logins to assign (at most {@link MAX_ASSIGNEES}), each checked assignable in the issue's repository. */
  assignees: string[];
  /** Teams to mention in the issue body (`@org/team`): a team cannot be assigned. */
  teams: string[];
  /** Set when no code owner could be assigned and the assignees came from elsewhere. */
  fallback?: 'security-team' | 'admins';
  /** One sentence per owner or group left out, and why (for the issue body and the logs). */
  notes: string[];
}

/**
 * Turns CODEOWNERS owners into assignees of an issue in `repo` (the repository the issue lives in):
 * `@user` as is, `@org/team` expanded to its members (`teams.listMembersInOrg`) and listed in `teams`
 * for a mention, emails noted (an App cannot look a user up by email). Each login is kept only if
 * `issues.checkUserCanBeAssigned` says it can be assigned in `repo`; at most 10 (GitHub's limit). When
 * nobody is left: the members of `options.securityTeam`, else the repository's admins
 * (`repos.listCollaborators` with `permission: admin`). A team that does not exist or cannot be seen
 * (a 404 or 403) is noted; other failures are thrown.
 *
 * @example
 * const { assignees, teams, notes } = await resolveAssignees(octokit, issueRepo, ['@octocat', '@acme/web'], {
 *   securityTeam: config.issues.securityTeam,
 * });
 */
export async function resolveAssignees(
  octokit: Octokit,
  repo: RepoRef,
  owners: readonly string[],
  options: { securityTeam?: string },
): Promise<Assignment> {
  const notes: string[] = [];
  const teams: string[] = [];
  const candidates = new Candidates();

  for (const owner of owners) {
    const kind = ownerKind(owner);
    if (kind === 'user') candidates.add(owner.slice(1));
    else if (kind === 'email')
      notes.push(
        `${owner} is an email owner: a GitHub App cannot look up a user by email, so it is not assigned.`,
      );
    else if (kind === 'team') {
      if (teams.some((team) => team.toLowerCase() === owner.toLowerCase())) continue;
      const members = await teamMembers(octokit, owner);
      if (members === undefined) {
        notes.push(teamNotFound(owner));
        continue;
      }
      teams.push(owner);
      for (const login of members) candidates.add(login);
    } else notes.push(`${owner} is not a user, team or email, so it is not assigned.`);
  }

  const assignees = await assignable(octokit, repo, candidates.list, notes);
  if (assignees.length > 0) return { assignees, teams, notes };

  if (options.securityTeam) {
    const members = await teamMembers(octokit, options.securityTeam);
    if (members === undefined) notes.push(teamNotFound(options.securityTeam));
    else {
      const fromTeam = await assignable(octokit, repo, new Candidates(members).list, notes);
      if (!teams.includes(options.securityTeam)) teams.push(options.securityTeam);
      if (fromTeam.length > 0) {
        notes.push(`No code owner can be assigned, so the security team ${options.securityTeam} is.`);
        return { assignees: fromTeam, teams, fallback: 'security-team', notes };
      }
    }
  }

  const admins = await repositoryAdmins(octokit, repo);
  if (admins.length > MAX_ASSIGNEES)
    notes.push(
      `${admins.length - MAX_ASSIGNEES} more admins are not assigned: GitHub allows ${MAX_ASSIGNEES} assignees.`,
    );
  if (admins.length > 0) {
    notes.push('No code owner or security team member can be assigned, so the repository admins are.');
    return { assignees: admins.slice(0, MAX_ASSIGNEES), teams, fallback: 'admins', notes };
  }
  notes.push('Nobody could be assigned.');
  return { assignees: [], teams, notes };
}

/**
 * Whether `login` is an active member of `team` (`@org/slug`): `teams.getMembershipForUserInOrg`, state
 * `active` (a pending invitation is not membership); a 404 (not a member, or no such team) is `false`.
 *
 * @example if (await isTeamMember(octokit, config.issues.securityTeam, comment.user.login)) …
 */
export async function isTeamMember(octokit: Octokit, team: string, login: string): Promise<boolean> {
  const { org, slug } = parseTeam(team);
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org,
      team_slug: slug,
      username: login,
    });
    return data.state === 'active';
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** Logins in first-seen order, without duplicates (GitHub logins are case-insensitive). */
class Candidates {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();

  constructor(logins: readonly string[] = []) {
    for (const login of logins) this.add(login);
  }

  add(login: string): void {
    const key = login.toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(login);
  }
}

/** The logins of `candidates` that can be assigned in `repo`, up to {@link MAX_ASSIGNEES}, noting the rest. */
async function assignable(
  octokit: Octokit,
  repo: RepoRef,
  candidates: readonly string[],
  notes: string[],
): Promise<string[]> {
  const kept: string[] = [];
  const refused: string[] = [];
  let checked = 0;
  for (const login of candidates) {
    if (kept.length === MAX_ASSIGNEES || checked === MAX_CHECKS) break;
    checked++;
    if (await canBeAssigned(octokit, repo, login)) kept.push(login);
    else refused.push(login);
  }
  if (refused.length > 0) {
    const who = refused.map((login) => `@${login}`).join(', ');
    notes.push(`${who} cannot be assigned in ${repo.owner}/${repo.repo} (no access to it).`);
  }
  const left = candidates.length - checked;
  if (left > 0) {
    const why =
      kept.length === MAX_ASSIGNEES
        ? `GitHub allows ${MAX_ASSIGNEES} assignees`
        : `keywarden checks at most ${MAX_CHECKS} people`;
    notes.push(`${left} more ${left === 1 ? 'owner is' : 'owners are'} not assigned: ${why}.`);
  }
  return kept;
}

/** `issues.checkUserCanBeAssigned`: 204 yes, 404 no. */
async function canBeAssigned(octokit: Octokit, repo: RepoRef, login: string): Promise<boolean> {
  try {
    await octokit.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: login });
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** A team's member logins (every page); `undefined` when the team cannot be found or seen. */
async function teamMembers(octokit: Octokit, team: string): Promise<string[] | undefined> {
  const { org, slug } = parseTeam(team);
  try {
    const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, {
      org,
      team_slug: slug,
      per_page: 100,
    });
    return members.filter((member) => member.type !== 'Bot').map((member) => member.login);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

/** Users with admin on `repo` (bots left out), every page. */
async function repositoryAdmins(octokit: Octokit, repo: RepoRef): Promise<string[]> {
  const collaborators = await octokit.paginate(octokit.rest.repos.listCollaborators, {
    ...repo,
    permission: 'admin',
    per_page: 100,
  });
  return new Candidates(collaborators.filter((user) => user.type !== 'Bot').map((user) => user.login)).list;
}

function teamNotFound(team: string): string {
  return `${team} was not found, or keywarden cannot see it (it needs the members: read permission), so it is not assigned.`;
}

/** `@org/slug` → its parts; team slugs are lower-case in the API. */
function parseTeam(team: string): { org: string; slug: string } {
  const match = /^@?([^/\s]{1,100})\/([^/\s]{1,100})$/.exec(team);
  if (!match) throw new TypeError(`expected a team such as "@acme/security", got "${team}"`);
  return { org: match[1]!, slug: match[2]!.toLowerCase() };
}
