import type { GitHubStandin, GitIdentity } from '../standin/index.js';

/**
 * The organisation the demo plays in: `demo-org/payments`, a private repository whose CODEOWNERS gives
 * `config/` to the `@demo-org/platform` team and to alice, and the people around it.
 */

export const ORG = 'demo-org';
export const REPO = `${ORG}/payments`;
export const INSTALLATION_ID = 1;
export const REPO_ID = 4201;
export const TEAM = 'platform';

/** Who is who; logins are made up. */
export const PEOPLE = {
  /** Pushes the leaking commit; can write to the repository but owns nothing. */
  developer: { name: 'Sam Rivera', email: 'sam@demo-org.example', login: 'sam' } satisfies GitIdentity,
  /** A code owner of `/config/` by name. */
  owner: 'alice',
  /** Members of `@demo-org/platform`, the team that owns `/config/`. */
  team: ['dana', 'erin'],
  /** Repository admin, owner of everything else. */
  admin: 'root',
  /** Can read the repository and comment, owns nothing. */
  bystander: 'mallory',
} as const;

export const CODEOWNERS = [
  '# Who owns what in demo-org/payments (GitHub CODEOWNERS syntax: the last matching pattern wins)',
  `*           @${PEOPLE.admin}`,
  `/config/    @${ORG}/${TEAM} @${PEOPLE.owner}`,
  '',
].join('\n');

/** The repository's keywarden config: revoke a leaked key at the provider once an owner confirms it. */
export const KEYWARDEN_CONFIG = [
  '# keywarden: revoke a confirmed leak at the provider through its API',
  'revocation: on-confirm',
  '',
].join('\n');

/** The file the leak lands in, and its text around the key. */
export const LEAK_PATH = 'config/.env';
export function leakFile(key: string): string {
  return ['# payments service', 'PAYMENTS_REGION=eu-west-1', `OPENAI_API_KEY=${key}`, ''].join('\n');
}

/**
 * Installs the App on the organisation, creates the team, the collaborators and the repository with its
 * first commit (already pushed: keywarden starts watching after it).
 */
export function buildWorld(github: GitHubStandin): void {
  github.addInstallation(INSTALLATION_ID, ORG);
  github.addTeam(ORG, TEAM, [...PEOPLE.team]);
  github.addRepo({ owner: ORG, name: 'payments', id: REPO_ID, defaultBranch: 'main', private: true });
  github.addCollaborator(REPO, PEOPLE.admin, 'admin');
  github.addCollaborator(REPO, PEOPLE.owner, 'write');
  github.addCollaborator(REPO, PEOPLE.developer.login, 'write');
  github.addCollaborator(REPO, PEOPLE.bystander, 'read');
  github.commit(
    REPO,
    'main',
    {
      'README.md': '# payments\n\nTakes the money.\n',
      '.github/CODEOWNERS': CODEOWNERS,
      '.github/keywarden.yml': KEYWARDEN_CONFIG,
      'src/server.ts': "export const region = process.env['PAYMENTS_REGION'];\n",
    },
    'Initial commit',
    { author: PEOPLE.developer },
  );
  github.payloads.push(REPO, 'main');
}
