import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Anthropic credentials. API and admin keys are the prefix, 93 base64url characters and a closing `AA`
 * (gitleaks `anthropic.go`, trufflehog `pkg/detectors/anthropic`). OAuth tokens (`sk-ant-oat01-`,
 * `sk-ant-ort01-`, issued to Claude Code and `claude setup-token`) have no published length: observed
 * tokens carry 95 characters after the prefix (gitleaks `claude_code.go`), so a range around that is accepted.
 */

const BODY = '[A-Za-z0-9_-]{93}';
const OAUTH_BODY = '[A-Za-z0-9_-]{80,128}';

/** A key of the documented shape: `prefix` + 93 random base64url characters + `AA`. */
function keyOf(prefix: string, seed: string): string {
  return `${prefix}${fake(seed, 93, ALPHABETS.base64url)}AA`;
}

interface Kind {
  id: string;
  prefix: string;
  title: string;
  severity: Rule['severity'];
  body: string;
  suffix?: string;
  revokeUrl: string;
  variable: string;
  /** Another Anthropic kind whose secrets this rule must leave alone. */
  sibling: string;
}

function anthropicRule(kind: Kind): Rule {
  return {
    id: kind.id,
    provider: 'anthropic',
    title: kind.title,
    class: 'model-api',
    severity: kind.severity,
    keywords: [kind.prefix],
    anchor: 'prefix',
    pattern: prefixed(kind.prefix, kind.body, kind.suffix === undefined ? {} : { suffix: kind.suffix }),
    minEntropy: 3.5,
    revokeUrl: kind.revokeUrl,
    sample: (seed) => keyOf(kind.prefix, `${kind.id}:${seed}`),
    examples: () => {
      const secret = keyOf(kind.prefix, `${kind.id}:example`);
      const body = fake(`${kind.id}:near`, 93, ALPHABETS.base64url);
      return {
        positive: [
          { text: `${kind.variable}=${secret}`, secret },
          { text: `client = anthropic.Anthropic(api_key="${secret}")`, secret },
          { text: `  ${kind.variable.toLowerCase()}: "${secret}"`, secret },
          { text: `{"headers":{"x-api-key":"${secret}","anthropic-version":"2023-06-01"}}`, secret },
          { text: `export ${kind.variable}='${secret}'`, secret },
          { text: `"source": "!claude config set\\n${secret}\\n"`, secret },
        ],
        negative: [
          // Too short.
          `${kind.variable}=${kind.prefix}${body.slice(0, 60)}AA`,
          // Too long.
          `${kind.variable}=${kind.prefix}${body}${fake(`${kind.id}:long`, 40, ALPHABETS.alnum)}AA`,
          // Wrong charset: a dot in the body.
          `${kind.variable}=${kind.prefix}${body.slice(0, 40)}.${body.slice(41)}AA`,
          // An identifier that merely starts like the prefix.
          `const PREFIX = "${kind.prefix}"; // see ${kind.prefix}docs`,
          // The sibling kind.
          `${kind.variable}=${keyOf(kind.sibling, `${kind.id}:sibling`)}`,
          // Glued to an identifier.
          `id=task_${secret}`,
        ],
      };
    },
  };
}

/** Ordinary keys also must end in `AA`: a key with another ending is a near miss. */
function withWrongSuffix(rule: Rule, prefix: string, variable: string): Rule {
  return {
    ...rule,
    examples: () => {
      const { positive, negative } = rule.examples();
      const wrong = `${prefix}${fake(`${rule.id}:suffix`, 93, ALPHABETS.base64url)}BB`;
      return { positive, negative: [...negative, `${variable}=${wrong}`] };
    },
  };
}

const apiKey = withWrongSuffix(
  anthropicRule({
    id: 'anthropic.api-key',
    prefix: 'sk-ant-api03-',
    title: 'Anthropic API key',
    // high: calls every Claude model on the workspace's bill and reads its files and batches.
    severity: 'high',
    body: BODY,
    suffix: 'AA',
    revokeUrl: 'https://console.anthropic.com/settings/keys',
    variable: 'ANTHROPIC_API_KEY',
    sibling: 'sk-ant-admin01-',
  }),
  'sk-ant-api03-',
  'ANTHROPIC_API_KEY',
);

const adminKey = withWrongSuffix(
  anthropicRule({
    id: 'anthropic.admin-key',
    prefix: 'sk-ant-admin01-',
    title: 'Anthropic Admin API key',
    // critical: manages the organisation: creates and revokes API keys, members, workspaces and spend limits.
    severity: 'critical',
    body: BODY,
    suffix: 'AA',
    revokeUrl: 'https://console.anthropic.com/settings/admin-keys',
    variable: 'ANTHROPIC_ADMIN_KEY',
    sibling: 'sk-ant-api03-',
  }),
  'sk-ant-admin01-',
  'ANTHROPIC_ADMIN_KEY',
);

const oauthAccessToken = anthropicRule({
  id: 'anthropic.oauth-access-token',
  prefix: 'sk-ant-oat01-',
  title: 'Anthropic OAuth access token (Claude subscription)',
  // high: acts as a Claude Pro/Max/Team user; `claude setup-token` issues these for a year.
  severity: 'high',
  body: OAUTH_BODY,
  revokeUrl: 'https://claude.ai/settings/account',
  variable: 'CLAUDE_CODE_OAUTH_TOKEN',
  sibling: 'sk-ant-ort01-',
});

const oauthRefreshToken = anthropicRule({
  id: 'anthropic.oauth-refresh-token',
  prefix: 'sk-ant-ort01-',
  title: 'Anthropic OAuth refresh token (Claude subscription)',
  // high: mints new access tokens for the Claude account until the session is revoked.
  severity: 'high',
  body: OAUTH_BODY,
  revokeUrl: 'https://claude.ai/settings/account',
  variable: 'CLAUDE_REFRESH_TOKEN',
  sibling: 'sk-ant-oat01-',
});

export const anthropic: RuleFamily = {
  id: 'anthropic',
  rules: [apiKey, adminKey, oauthAccessToken, oauthRefreshToken],
};
