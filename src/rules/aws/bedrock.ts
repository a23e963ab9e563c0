import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule } from '../types.js';
import { accessKeyId } from './access-keys.js';

/**
 * Long-term keys are `ABSK` + base64 of `BedrockAPIKey-<id>-at-<account>:<secret>`. Base64 of the fixed
 * `BedrockAPIKey-` gives 18 fixed characters, then one of `0-3` (the low bits of `-`).
 */
const LONG_TERM_HEAD = 'QmVkcm9ja0FQSUtleS';
const LONG_TERM_PAYLOAD = /^BedrockAPIKey-[A-Za-z0-9]{1,32}-at-[0-9]{12}:[A-Za-z0-9+/]{20,300}={0,2}$/;

/** Short-term keys are `bedrock-api-key-` + base64 of a SigV4 presigned URL on `bedrock.amazonaws.com`. */
const SHORT_TERM_PREFIX = 'bedrock-api-key-';
const SHORT_TERM_HEAD = Buffer.from('bedrock.amazonaws.com').toString('base64');

function decodeBase64(text: string): string | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]{1,8000}={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64').toString('latin1');
}

/** True when the value after `ABSK` decodes to `BedrockAPIKey-<id>-at-<12-digit account>:<secret>`. */
export function isLongTermBedrockKey(secret: string): boolean {
  const payload = decodeBase64(secret.slice(4));
  return payload !== undefined && LONG_TERM_PAYLOAD.test(payload);
}

/** True when the value after `bedrock-api-key-` decodes to a presigned `bedrock.amazonaws.com` URL. */
export function isShortTermBedrockKey(secret: string): boolean {
  const url = decodeBase64(secret.slice(SHORT_TERM_PREFIX.length));
  if (url === undefined) return false;
  return (
    url.startsWith('bedrock.amazonaws.com/?') &&
    url.includes('X-Amz-Credential=') &&
    url.includes('X-Amz-Signature=') &&
    /^[\x21-\x7e]{1,8000}$/.test(url)
  );
}

/** A fake long-term key: `ABSK` + base64 of the documented payload shape with a 44-byte secret. */
export function longTermKey(seed: string): string {
  const id = fake(`${seed}:id`, 4, ALPHABETS.alnumLower);
  const account = fake(`${seed}:account`, 12, '0123456789');
  const secret = Buffer.from(fake(`${seed}:secret`, 88, ALPHABETS.hexLower), 'hex').toString('base64');
  return `ABSK${Buffer.from(`BedrockAPIKey-${id}-at-${account}:${secret}`).toString('base64')}`;
}

/** A fake short-term key: a presigned URL with temporary credentials, as the token generators build it. */
export function shortTermKey(seed: string): string {
  const credential = `${accessKeyId(`${seed}:id`, 'ASIA')}%2F20250714%2Fus-east-1%2Fbedrock%2Faws4_request`;
  const sessionToken = encodeURIComponent(fake(`${seed}:session`, 600, ALPHABETS.base64));
  const url =
    'bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
    `&X-Amz-Credential=${credential}&X-Amz-Date=20250714T093000Z&X-Amz-Expires=43200` +
    `&X-Amz-Security-Token=${sessionToken}&X-Amz-SignedHeaders=host` +
    `&X-Amz-Signature=${fake(`${seed}:signature`, 64, ALPHABETS.hexLower)}&Version=1`;
  return SHORT_TERM_PREFIX + Buffer.from(url).toString('base64');
}

/** Amazon Bedrock long-term API keys (IAM service-specific credentials, `ABSK…`). */
export const awsBedrockApiKey: Rule = {
  id: 'aws.bedrock-api-key',
  provider: 'aws',
  title: 'Amazon Bedrock long-term API key',
  class: 'cloud-ai',
  // High: invokes every Bedrock model the IAM user may use, on the account's bill, until it expires
  // (often never); it cannot act outside Bedrock.
  severity: 'high',
  keywords: ['absk'],
  anchor: 'prefix',
  pattern: prefixed('ABSK', `${LONG_TERM_HEAD}[0-3][A-Za-z0-9+/]{80,380}={0,2}`, {
    notFollowedBy: '[A-Za-z0-9+/=_-]',
  }),
  visiblePrefix: 'ABSK',
  minEntropy: 4,
  validate: isLongTermBedrockKey,
  revokeUrl: 'https://console.aws.amazon.com/bedrock/home#/api-keys',
  sample: (seed) => longTermKey(`aws.bedrock-api-key:${seed}`),
  examples: () => {
    const [a, b, c, d, e] = ['env', 'python', 'json', 'yaml', 'escaped'].map((name) =>
      longTermKey(`aws.bedrock:${name}`),
    ) as [string, string, string, string, string];
    const wrongPayload = `ABSK${Buffer.from(`BedrockAPIKey-${fake('neg:p', 60, ALPHABETS.alnum)}`).toString('base64')}`;
    const truncated = longTermKey('aws.bedrock:neg:truncated').slice(0, 110);
    return {
      positive: [
        { text: `AWS_BEARER_TOKEN_BEDROCK=${a}`, secret: a },
        { text: `os.environ["AWS_BEARER_TOKEN_BEDROCK"] = "${b}"`, secret: b },
        { text: `{"headers": {"Authorization": "Bearer ${c}"}}`, secret: c },
        { text: `bedrock:\n  api_key: ${d}\n`, secret: d },
        { text: `"env": "{\\"BEDROCK_API_KEY\\": \\"${e}\\"}"`, secret: e },
      ],
      negative: [
        // decodes, but not to `BedrockAPIKey-<id>-at-<account>:<secret>`
        `AWS_BEARER_TOKEN_BEDROCK=${wrongPayload}`,
        // too short to hold a secret, and cut in the middle of a base64 quantum
        `AWS_BEARER_TOKEN_BEDROCK=${truncated}`,
        `AWS_BEARER_TOKEN_BEDROCK=${longTermKey('aws.bedrock:neg:cut').slice(0, -2)}`,
        // wrong marker case, and glued to an identifier
        `AWS_BEARER_TOKEN_BEDROCK=absk${longTermKey('aws.bedrock:neg:case').slice(4)}`,
        `token=XABSK${longTermKey('aws.bedrock:neg:glued').slice(4)}`,
        // the sibling short-term key, and an ABSK word that is not a key
        `AWS_BEARER_TOKEN_BEDROCK=${shortTermKey('aws.bedrock:neg:short-term')}`,
        'ABSKILLS_TABLE = load_table("abskills.csv")',
      ],
    };
  },
};

/** Amazon Bedrock short-term API keys (`bedrock-api-key-…`, a presigned URL valid for up to 12 hours). */
export const awsBedrockShortTermKey: Rule = {
  id: 'aws.bedrock-short-term-key',
  provider: 'aws',
  title: 'Amazon Bedrock short-term API key',
  class: 'cloud-ai',
  // High: while it lives (at most 12 hours) it carries the Bedrock permissions of the principal that
  // minted it, and a push scan sees it inside that window.
  severity: 'high',
  keywords: [SHORT_TERM_PREFIX],
  anchor: 'prefix',
  pattern: prefixed(SHORT_TERM_PREFIX, `${SHORT_TERM_HEAD}[A-Za-z0-9+/]{100,6000}={0,2}`, {
    notFollowedBy: '[A-Za-z0-9+/=_-]',
  }),
  visiblePrefix: SHORT_TERM_PREFIX,
  minEntropy: 4,
  validate: isShortTermBedrockKey,
  revokeUrl: 'https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-revoke.html',
  sample: (seed) => shortTermKey(`aws.bedrock-short-term-key:${seed}`),
  examples: () => {
    const [a, b, c, d] = ['env', 'js', 'json', 'shell'].map((name) =>
      shortTermKey(`aws.bedrock-st:${name}`),
    ) as [string, string, string, string];
    const notPresigned =
      SHORT_TERM_PREFIX + Buffer.from(`bedrock.amazonaws.com/${'docs/'.repeat(30)}`).toString('base64');
    return {
      positive: [
        { text: `AWS_BEARER_TOKEN_BEDROCK=${a}`, secret: a },
        { text: `const client = new BedrockRuntimeClient({ token: { token: '${b}' } });`, secret: b },
        { text: `{"bedrock": {"apiKey": "${c}"}}`, secret: c },
        {
          text: `curl -H "Authorization: Bearer ${d}" https://bedrock-runtime.us-east-1.amazonaws.com`,
          secret: d,
        },
      ],
      negative: [
        // the generator's prefix followed by words, not base64 of a presigned URL
        'api_key: "bedrock-api-key-test"',
        'placeholder="bedrock-api-key-..."',
        // base64 of bedrock.amazonaws.com, but not a presigned URL
        `AWS_BEARER_TOKEN_BEDROCK=${notPresigned}`,
        // cut in the middle of a base64 quantum
        `AWS_BEARER_TOKEN_BEDROCK=${shortTermKey('aws.bedrock-st:neg:cut').slice(0, -3)}`,
        // a secret name that merely contains the prefix
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:notiops/bedrock-api-key-AbCdEf',
        // the sibling long-term key
        `AWS_BEARER_TOKEN_BEDROCK=${longTermKey('aws.bedrock-st:neg:long-term')}`,
      ],
    };
  },
};
