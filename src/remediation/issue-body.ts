import { cell, code, plural } from '../github/markdown.js';
import type { CredentialClass } from '../rules/types.js';
import { alertsSection, type IssueAlert } from './issue-alerts.js';

export type { IssueAlert } from './issue-alerts.js';

/**
 * The title, body and comments of a remediation issue, written for a reader who has never heard of
 * keywarden: what leaked and why it matters, where, who owns it, what state it is in, what to do, and
 * the commands that move it along. Only the redacted preview and the fingerprint ever appear, never a
 * secret. Pure: everything comes in as values.
 */

/** GitHub refuses issue and comment bodies longer than this (characters). */
export const BODY_MAX = 65_536;
/** Room kept under the limit (GitHub counts characters slightly differently than JavaScript). */
const BODY_BUDGET = BODY_MAX - 1_536;
/** Locations listed in the body before the table is cut with a count. */
const BODY_ROWS = 200;
/** Locations listed in one comment. */
const COMMENT_ROWS = 50;

/** The credential an issue is about, as the inventory and its rule describe it. */
export interface LeakedCredential {
  fingerprint: string;
  provider: string;
  ruleId: string;
  /** The rule's title: the credential kind, e.g. `OpenAI project API key`. */
  title: string;
  class: CredentialClass | string;
  severity: string;
  /** e.g. `sk-proj-…a1B2`. */
  redacted: string;
  state: string;
  firstSeen: Date;
  /** The provider's page where keys of this kind are revoked. */
  revokeUrl?: string;
  /** The latest verification at the provider, when there was one. */
  verification?: { verdict: string; detail: string; at: Date };
}

/** One place the credential was seen. */
export interface IssueLocation {
  repo: string;
  commitSha: string;
  path: string;
  line: number;
  source: 'push' | 'pull_request' | 'alert' | string;
  ref?: string | undefined;
  pullRequest?: number | undefined;
}

/** Who owns the exposed code (from CODEOWNERS, or the fallback when nobody could be assigned). */
export interface IssueOwners {
  assignees: readonly string[];
  /** `@org/team` mentions (a team cannot be assigned). */
  teams: readonly string[];
  fallback?: 'security-team' | 'admins' | undefined;
  /** Owners that could not be assigned and why (emails, unknown users). */
  notes: readonly string[];
}

/** What the rendering needs besides the credential. */
export interface IssueContext {
  /** Web address of the GitHub the repositories live on: `https://github.com`, or a GHE host. */
  htmlBase: string;
  /** Visibility of the repositories it leaked in, where known. */
  visibility: ReadonlyMap<string, 'public' | 'private' | 'internal' | string>;
  /** The configured security team (`@org/team`), who may always act. */
  securityTeam?: string | undefined;
  /** Locations in the inventory, when more exist than the `locations` given. */
  totalLocations?: number;
  /** GitHub secret scanning alerts about the credential (shown in their own section when there are any). */
  alerts?: readonly IssueAlert[];
}

/** Why each class of credential is high risk, in one line. */
export const CLASS_RISK: Record<CredentialClass, string> = {
  'model-api':
    'calls paid model APIs on your account: anyone holding it runs up your bill and can read the files, assistants and fine-tunes the key can see.',
  inference:
    'runs hosted inference on your account: unbounded usage billed to you, and access to your deployed models and endpoints.',
  'fine-tuning':
    'trains and reads custom models: your training data and models are exposed, and training jobs are billed to you.',
  'vector-store':
    'opens your vector database: the embeddings and the documents behind them can be read, changed or deleted.',
  'agent-tool':
    'powers the tools your agents call (search, scraping, browsing, speech): usage billed to you, and results that can be read or poisoned.',
  'ml-platform':
    'opens an ML platform account: models, datasets, notebooks and compute, often with write access.',
  'cloud-ai': 'is a cloud credential that reaches AI services, and often much more of the cloud account.',
  observability:
    'opens your LLM traces and logs: prompts and responses, which often hold customer data and other secrets.',
};

const STATE_NEXT: Record<string, string> = {
  detected: 'keywarden has just found it and is notifying the owners.',
  notified:
    'Waiting for an owner. Confirm it is real (`/keywarden confirm`), or close it as a false positive or a test credential; then revoke the key and replace it (checklist below).',
  confirmed:
    "Confirmed as a real credential. Next: revoke it at the provider (`/keywarden revoke` revokes it through the provider's API when the repository's `revocation` policy allows, or gives the steps), then replace it and say `/keywarden rotated`.",
  revoked:
    'The key is revoked. Next: put its replacement in a secrets manager, remove the old one from the code, then say `/keywarden rotated`.',
  rotated: 'Revoked and replaced: nothing left to do. The issue is closed.',
  'false-positive':
    'An owner said this is not a credential. keywarden no longer reports it where it was found; the issue is closed (a new leak elsewhere reopens it).',
  'test-credential':
    'An owner said this is a test credential with no access. keywarden no longer reports it where it was found; the issue is closed (a new leak elsewhere reopens it).',
  closed: 'Closed: nothing left to do.',
};

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ['/keywarden confirm', 'It is a real credential: keeps the issue open until it is revoked.'],
  [
    '/keywarden false-positive <reason>',
    'It is not a credential: closes the issue and stops reporting it where it was found.',
  ],
  [
    '/keywarden test-credential <reason>',
    'It is a test key with no access: closes the issue and stops reporting it where it was found.',
  ],
  [
    '/keywarden revoke',
    'Revoke it at the provider: through its API when the `revocation` policy allows (after `confirm`), else the manual steps.',
  ],
  ['/keywarden rotated', 'It is revoked and replaced: closes the issue.'],
  ['/keywarden status', 'Shows the current state and its history.'],
  ['/keywarden help', 'Lists these commands.'],
];

/** The hidden marker that finds a credential's issue again, whatever the database remembers. */
export function credentialMarker(fingerprint: string): string {
  return `<!-- keywarden:credential ${fingerprint} -->`;
}

/** `Leaked OpenAI project API key sk-proj-…a1B2 in acme/app`. */
export function issueTitle(credential: LeakedCredential, repo: string): string {
  return `Leaked ${credential.title} ${credential.redacted} in ${repo}`.slice(0, 256);
}

/**
 * The whole issue body, under GitHub's limit: the locations table is cut (with a count of what is left
 * out) until it fits.
 */
export function issueBody(
  credential: LeakedCredential,
  locations: readonly IssueLocation[],
  owners: IssueOwners,
  context: IssueContext,
): string {
  const total = Math.max(context.totalLocations ?? 0, locations.length);
  let rows = Math.min(BODY_ROWS, locations.length);
  for (;;) {
    const body = [
      credentialMarker(credential.fingerprint),
      intro(credential, locations, context.alerts ?? []),
      whatSection(credential),
      `### Where\n\n${whereText(locations.slice(0, rows), total, context)}`,
      ...alertsSection(context.alerts ?? []),
      ownersSection(owners),
      stateSection(credential),
      checklist(credential, locations, context),
      commandsSection(locations, context),
    ].join('\n\n');
    if (body.length <= BODY_BUDGET || rows === 0) return `${body}\n`;
    rows = Math.floor(rows / 2);
  }
}

/** The comment announcing new locations of a credential; `reopened` when the issue was closed as done. */
export function locationsComment(
  locations: readonly IssueLocation[],
  context: Pick<IssueContext, 'htmlBase'>,
  options: { reopened: boolean; newAssignees?: readonly string[] },
): string {
  const count = plural(locations.length, 'new location');
  const lead = options.reopened
    ? `**Reopened: this credential leaked again** (${count}). The issue had been closed as done, but the key is still being committed; until it is revoked, every copy is usable.`
    : `**This credential was found again** (${count}). The table of locations in the issue is updated.`;
  const assigned =
    options.newAssignees && options.newAssignees.length > 0
      ? `\n\nAlso assigned, as owners of the new locations: ${options.newAssignees.map(mention).join(', ')}.`
      : '';
  return `${lead}\n\n${locationsTable(locations.slice(0, COMMENT_ROWS), locations.length, context.htmlBase)}${assigned}\n`;
}

function intro(
  credential: LeakedCredential,
  locations: readonly IssueLocation[],
  alerts: readonly IssueAlert[],
): string {
  const heading = `## ${cell(credential.title)} leaked (${credential.severity})`;
  if (locations.length === 0) {
    const repos = [...new Set(alerts.map((alert) => alert.repo))];
    const where = repos.length === 1 ? code(repos[0]!) : plural(repos.length, 'repository', 'repositories');
    return [
      heading,
      '',
      `GitHub secret scanning found one in ${where}, outside the code: in the text of an issue, a pull request, a discussion or the wiki (listed below). ` +
        'Anyone who can read that text (or a notification email of it) can use this key until it is **revoked at the provider**: editing the text is not enough. ' +
        'This issue tracks it until it is revoked and replaced.',
    ].join('\n');
  }
  const repos = [...new Set(locations.map((l) => l.repo))];
  const where = repos.length === 1 ? code(repos[0]!) : plural(repos.length, 'repository', 'repositories');
  return [
    heading,
    '',
    `keywarden, the GitHub App that watches this organisation's code for AI credentials, found one committed in ${where}. ` +
      'Anyone who can read that code (or a clone, fork or CI log of it) can use this key until it is **revoked at the provider**: deleting the line is not enough. ' +
      'This issue tracks it until it is revoked and replaced.',
  ].join('\n');
}

/** The locations table, or, when no commit holds the key, where GitHub saw it instead. */
function whereText(locations: readonly IssueLocation[], total: number, context: IssueContext): string {
  if (locations.length === 0 && total === 0)
    return 'No commit holds it: GitHub secret scanning saw it outside the code (see its alerts below).';
  return locationsTable(locations, total, context.htmlBase);
}

function whatSection(credential: LeakedCredential): string {
  const risk = CLASS_RISK[credential.class as CredentialClass] ?? 'opens an AI service billed to you.';
  return [
    '### What leaked',
    '',
    '| | |',
    '|---|---|',
    `| Provider | ${code(credential.provider)} |`,
    `| Credential | ${cell(credential.title)} (${code(credential.ruleId)}) |`,
    `| Class | ${code(credential.class)}: this kind of key ${cell(risk)} |`,
    `| Severity | **${cell(credential.severity)}** |`,
    `| Preview | ${code(credential.redacted)} (redacted: the full value is never stored or shown) |`,
    `| First seen | ${formatTime(credential.firstSeen)} |`,
    ...(credential.verification
      ? [
          `| Verified at the provider | **${cell(credential.verification.verdict)}** on ${formatTime(credential.verification.at)}: ${cell(credential.verification.detail)} |`,
        ]
      : []),
    `| Fingerprint | ${code(credential.fingerprint.slice(0, 16))} (keyed hash of the value) |`,
  ].join('\n');
}

/** A table of locations, at most `locations.length` rows, with a count of the rest of `total`. */
function locationsTable(locations: readonly IssueLocation[], total: number, htmlBase: string): string {
  const rows = locations.map((location) => {
    const commit = `[${code(location.commitSha.slice(0, 7))}](${commitUrl(htmlBase, location)})`;
    const at = `[${code(`${location.path}:${location.line}`)}](${locationUrl(htmlBase, location)})`;
    return `| ${code(location.repo)} | ${commit} | ${at} | ${foundBy(location)} |`;
  });
  const rest = total - locations.length;
  const more = rest > 0 ? `\n\n_…and ${plural(rest, 'more location')} not listed here._` : '';
  return ['| Repository | Commit | Location | Found in |', '|---|---|---|---|', ...rows].join('\n') + more;
}

function ownersSection(owners: IssueOwners): string {
  const lines = ['### Who owns it', ''];
  if (owners.assignees.length > 0) {
    const why =
      owners.fallback === 'security-team'
        ? 'the security team: no CODEOWNER of the exposed paths could be assigned'
        : owners.fallback === 'admins'
          ? 'repository admins: no CODEOWNER of the exposed paths could be assigned and no security team is configured'
          : 'CODEOWNERS of the exposed paths';
    lines.push(`Assigned to ${owners.assignees.map(mention).join(', ')} (${why}).`);
  } else {
    lines.push(
      'Nobody could be assigned. Add a CODEOWNERS file that covers these paths, or set `issues.securityTeam` in `.github/keywarden.yml`.',
    );
  }
  if (owners.teams.length > 0) lines.push('', `Owning teams: ${owners.teams.map(mention).join(', ')}.`);
  const notes = owners.notes.filter(
    (note) => owners.assignees.length > 0 || !note.startsWith('Nobody could'),
  );
  for (const note of notes) lines.push('', `> ${cell(note)}`);
  return lines.join('\n');
}

function stateSection(credential: LeakedCredential): string {
  const next = STATE_NEXT[credential.state] ?? 'See `/keywarden status`.';
  return `### State: \`${credential.state}\`\n\n${next}`;
}

function checklist(
  credential: LeakedCredential,
  locations: readonly IssueLocation[],
  context: IssueContext,
): string {
  const revoke = credential.revokeUrl
    ? `at the provider: ${credential.revokeUrl}`
    : `in the ${code(credential.provider)} console`;
  const repos = [...new Set(locations.map((l) => l.repo))];
  const publicRepos = repos.filter((repo) => context.visibility.get(repo) === 'public');
  const history =
    publicRepos.length > 0
      ? `**${publicRepos.map(code).join(', ')} ${publicRepos.length === 1 ? 'is' : 'are'} public: treat the history as compromised.** Anyone may already have copied the key; rewriting history does not take it back, so revoking is what counts.`
      : 'If the repository is (or ever was) public, or has forks, treat its history as compromised: rewriting history does not take the key back, revoking does.';
  return [
    '### What to do',
    '',
    `- [ ] **Revoke** the key ${revoke} (first: removing it from the code does not make it safe).`,
    '- [ ] **Create a new key** and keep it in a secrets manager (GitHub Actions secrets, Vault, your cloud’s secret manager), never in code.',
    '- [ ] **Remove** the key from the code and read the new one from the environment or the secrets manager.',
    `- [ ] ${history}`,
  ].join('\n');
}

function commandsSection(locations: readonly IssueLocation[], context: IssueContext): string {
  const repos = [...new Set(locations.map((l) => l.repo))].map(code).join(', ') || 'the repository';
  const team = context.securityTeam
    ? `a member of ${mention(context.securityTeam)} (the security team)`
    : 'a member of the security team (`issues.securityTeam`, when configured)';
  return [
    '### Commands',
    '',
    'Comment on this issue with one of:',
    '',
    '| Command | What it does |',
    '|---|---|',
    ...COMMANDS.map(([command, what]) => `| ${code(command)} | ${what} |`),
    '',
    `Who may use them: a CODEOWNER of an exposed path, ${team}, or anyone with admin or maintain permission on ${repos}. Anyone else gets a reply saying who can, and nothing changes.`,
  ].join('\n');
}

function foundBy(location: IssueLocation): string {
  if (location.source === 'pull_request' && location.pullRequest !== undefined)
    return `pull request #${location.pullRequest}`;
  if (location.source === 'alert') return 'secret scanning alert';
  if (location.ref) return `push to ${code(location.ref.replace(/^refs\/(?:heads|tags)\//, ''))}`;
  return cell(location.source);
}

/** `@alice`, `@acme/security`: one `@`, whatever the input had. */
function mention(login: string): string {
  return `@${login.replace(/^@/, '')}`;
}

function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The web page of a commit. */
export function commitUrl(htmlBase: string, location: Pick<IssueLocation, 'repo' | 'commitSha'>): string {
  return `${htmlBase}/${location.repo}/commit/${location.commitSha}`;
}

/** The file at the commit, scrolled to the line: `https://github.com/o/r/blob/<sha>/<path>#L<line>`. */
export function locationUrl(
  htmlBase: string,
  location: Pick<IssueLocation, 'repo' | 'commitSha' | 'path' | 'line'>,
): string {
  const path = location.path.split('/').map(encodeURIComponent).join('/');
  return `${htmlBase}/${location.repo}/blob/${location.commitSha}/${path}#L${location.line}`;
}

/**
 * The web address of a GitHub from its API address: `https://api.github.com` → `https://github.com`;
 * GitHub Enterprise Server `https://ghe.example.com/api/v3` → `https://ghe.example.com`.
 */
export function htmlBaseFromApi(apiBase: string): string {
  const trimmed = apiBase.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(trimmed)) return 'https://github.com';
  return trimmed.replace(/\/api\/v3$/i, '');
}
