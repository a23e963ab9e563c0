import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * OpenAI API keys. Every key carries `T3BlbkFJ` (base64 of "OpenAI") between two random halves:
 * - legacy user keys: `sk-` + 20 alphanumerics + marker + 20 (also `sk-None-…` and other unscoped forms);
 * - project keys `sk-proj-`, service-account keys `sk-svcacct-`: 20 or 74 base64url characters each side;
 * - admin keys `sk-admin-`: 58 each side.
 * Sources: gitleaks `cmd/generate/config/rules/openai.go`, trufflehog `pkg/detectors/openaiadmin`.
 */

/** `T3BlbkFJ`, split so no whole-looking key is ever spelled out in the source. */
export const OPENAI_MARKER = 'T3Blbk' + 'FJ';

const SIDE = '[A-Za-z0-9_-]{20,74}';

/** A modern key: `prefix` + random + marker + random, both halves base64url. */
function modernKey(prefix: string, seed: string, side: number): string {
  return (
    prefix +
    fake(`${seed}:head`, side, ALPHABETS.base64url) +
    OPENAI_MARKER +
    fake(`${seed}:tail`, side, ALPHABETS.base64url)
  );
}

/** A legacy user key: `sk-` + 20 alphanumerics + marker + 20 alphanumerics (51 characters). */
function legacyKey(seed: string): string {
  return `sk-${fake(`${seed}:head`, 20, ALPHABETS.alnum)}${OPENAI_MARKER}${fake(`${seed}:tail`, 20, ALPHABETS.alnum)}`;
}

const legacy: Rule = {
  id: 'openai.legacy-key',
  provider: 'openai',
  title: 'OpenAI user API key (legacy, unscoped)',
  class: 'model-api',
  // high: calls every model on the owner's default organisation and bills it; reads its files and assistants.
  severity: 'high',
  keywords: ['t3blbkfj'],
  anchor: 'window',
  // The marker sits mid-key, so this is a window rule. The lookahead after `sk-` leaves project,
  // service-account and admin keys (which also carry the marker) to their own, more specific rules.
  pattern: new RegExp(
    `(?<secret>sk-(?!proj-|svcacct-|admin-)[A-Za-z0-9_-]{20,90}${OPENAI_MARKER}${SIDE})(?![A-Za-z0-9_-])`,
  ),
  window: { before: 120, after: 100 },
  visiblePrefix: 'sk-',
  minEntropy: 3.5,
  revokeUrl: 'https://platform.openai.com/api-keys',
  sample: (seed) => legacyKey(`openai.legacy:${seed}`),
  examples: () => {
    const secret = legacyKey('openai.legacy:example');
    const unscoped = modernKey('sk-None-', 'openai.legacy:none', 74);
    return {
      positive: [
        { text: `OPENAI_API_KEY=${secret}`, secret },
        { text: `openai.api_key = "${secret}"`, secret },
        { text: `const openai = new OpenAI({ apiKey: '${secret}' });`, secret },
        { text: `  openai_api_key: ${unscoped}`, secret: unscoped },
        { text: `{"messages":"export OPENAI_API_KEY=\\n${secret}\\n"}`, secret },
      ],
      negative: [
        // The sibling kinds: each carries the marker, and only its own rule may report it.
        `OPENAI_API_KEY=${modernKey('sk-proj-', 'openai.legacy:proj', 74)}`,
        `OPENAI_API_KEY=${modernKey('sk-svcacct-', 'openai.legacy:svc', 74)}`,
        `OPENAI_ADMIN_KEY=${modernKey('sk-admin-', 'openai.legacy:admin', 58)}`,
        // 48 alphanumerics but no marker: not an OpenAI key.
        `OPENAI_API_KEY=sk-${fake('openai.legacy:nomarker', 48, ALPHABETS.alnum)}`,
        // Too short on either side of the marker.
        `OPENAI_API_KEY=sk-${fake('openai.legacy:short', 12, ALPHABETS.alnum)}${OPENAI_MARKER}${fake('openai.legacy:short2', 20, ALPHABETS.alnum)}`,
        `OPENAI_API_KEY=sk-${fake('openai.legacy:short3', 20, ALPHABETS.alnum)}${OPENAI_MARKER}${fake('openai.legacy:short4', 12, ALPHABETS.alnum)}`,
        // Glued to an identifier: the middle of a longer token.
        `token=task${secret}`,
        // The marker alone, e.g. in a regex or a doc about key formats.
        `const OPENAI_SIGNATURE = /${OPENAI_MARKER}/;`,
      ],
    };
  },
};

interface ModernKind {
  id: string;
  prefix: string;
  title: string;
  severity: Rule['severity'];
  /** Random characters on each side of the marker in a current key. */
  side: number;
  /** Pattern for each side of the marker. */
  sidePattern: string;
  revokeUrl: string;
  variable: string;
  /** A sibling prefix whose keys this rule must leave alone. */
  sibling: string;
}

function modernRule(kind: ModernKind): Rule {
  return {
    id: kind.id,
    provider: 'openai',
    title: kind.title,
    class: 'model-api',
    severity: kind.severity,
    keywords: [kind.prefix],
    anchor: 'prefix',
    pattern: prefixed(kind.prefix, `${kind.sidePattern}${OPENAI_MARKER}${kind.sidePattern}`),
    minEntropy: 3.5,
    revokeUrl: kind.revokeUrl,
    sample: (seed) => modernKey(kind.prefix, `${kind.id}:${seed}`, kind.side),
    examples: () => {
      const secret = modernKey(kind.prefix, `${kind.id}:example`, kind.side);
      const head = fake(`${kind.id}:near`, kind.side, ALPHABETS.base64url);
      const tail = fake(`${kind.id}:near2`, kind.side, ALPHABETS.base64url);
      return {
        positive: [
          { text: `${kind.variable}=${secret}`, secret },
          { text: `client = OpenAI(api_key="${secret}")`, secret },
          { text: `  ${kind.variable.toLowerCase()}: '${secret}'`, secret },
          { text: `{"env":{"${kind.variable}":"${secret}"}}`, secret },
          { text: `curl https://api.openai.com/v1/models -H "Authorization: Bearer ${secret}"`, secret },
          { text: `"cell": "import os\\n${secret}\\n"`, secret },
        ],
        negative: [
          // Too short on each side of the marker.
          `${kind.variable}=${kind.prefix}${head.slice(0, 12)}${OPENAI_MARKER}${tail}`,
          `${kind.variable}=${kind.prefix}${head}${OPENAI_MARKER}${tail.slice(0, 12)}`,
          // Too long: more random characters than any documented key.
          `${kind.variable}=${kind.prefix}${head}${fake(`${kind.id}:long`, 20, ALPHABETS.alnum)}${OPENAI_MARKER}${tail}`,
          // No marker.
          `${kind.variable}=${kind.prefix}${head}${tail}`,
          // Wrong charset: a dot soon after the marker cuts the token short.
          `${kind.variable}=${kind.prefix}${head}${OPENAI_MARKER}${tail.slice(0, 10)}.${tail.slice(10)}`,
          // An identifier that merely starts like the prefix.
          `const keyPrefix = "${kind.prefix}"; // ${kind.prefix}settings-page`,
          // The sibling kind.
          `${kind.variable}=${modernKey(kind.sibling, `${kind.id}:sibling`, kind.sibling === 'sk-admin-' ? 58 : 74)}`,
        ],
      };
    },
  };
}

const projectKey = modernRule({
  id: 'openai.project-key',
  prefix: 'sk-proj-',
  title: 'OpenAI project API key',
  // high: calls every model the project allows, billed to the organisation; reads the project's files.
  severity: 'high',
  side: 74,
  sidePattern: SIDE,
  revokeUrl: 'https://platform.openai.com/api-keys',
  variable: 'OPENAI_API_KEY',
  sibling: 'sk-svcacct-',
});

const serviceAccountKey = modernRule({
  id: 'openai.service-account-key',
  prefix: 'sk-svcacct-',
  title: 'OpenAI service account API key',
  // high: a project-scoped bot identity, not tied to a person, so it survives staff changes and is rarely rotated.
  severity: 'high',
  side: 74,
  sidePattern: SIDE,
  revokeUrl: 'https://platform.openai.com/api-keys',
  variable: 'OPENAI_API_KEY',
  sibling: 'sk-proj-',
});

const adminKey = modernRule({
  id: 'openai.admin-key',
  prefix: 'sk-admin-',
  title: 'OpenAI organisation admin API key',
  // critical: manages the organisation itself: creates and deletes API keys, invites users, reads audit logs.
  severity: 'critical',
  side: 58,
  sidePattern: '[A-Za-z0-9_-]{58,74}',
  revokeUrl: 'https://platform.openai.com/settings/organization/admin-keys',
  variable: 'OPENAI_ADMIN_KEY',
  sibling: 'sk-proj-',
});

export const openai: RuleFamily = { id: 'openai', rules: [legacy, projectKey, serviceAccountKey, adminKey] };
