import { ALPHABETS, fake } from '../examples.js';
import { anyCase, bare, prefixed } from '../regex.js';
import type { Rule } from '../types.js';

/** Key ids are upper-case base32 (`A-Z2-7`) after a four-letter marker of the key's kind. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ID_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'] as const;
const ID = `(?:${ID_PREFIXES.join('|')})[A-Z2-7]{16}`;

/** An access key id: `AKIA` (long-term IAM user), `ASIA` (STS temporary), `ABIA` / `ACCA` (service). */
export function accessKeyId(seed: string, prefix: (typeof ID_PREFIXES)[number] = 'AKIA'): string {
  return prefix + fake(seed, 16, BASE32);
}

/** True for a 40-character secret with both letter cases and a digit or `+`/`/` (random base64 has them). */
export function isSecretAccessKey(secret: string): boolean {
  return /[a-z]/.test(secret) && /[A-Z]/.test(secret) && /[0-9+/]/.test(secret);
}

/** A fake secret access key that passes `isSecretAccessKey` (the first seed variant that does). */
export function secretAccessKey(seed: string): string {
  for (let i = 0; ; i++) {
    const candidate = fake(`${seed}#${i}`, 40, ALPHABETS.base64);
    if (isSecretAccessKey(candidate)) return candidate;
  }
}

/** AWS access key ids. Not a secret on its own, but it names the account and sits next to its secret. */
export const awsAccessKeyId: Rule = {
  id: 'aws.access-key-id',
  provider: 'aws',
  title: 'AWS access key ID',
  class: 'cloud-ai',
  // High: useless without its secret, yet a committed id almost always has its secret a line away
  // (credentials files, CSV exports), and it discloses the account it belongs to.
  severity: 'high',
  keywords: ['akia', 'asia', 'abia', 'acca'],
  anchor: 'prefix',
  pattern: prefixed(ID_PREFIXES, '[A-Z2-7]{16}'),
  minEntropy: 2.5,
  revokeUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
  sample: (seed) => accessKeyId(`aws.access-key-id:${seed}`),
  examples: () => {
    const a = accessKeyId('aws.id:env');
    const b = accessKeyId('aws.id:ini', 'ASIA');
    const c = accessKeyId('aws.id:json');
    const d = accessKeyId('aws.id:python');
    const e = accessKeyId('aws.id:yaml', 'ABIA');
    return {
      positive: [
        { text: `export AWS_ACCESS_KEY_ID=${a}`, secret: a },
        { text: `[default]\naws_access_key_id = ${b}\n`, secret: b },
        { text: `{"AccessKey": {"UserName": "ci", "AccessKeyId": "${c}"}}`, secret: c },
        { text: `boto3.client("bedrock-runtime", aws_access_key_id="${d}")`, secret: d },
        { text: `aws:\n  access_key_id: '${e}'\n`, secret: e },
      ],
      negative: [
        // too short, too long
        `AWS_ACCESS_KEY_ID=${accessKeyId('neg:short').slice(0, 19)}`,
        `AWS_ACCESS_KEY_ID=${accessKeyId('neg:long')}Q`,
        // lower case, and digits that base32 never uses
        `AWS_ACCESS_KEY_ID=${accessKeyId('neg:lower').toLowerCase()}`,
        `AWS_ACCESS_KEY_ID=AKIA${fake('neg:digits', 8, BASE32)}01890189`,
        // the documented example key and an IAM user id (AIDA…, not a credential)
        `AWS_ACCESS_KEY_ID=AKIA${'IOSFODNN7'}EXAMPLE`,
        `"UserId": "AIDA${fake('neg:aida', 16, BASE32)}"`,
        // the marker inside a longer upper-case word
        `TODAYINASIA${'ASACKOFRICEFELLOVERTHEWALLS'}`,
      ],
    };
  },
};

/** Names under which the secret is assigned: `aws_secret_access_key`, `SecretAccessKey`, `AWS_SECRET_KEY`. */
const SECRET_NAME = `(?:${anyCase('secret')}[ _.-]?${anyCase('access')}[ _.-]?${anyCase('key')}|${anyCase('aws')}[ _.-]?${anyCase('secret')}[ _.-]?${anyCase('key')})`;

/** Name tail, then `=`, `:`, `:=`, `=>`, `->`, `,` or blanks, with optional (escaped) quotes around both. */
const AFTER_NAME = `[A-Za-z0-9_.-]{0,12}\\\\{0,2}["'\`]?\\]?[ \\t]{0,24}(?::=|=>|->|[=:,]|[ \\t])[ \\t]{0,4}\\\\{0,2}["'\`]?`;

/** Right after an access key id, as in `AKIA…,secret` (CSV export) or `new BasicAWSCredentials("AKIA…", "…")`. */
const AFTER_ID = `${ID}\\\\{0,2}["'\`]?[ \\t]{0,4}[,;:|=\\t ][ \\t]{0,4}\\\\{0,2}["'\`]?`;

/**
 * On the line after an access key id, under any name containing `secret`: Terraform's
 * `access_key = "AKIA…"` / `secret_key = "…"`, or `AWS_ACCESS_KEY_ID=AKIA…` / `AWS_SECRET=…`.
 */
const NEXT_TO_ID = `${ID}\\\\{0,2}["'\`]?[\\s,;]{1,8}[A-Za-z0-9_.-]{0,24}${anyCase('secret')}${AFTER_NAME}`;

/** AWS secret access keys: 40 base64 characters, recognised only by their context (a name or a key id). */
export const awsSecretAccessKey: Rule = {
  id: 'aws.secret-access-key',
  provider: 'aws',
  title: 'AWS secret access key',
  class: 'cloud-ai',
  // Critical: with its key id it acts as the IAM principal, everything it may do in the account
  // (Bedrock and SageMaker included), until the key is deactivated.
  severity: 'critical',
  keywords: [
    'secret_access_key',
    'secretaccesskey',
    'secret-access-key',
    'secret.access.key',
    'secret access key',
    'aws_secret_key',
    'awssecretkey',
    'aws-secret-key',
    'akia',
    'asia',
    'abia',
    'acca',
  ],
  anchor: 'window',
  // Multiline only for the key-id-then-next-line form; names and separators never span lines.
  window: { before: 160, after: 256, multiline: true },
  pattern: new RegExp(
    `(?:${SECRET_NAME}${AFTER_NAME}|${AFTER_ID}|${NEXT_TO_ID})(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=_-])`,
  ),
  valueShape: bare('[A-Za-z0-9/+]{40}', 'A-Za-z0-9/+', 'A-Za-z0-9/+=_-'),
  minEntropy: 4,
  validate: isSecretAccessKey,
  revokeUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
  sample: (seed) => secretAccessKey(`aws.secret-access-key:${seed}`),
  examples: () => {
    const s = (name: string) => secretAccessKey(`aws.secret:${name}`);
    const [a, b, c, d, e, f, g, h] = ['ini', 'env', 'json', 'js', 'csv', 'java', 'escaped', 'terraform'].map(
      s,
    ) as [string, string, string, string, string, string, string, string];
    const id = accessKeyId('aws.secret:id');
    return {
      positive: [
        { text: `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${a}\n`, secret: a },
        { text: `export AWS_SECRET_ACCESS_KEY="${b}"`, secret: b },
        { text: `{"AccessKey": {"AccessKeyId": "${id}", "SecretAccessKey": "${c}"}}`, secret: c },
        {
          text: `new S3Client({ credentials: { accessKeyId: '${id}', secretAccessKey: '${d}' } });`,
          secret: d,
        },
        { text: `User name,Access key ID,Secret access key\nci-bot,${id},${e}`, secret: e },
        { text: `AWSCredentials creds = new BasicAWSCredentials("${id}", "${f}");`, secret: f },
        { text: `"env": "{\\"AWS_SECRET_ACCESS_KEY\\": \\"${g}\\"}"`, secret: g },
        { text: `provider "aws" {\n  access_key = "${id}"\n  secret_key = "${h}"\n}`, secret: h },
      ],
      negative: [
        // 40 characters with no AWS context at all
        `checksum: ${s('neg:bare')}`,
        // too short, too long
        `aws_secret_access_key = ${s('neg:short').slice(0, 39)}`,
        `aws_secret_access_key = ${s('neg:long')}Q`,
        // a 40-hex digest (one case only), and a value with a character base64 never uses
        `aws_secret_access_key = ${fake('neg:hex', 40, ALPHABETS.hexLower)}`,
        `aws_secret_access_key = ${s('neg:charset').slice(0, 20)}.${s('neg:charset').slice(21)}`,
        // the documented example secret, a variable reference, and the sibling key id alone
        `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable reference, on purpose
        'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY_FROM_VAULT_PROD_ACCOUNT}',
        `aws_access_key_id = ${id}`,
        // a generic `secret_key` with no access key id before it
        `provider "aws" {\n  region = "us-east-1"\n  secret_key = "${s('neg:generic')}"\n}`,
      ],
    };
  },
};
