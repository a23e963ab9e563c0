import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { PositiveExample, Rule, RuleFamily } from '../types.js';
import {
  classicToken,
  fineGrainedToken,
  hasClassicChecksum,
  hasFineGrainedChecksum,
  isStatelessInstallationToken,
  statelessInstallationToken,
} from './checksum.js';

/**
 * GitHub tokens, the credentials coding agents, Copilot extensions and GitHub Models calls run on.
 * Formats: github.blog "Behind GitHub's new authentication token formats" (2021), the 2022 fine-grained
 * PAT changelog, and the 2026 stateless installation token notice (`ghs_<app id>_<JWT>`).
 */

const CLASSIC = '[A-Za-z0-9]{36}';

/** A token with its last character changed, so its checksum no longer holds. */
function corrupt(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

/** The same secret in the places people paste GitHub tokens. */
function inContexts(secret: string, variable: string): PositiveExample[] {
  return [
    { text: `${variable}=${secret}`, secret },
    { text: `      ${variable.toLowerCase()}: "${secret}"`, secret },
    { text: `{"${variable.toLowerCase()}":"${secret}","owner":"octo-org"}`, secret },
    { text: `export ${variable}='${secret}'`, secret },
    { text: `gh = Github(auth=Auth.Token("${secret}"))`, secret },
    { text: `git clone https://x-access-token:${secret}@github.com/octo-org/app.git`, secret },
    { text: `"body": "Use this token:\\n${secret}\\nThanks"`, secret },
  ];
}

interface ClassicKind {
  id: string;
  prefix: string;
  title: string;
  severity: Rule['severity'];
  revokeUrl: string;
  variable: string;
  sibling: string;
}

function classicRule(kind: ClassicKind): Rule {
  return {
    id: kind.id,
    provider: 'github',
    title: kind.title,
    class: 'agent-tool',
    severity: kind.severity,
    keywords: [kind.prefix],
    anchor: 'prefix',
    pattern: prefixed(kind.prefix, CLASSIC),
    validate: hasClassicChecksum,
    minEntropy: 3,
    revokeUrl: kind.revokeUrl,
    sample: (seed) => classicToken(kind.prefix, `${kind.id}:${seed}`, 30),
    examples: () => {
      const secret = classicToken(kind.prefix, `${kind.id}:example`, 30);
      return {
        positive: inContexts(secret, kind.variable),
        negative: [
          `${kind.variable}=${corrupt(secret)}`,
          `${kind.variable}=${secret.slice(0, -1)}`,
          `${kind.variable}=${secret}Z`,
          `${kind.variable}=${kind.prefix}token_value_here`,
          `${kind.variable}=${kind.prefix}${'x'.repeat(36)}`,
          `${kind.variable}=${classicToken(kind.sibling, `${kind.id}:sibling`, 30)}`,
          `${kind.variable}=${kind.prefix}${fake(`${kind.id}:dash`, 18, ALPHABETS.alnum)}-${fake(`${kind.id}:dash2`, 17, ALPHABETS.alnum)}`,
        ],
      };
    },
  };
}

/** Classic PAT: user-wide scopes (often `repo`, `workflow`), frequently without expiry. */
const personalAccessToken = classicRule({
  id: 'github.personal-access-token',
  prefix: 'ghp_',
  title: 'GitHub personal access token (classic)',
  // critical: acts as the user on every repository and org they can reach, usually with no expiry.
  severity: 'critical',
  revokeUrl: 'https://github.com/settings/tokens',
  variable: 'GITHUB_TOKEN',
  sibling: 'gho_',
});

const oauthToken = classicRule({
  id: 'github.oauth-token',
  prefix: 'gho_',
  title: 'GitHub OAuth app access token',
  // high: acts as the user within the scopes the OAuth app was granted; does not expire on its own.
  severity: 'high',
  revokeUrl: 'https://github.com/settings/applications',
  variable: 'GH_OAUTH_TOKEN',
  sibling: 'ghp_',
});

const userToServerToken = classicRule({
  id: 'github.user-to-server-token',
  prefix: 'ghu_',
  title: 'GitHub App user access token (user-to-server)',
  // high: acts as the user through a GitHub App (Copilot extensions, agents); expires after 8 hours by default.
  severity: 'high',
  revokeUrl: 'https://github.com/settings/apps/authorizations',
  variable: 'GH_USER_TOKEN',
  sibling: 'ghr_',
});

/** Refresh tokens: classic 40-character form and the 80-character form GitHub issues today. */
const refreshToken: Rule = {
  id: 'github.refresh-token',
  provider: 'github',
  title: 'GitHub App refresh token',
  class: 'agent-tool',
  // medium: mints new user-to-server tokens for 6 months, but only together with the app's client secret.
  severity: 'medium',
  keywords: ['ghr_'],
  anchor: 'prefix',
  pattern: prefixed('ghr_', '(?:[A-Za-z0-9]{76}|[A-Za-z0-9]{36})'),
  validate: hasClassicChecksum,
  minEntropy: 3,
  revokeUrl: 'https://github.com/settings/apps/authorizations',
  sample: (seed) => classicToken('ghr_', `github.refresh-token:${seed}`, 70),
  examples: () => {
    const secret = classicToken('ghr_', 'github.refresh-token:example', 70);
    const short = classicToken('ghr_', 'github.refresh-token:short', 30);
    return {
      positive: [
        {
          text: `{"token_type":"bearer","refresh_token":"${secret}","refresh_token_expires_in":15897600}`,
          secret,
        },
        { text: `GITHUB_REFRESH_TOKEN=${secret}`, secret },
        { text: `refresh_token: '${secret}'`, secret },
        { text: `token = refresh(client_id, "${short}")`, secret: short },
      ],
      negative: [
        `GITHUB_REFRESH_TOKEN=${corrupt(secret)}`,
        `GITHUB_REFRESH_TOKEN=${secret.slice(0, 60)}`,
        `GITHUB_REFRESH_TOKEN=${secret}x`,
        'refresh_token: ghr_token_value_here',
        `refresh_token: ${classicToken('ghu_', 'github.refresh-token:sibling', 30)}`,
      ],
    };
  },
};

/**
 * Installation tokens: the classic 40-character form and the stateless `ghs_<app id>_<JWT>` form GitHub
 * rolls out from 2026-04-27 (~520 characters, variable length).
 */
const installationToken: Rule = {
  id: 'github.installation-token',
  provider: 'github',
  title: 'GitHub App installation access token (server-to-server, incl. Actions GITHUB_TOKEN)',
  class: 'agent-tool',
  // medium: acts as the app on its installation (agents, Actions), but expires one hour after issue.
  severity: 'medium',
  keywords: ['ghs_'],
  anchor: 'prefix',
  pattern: prefixed(
    'ghs_',
    '(?:[A-Za-z0-9]{36}|[0-9]{1,12}_eyJ[A-Za-z0-9_-]{8,512}\\.[A-Za-z0-9_-]{8,4096}\\.[A-Za-z0-9_-]{16,2048})',
  ),
  validate: (secret) =>
    secret.includes('.') ? isStatelessInstallationToken(secret) : hasClassicChecksum(secret),
  minEntropy: 3,
  revokeUrl: 'https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token',
  sample: (seed) => {
    const key = `github.installation-token:${seed}`;
    return fake(key, 1, '01') === '0' ? classicToken('ghs_', key, 30) : statelessInstallationToken(key);
  },
  examples: () => {
    const classic = classicToken('ghs_', 'github.installation-token:example', 30);
    const stateless = statelessInstallationToken('github.installation-token:example');
    const [head, payload, signature] = stateless.split('.') as [string, string, string];
    return {
      positive: [
        { text: `GITHUB_TOKEN=${classic}`, secret: classic },
        {
          text: `git push https://x-access-token:${stateless}@github.com/octo-org/app.git main`,
          secret: stateless,
        },
        { text: `{"token":"${stateless}","expires_at":"2026-05-01T12:00:00Z"}`, secret: stateless },
        { text: `Authorization: token ${stateless}`, secret: stateless },
        { text: `export GH_TOKEN="${classic}"`, secret: classic },
      ],
      negative: [
        `GITHUB_TOKEN=${corrupt(classic)}`,
        `GITHUB_TOKEN=${classic.slice(0, -2)}`,
        'GITHUB_TOKEN=ghs_token_value_here',
        `GITHUB_TOKEN=${head}.${fake('github.installation-token:notjson', 40, ALPHABETS.base64url)}.${signature}`,
        `GITHUB_TOKEN=${head}.${payload}`,
        `GITHUB_TOKEN=${classicToken('ghu_', 'github.installation-token:sibling', 30)}`,
      ],
    };
  },
};

/** Fine-grained PATs: `github_pat_` + 22 + `_` + 59, with a SHA-256/base32 check in characters 78–85. */
const fineGrainedTokenRule: Rule = {
  id: 'github.fine-grained-token',
  provider: 'github',
  title: 'GitHub fine-grained personal access token',
  class: 'agent-tool',
  // high: acts as the user, but only on the repositories and permissions chosen, and always expires.
  severity: 'high',
  keywords: ['github_pat_'],
  anchor: 'prefix',
  pattern: prefixed('github_pat_', '[A-Za-z0-9]{22}_[A-Za-z0-9]{59}'),
  validate: hasFineGrainedChecksum,
  minEntropy: 3,
  revokeUrl: 'https://github.com/settings/personal-access-tokens',
  sample: (seed) => fineGrainedToken(`github.fine-grained-token:${seed}`),
  examples: () => {
    const secret = fineGrainedToken('github.fine-grained-token:example');
    const check = secret.slice(77, 85);
    const wrongCheck = check.startsWith('A') ? `B${check.slice(1)}` : `A${check.slice(1)}`;
    return {
      positive: inContexts(secret, 'GITHUB_PAT'),
      negative: [
        `GITHUB_PAT=${secret.slice(0, 77)}${wrongCheck}${secret.slice(85)}`,
        `GITHUB_PAT=${secret.slice(0, -1)}`,
        `GITHUB_PAT=${secret}A`,
        'GITHUB_PAT=github_pat_token_value_here',
        `GITHUB_PAT=${secret.replace('_1', '-1')}`,
        `GITHUB_PAT=${classicToken('ghp_', 'github.fine-grained-token:sibling', 30)}`,
      ],
    };
  },
};

export const github: RuleFamily = {
  id: 'github',
  rules: [
    fineGrainedTokenRule,
    installationToken,
    oauthToken,
    personalAccessToken,
    refreshToken,
    userToServerToken,
  ],
};
