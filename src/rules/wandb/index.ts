import { CONTEXT_WINDOW, namedValue, QUOTE } from '../context.js';
import { ALPHABETS, fake } from '../examples.js';
import { bare, prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Weights & Biases API keys, sent as Basic `api:<key>` by the SDK, `wandb login` and `~/.netrc`.
 * - Current keys: `wandb_v1_` + 77 of `[A-Za-z0-9_]` (86 characters; in practice a 27-character key id,
 *   `_`, and a 49-character secret). Self-managed servers prepend a host label such as `local-`.
 * - Legacy keys: 40 lowercase hex with no prefix, found only next to the `wandb` name.
 * Sources: trufflehog `pkg/detectors/weightsandbiases` v1 (40 hex near `wandb`) and v2 (`wandb_v1_`),
 * wandb/wandb `wandb/sdk/lib/wbauth/validation.py` (`[\w-]+`, 40+ characters, `<host>-` prefix),
 * docs.wandb.ai "W&B now issues longer API keys (about 86 characters)".
 */

const V1 = 'wandb_v1_';
const LOCAL_V1 = `local-${V1}`;

/** A fresh `wandb_v1_` key: a 27-character id, `_`, a 49-character secret. */
function v1Key(seed: string): string {
  return `${V1}${fake(`wandb.api-key:${seed}:id`, 27, ALPHABETS.alnum)}_${fake(`wandb.api-key:${seed}`, 49, ALPHABETS.alnum)}`;
}

/** A fresh legacy key: 40 lowercase hex. */
function legacyKey(seed: string): string {
  return fake(`wandb.legacy-api-key:${seed}`, 40, ALPHABETS.hexLower);
}

const apiKey: Rule = {
  id: 'wandb.api-key',
  provider: 'wandb',
  title: 'Weights & Biases API key',
  class: 'ml-platform',
  // high: reads and writes every project the user or service account can reach: runs, artifacts
  // (datasets, model weights), reports and Weave traces, which often hold prompts and customer data.
  severity: 'high',
  keywords: [V1, LOCAL_V1],
  anchor: 'prefix',
  // The 27/`_`/49 split is what every issued key shows, but the SDK only checks `[\w-]+`: the body is
  // any 77 of `[A-Za-z0-9_]`, so a key without the inner `_` is still found.
  pattern: prefixed([LOCAL_V1, V1], '[A-Za-z0-9_]{77}'),
  minEntropy: 4,
  revokeUrl: 'https://wandb.ai/authorize',
  sample: v1Key,
  examples: () => {
    const key = v1Key('example');
    return {
      positive: [
        { text: `WANDB_API_KEY=${key}`, secret: key },
        { text: `export WANDB_API_KEY="${key}"`, secret: key },
        { text: `wandb.login(key="${key}")`, secret: key },
        { text: `env:\n  - name: WANDB_API_KEY\n    value: ${key}`, secret: key },
        { text: `{"wandb": {"api_key": "${key}"}}`, secret: key },
        { text: `ENV WANDB_API_KEY=${key}`, secret: key },
        { text: `WANDB_API_KEY=local-${key}`, secret: `local-${key}` },
      ],
      negative: [
        // 85 and 87 characters
        `WANDB_API_KEY=${key.slice(0, -1)}`,
        `WANDB_API_KEY=${key}a`,
        // a dash inside the body, other versions and casings
        `WANDB_API_KEY=${key.slice(0, 40)}-${key.slice(41)}`,
        `WANDB_API_KEY=${key.replace(V1, 'wandb_v2_')}`,
        `WANDB_API_KEY=${key.replace(V1, 'WANDB_V1_')}`,
        // glued to a longer identifier
        `x${key}`,
        // an identifier that merely starts like the prefix
        'from migrations import wandb_v1_to_v2_schema_migration',
        'WANDB_API_KEY=wandb_v1_...',
      ],
    };
  },
};

const legacyApiKey: Rule = {
  id: 'wandb.legacy-api-key',
  provider: 'wandb',
  title: 'Weights & Biases API key (legacy 40-hex)',
  class: 'ml-platform',
  // high: the same access as a current key; legacy keys stay valid until the owner deletes them.
  severity: 'high',
  keywords: ['wandb'],
  anchor: 'window',
  // A 40-hex value is also the shape of a git SHA: it counts only under a `wandb` name that is not a
  // commit, hash or id (`WANDB_GIT_COMMIT` is skipped), in `wandb.login(…)`, `wandb login …`, or the
  // `.netrc` entry for api.wandb.ai that `wandb login` writes.
  valueShape: bare('(?:local-)?[a-f0-9]{40}'),
  pattern: namedValue(['wandb'], '(?:local-)?[a-f0-9]{40}', {
    heads: [
      `wandb\\.login\\((?:[^)\\n]{0,80}?\\bkey\\s{0,2}=\\s{0,2})?${QUOTE}`,
      `wandb\\s{1,4}login\\s{1,4}(?:--relogin\\s{1,4})?["']?`,
      `api\\.wandb\\.ai\\s{1,4}login\\s{1,4}[^\\s]{1,64}\\s{1,4}password\\s{1,4}`,
    ],
  }),
  window: CONTEXT_WINDOW,
  minEntropy: 3,
  revokeUrl: 'https://wandb.ai/authorize',
  sample: legacyKey,
  examples: () => {
    const key = legacyKey('example');
    return {
      positive: [
        { text: `WANDB_API_KEY=${key}`, secret: key },
        { text: `export WANDB_API_KEY='${key}'`, secret: key },
        { text: `wandb.login(key="${key}")`, secret: key },
        { text: `!wandb login ${key}`, secret: key },
        { text: `machine api.wandb.ai\n  login user\n  password ${key}`, secret: key },
        { text: `{"wandb_api_key": "${key}"}`, secret: key },
        { text: `wandb:\n  api_key: ${key}`, secret: key },
        { text: `WANDB_API_KEY=local-${key}`, secret: `local-${key}` },
      ],
      negative: [
        // a bare 40-hex value is a git SHA until the provider is named
        `commit ${key}`,
        `GIT_SHA=${key}`,
        // digests and ids under a wandb name
        `WANDB_GIT_COMMIT=${key}`,
        `wandb_artifact_digest: ${key}`,
        `wandbRunSha = "${key}"`,
        // variable reference, too short, uppercase hex
        `WANDB_API_KEY=\${WANDB_API_KEY}`,
        `WANDB_API_KEY=${key.slice(0, 39)}`,
        `WANDB_API_KEY=${key.toUpperCase()}`,
      ],
    };
  },
};

export const wandb: RuleFamily = { id: 'wandb', rules: [apiKey, legacyApiKey] };
