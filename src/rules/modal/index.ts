import { ALPHABETS, fake } from '../examples.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Modal token secrets: `as-` + 22 alphanumerics, paired with a token id `ak-` + 22 (an identifier, not
 * reported on its own). `as-` is too short to anchor on, so a secret counts only within reach of a
 * `modal` or `token_secret` mention (`MODAL_TOKEN_SECRET=…`, `~/.modal.toml`, `modal token set …`).
 * Sources: modal-labs/libmodal README (`MODAL_TOKEN_ID=ak-…`, `MODAL_TOKEN_SECRET=as-…`, 22 characters),
 * modal.com docs "modal token set", and `.modal.toml` files in public code.
 */

/** A fresh secret: `as-` + 22 alphanumerics with both letter cases. */
function tokenSecret(seed: string): string {
  const body = fake(`modal.token-secret:${seed}`, 20, ALPHABETS.alnum);
  return `as-${body.slice(0, 7)}a${body.slice(7, 14)}Q${body.slice(14)}`;
}

const tokenSecretRule: Rule = {
  id: 'modal.token-secret',
  provider: 'modal',
  title: 'Modal token secret',
  class: 'ml-platform',
  // critical: deploys and runs arbitrary code on the workspace's GPUs and bill, and that code can read
  // every Modal Secret of the workspace, which is where other providers' API keys are kept.
  severity: 'critical',
  keywords: ['modal', 'token_secret', 'token-secret'],
  anchor: 'window',
  pattern: /(?<![A-Za-z0-9_-])(?<secret>as-[A-Za-z0-9]{22})(?![A-Za-z0-9_-])/,
  window: { before: 160, after: 256, multiline: true },
  // Issued secrets mix upper and lower case; an all-capitals run is a documentation placeholder
  // (`as-FAKESECRETSTRINGABCDEF`). A random 22-character body lacks one case about once in 150,000.
  validate: (secret) => /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret),
  minEntropy: 3.2,
  revokeUrl: 'https://modal.com/settings/tokens',
  sample: tokenSecret,
  examples: () => {
    const secret = tokenSecret('example');
    const id = `ak-${fake('modal.token-secret:id', 22, ALPHABETS.alnum)}`;
    return {
      positive: [
        { text: `MODAL_TOKEN_SECRET=${secret}`, secret },
        { text: `[default]\ntoken_id = "${id}"\ntoken_secret = "${secret}"`, secret },
        { text: `modal token set --token-id ${id} --token-secret ${secret}`, secret },
        { text: `env:\n  MODAL_TOKEN_ID: ${id}\n  MODAL_TOKEN_SECRET: "${secret}"`, secret },
        { text: `{"modal_token_secret": "${secret}"}`, secret },
      ],
      negative: [
        // the token id is not the secret
        `MODAL_TOKEN_ID=${id}`,
        // the same shape with no Modal mention
        `SECRET=${secret}`,
        // the documentation placeholder, too short, too long
        'MODAL_TOKEN_SECRET=as-FAKESECRETSTRINGABCDEF',
        `MODAL_TOKEN_SECRET=${secret.slice(0, -1)}`,
        `MODAL_TOKEN_SECRET=${secret}x`,
        // glued (`class-…` in UI code next to a modal dialog)
        `<div class="modal">class-${secret.slice(3)}</div>`,
      ],
    };
  },
};

export const modal: RuleFamily = { id: 'modal', rules: [tokenSecretRule] };
