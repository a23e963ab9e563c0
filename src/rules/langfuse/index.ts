import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/**
 * Langfuse project API keys: `sk-lf-` (secret) and `pk-lf-` (public) + a lower-case UUID, as Langfuse's
 * key generator mints them (`sk-lf-${randomUUID()}` in langfuse/langfuse). The API authenticates with
 * HTTP Basic `public:secret`, so the secret key is the credential and the public key names the project.
 */

const UUID = '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';
const PREFIX_LENGTH = 'sk-lf-'.length;

/** True when the part after the prefix is an RFC 9562 UUID (version 1–8, variant 10xx). */
export function hasUuid(secret: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
    secret.slice(PREFIX_LENGTH),
  );
}

/** A key of the shape Langfuse mints: `prefix` + UUID v4. */
export function langfuseKey(prefix: string, seed: string): string {
  const hex = (part: string, length: number) => fake(`${seed}:${part}`, length, ALPHABETS.hexLower);
  const variant = fake(`${seed}:variant`, 1, '89ab');
  return `${prefix}${hex('a', 8)}-${hex('b', 4)}-4${hex('c', 3)}-${variant}${hex('d', 3)}-${hex('e', 12)}`;
}

const secretKey: Rule = {
  id: 'langfuse.secret-key',
  provider: 'langfuse',
  title: 'Langfuse secret key',
  class: 'observability',
  // high: with the (non-secret) public key it reads and writes every trace of the project: prompts,
  // completions, user identifiers and scores.
  severity: 'high',
  keywords: ['sk-lf-'],
  anchor: 'prefix',
  pattern: prefixed('sk-lf-', UUID),
  validate: hasUuid,
  minEntropy: 3,
  revokeUrl: 'https://cloud.langfuse.com',
  sample: (seed) => langfuseKey('sk-lf-', `langfuse.secret-key:${seed}`),
  examples: () => {
    const secret = langfuseKey('sk-lf-', 'langfuse.secret-key:example');
    const publicKey = langfuseKey('pk-lf-', 'langfuse.secret-key:example-public');
    return {
      positive: [
        { text: `LANGFUSE_SECRET_KEY=${secret}`, secret },
        { text: `langfuse = Langfuse(public_key="${publicKey}", secret_key="${secret}")`, secret },
        { text: `  LANGFUSE_SECRET_KEY: "${secret}"`, secret },
        { text: `{"langfuse":{"secretKey":"${secret}","baseUrl":"https://cloud.langfuse.com"}}`, secret },
        { text: `curl -u ${publicKey}:${secret} https://cloud.langfuse.com/api/public/traces`, secret },
      ],
      negative: [
        `LANGFUSE_SECRET_KEY=${secret.slice(0, -1)}`,
        `LANGFUSE_SECRET_KEY=${secret}0`,
        `LANGFUSE_SECRET_KEY=${secret.replaceAll('-', '').replace('sklf', 'sk-lf-')}`,
        `LANGFUSE_SECRET_KEY=${secret.slice(0, 20)}0${secret.slice(21)}`,
        'LANGFUSE_SECRET_KEY=sk-lf-token_value_here',
        `LANGFUSE_SECRET_KEY=sk-lf-${fake('langfuse.secret-key:hex', 64, ALPHABETS.hexLower)}`,
        `LANGFUSE_PUBLIC_KEY=${publicKey}`,
      ],
    };
  },
};

const publicKeyRule: Rule = {
  id: 'langfuse.public-key',
  provider: 'langfuse',
  title: 'Langfuse public key',
  class: 'observability',
  // low: public by design (it names the project and is used in browsers); reported to inventory which
  // Langfuse projects a repository sends traces to, and to pair it with a leaked secret key.
  severity: 'low',
  keywords: ['pk-lf-'],
  anchor: 'prefix',
  pattern: prefixed('pk-lf-', UUID),
  validate: hasUuid,
  minEntropy: 3,
  revokeUrl: 'https://cloud.langfuse.com',
  sample: (seed) => langfuseKey('pk-lf-', `langfuse.public-key:${seed}`),
  examples: () => {
    const secret = langfuseKey('pk-lf-', 'langfuse.public-key:example');
    return {
      positive: [
        { text: `LANGFUSE_PUBLIC_KEY=${secret}`, secret },
        { text: `new LangfuseWeb({ publicKey: '${secret}' })`, secret },
        { text: `langfuse_public_key: ${secret}`, secret },
      ],
      negative: [
        `LANGFUSE_PUBLIC_KEY=${secret.slice(0, -1)}`,
        `LANGFUSE_PUBLIC_KEY=${secret}a`,
        `LANGFUSE_PUBLIC_KEY=${secret.toUpperCase().replace('PK-LF-', 'pk-lf-')}`,
        'LANGFUSE_PUBLIC_KEY=pk-lf-token_value_here',
        `LANGFUSE_SECRET_KEY=${langfuseKey('sk-lf-', 'langfuse.public-key:sibling')}`,
      ],
    };
  },
};

export const langfuse: RuleFamily = { id: 'langfuse', rules: [publicKeyRule, secretKey] };
