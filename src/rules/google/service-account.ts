import { ALPHABETS, fake } from '../examples.js';
import type { Rule } from '../types.js';

const BEGIN = '-----BEGIN PRIVATE KEY-----';
const END = '-----END PRIVATE KEY-----';

/** `"type": "service_account"` in JSON, YAML, Python or TOML spelling, escaped quotes allowed. */
const TYPE = `type\\\\{0,2}["']?[ \\t]{0,4}[:=][ \\t]{0,4}\\\\{0,2}["']?service_account`;

/** `"private_key": "`, `private_key: |` + newline and indent, `"private_key": """`, `\"private_key\": \"`. */
const KEY_NAME = `private_key\\\\{0,2}["']?[ \\t]{0,4}[:=][ \\t]{0,4}[|>]?[-+]?\\s{0,24}\\\\{0,2}["']{0,3}`;

/**
 * The PEM value: base64 lines joined by JSON `\n` escapes (one line) or by real line breaks and indents.
 * A PKCS#8 RSA-2048 body is about 1,620 base64 characters; the bounds leave room for escapes and indents.
 */
const PEM = `${BEGIN}[A-Za-z0-9+/=\\\\\\s]{1000,4000}${END}(?!-)`;

/**
 * `"type": "service_account"` must occur in the same key file: before the private key (the order Google
 * writes) or after it (re-serialised files). Window slices are 6,000 characters each side of a keyword.
 */
const SAME_FILE = `(?:(?<=${TYPE}[\\s\\S]{0,6000})|(?=[\\s\\S]{0,3000}${TYPE}))`;

/** The DER head of a PKCS#8 RSA key: SEQUENCE (long form), INTEGER 0, SEQUENCE { rsaEncryption, NULL }. */
const PKCS8_RSA_HEAD = [
  0x30, 0x82, -1, -1, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
];

/** The base64 body of a captured PEM, with JSON escapes, indentation and line breaks removed. */
export function pemBody(secret: string): string {
  return secret
    .slice(BEGIN.length, secret.length - END.length)
    .replace(/\\{1,2}[nr]/g, '')
    .replace(/\s/g, '');
}

/** True when the captured value is a PKCS#8 private key whose base64 body decodes to a well-formed DER head. */
export function isPkcs8Pem(secret: string): boolean {
  if (!secret.startsWith(BEGIN) || !secret.endsWith(END)) return false;
  const body = pemBody(secret);
  if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]{600,4000}={0,2}$/.test(body)) return false;
  const der = Buffer.from(body, 'base64');
  if (!PKCS8_RSA_HEAD.every((byte, i) => byte === -1 || der[i] === byte)) return false;
  // The outer SEQUENCE length covers exactly the rest of the decoded bytes.
  return (der[2]! << 8) + der[3]! + 4 === der.length;
}

/**
 * A fake PKCS#8 key as it appears inside a key file's JSON string: 64-character base64 lines joined by
 * literal `\n` escapes, without the final `\n` (the engine reports up to `-----END PRIVATE KEY-----`).
 */
function fakePem(seed: string, lineBreak = '\\n'): string {
  const length = 1213;
  const head = [0x30, 0x82, length >> 8, length & 0xff, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09];
  const oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const rest = Buffer.from(
    fake(seed, 2 * (length + 4 - head.length - oid.length), ALPHABETS.hexLower),
    'hex',
  );
  const body = Buffer.concat([Buffer.from(head), Buffer.from(oid), rest]).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  return `${BEGIN}${lineBreak}${lines.join(lineBreak)}${lineBreak}${END}`;
}

/** A service-account key file as `gcloud iam service-accounts keys create` writes it. */
function keyFile(pem: string, seed: string, typeLast = false): string {
  const project = `demo-${fake(seed, 6, ALPHABETS.alnumLower)}`;
  const fields = [
    `"project_id": "${project}"`,
    `"private_key_id": "${fake(`${seed}:id`, 40, ALPHABETS.hexLower)}"`,
    `"private_key": "${pem}\\n"`,
    `"client_email": "vertex-runner@${project}.iam.gserviceaccount.com"`,
    `"client_id": "${fake(`${seed}:client`, 21, '0123456789')}"`,
    '"token_uri": "https://oauth2.googleapis.com/token"',
  ];
  const type = '"type": "service_account"';
  const ordered = typeLast ? [...fields, type] : [type, ...fields];
  return `{\n  ${ordered.join(',\n  ')}\n}\n`;
}

/**
 * Google Cloud service-account key files (the JSON that Vertex AI clients load through
 * `GOOGLE_APPLICATION_CREDENTIALS`). The rule reports the `private_key` PEM when `"type":
 * "service_account"` is in the same file.
 */
export const googleServiceAccount: Rule = {
  id: 'google.service-account',
  provider: 'google',
  title: 'Google Cloud service account private key',
  class: 'cloud-ai',
  // Critical: the key signs tokens as the service account, with every IAM role it holds (Vertex AI,
  // storage, often project-wide editor), and it stays valid until the key is deleted.
  severity: 'critical',
  keywords: ['service_account', 'private_key_id'],
  anchor: 'window',
  pattern: new RegExp(`${KEY_NAME}(?<secret>${PEM})${SAME_FILE}`),
  window: { before: 6000, after: 6000, multiline: true },
  // Only the PEM armour is shown; the last four characters are the dashes of the END line.
  visiblePrefix: BEGIN,
  minEntropy: 4.5,
  validate: isPkcs8Pem,
  revokeUrl: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
  sample: (seed) => fakePem(`google.service-account:${seed}`),
  examples: () => {
    const a = fakePem('google.service-account:first');
    const b = fakePem('google.service-account:last');
    const c = fakePem('google.service-account:yaml', '\n    ');
    const d = fakePem('google.service-account:python', '\n');
    const e = fakePem('google.service-account:escaped', '\\\\n');
    const yaml = [
      'gcp:',
      '  type: service_account',
      '  project_id: demo-vertex',
      '  private_key: |',
      `    ${c}`,
      '  client_email: runner@demo-vertex.iam.gserviceaccount.com',
    ].join('\n');
    const python = [
      'CREDENTIALS = {',
      '    "type": "service_account",',
      '    "project_id": "demo-vertex",',
      `    "private_key": """${d}\n""",`,
      '}',
    ].join('\n');
    const escaped = `GOOGLE_CREDENTIALS="{\\"type\\": \\"service_account\\", \\"private_key_id\\": \\"${fake('g.e', 40, ALPHABETS.hexLower)}\\", \\"private_key\\": \\"${e}\\\\n\\"}"`;
    const noType = keyFile(fakePem('google.service-account:no-type'), 'no-type').replace(
      '"type": "service_account"',
      '"type": "authorized_user"',
    );
    const bad = fakePem('google.service-account:bad');
    const badBase64 = `${bad.slice(0, 400)}=${bad.slice(401)}`;
    const wrongDer = fakePem('google.service-account:der').replace('\\nMIIE', '\\nNIIE');
    return {
      positive: [
        { text: keyFile(a, 'first'), secret: a },
        { text: keyFile(b, 'last', true), secret: b },
        { text: yaml, secret: c },
        { text: python, secret: d },
        { text: escaped, secret: e },
      ],
      negative: [
        // no "type": "service_account" anywhere near
        noType,
        // type present but no private key (a key file with the key stripped)
        '{\n  "type": "service_account",\n  "project_id": "demo",\n  "private_key_id": "abc"\n}',
        // body is not base64
        keyFile(badBase64, 'bad'),
        // base64 that does not decode to a PKCS#8 DER head
        keyFile(wrongDer, 'der'),
        // body far too short for an RSA key
        keyFile(`${BEGIN}\\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\\n${END}`, 'short'),
        // an END line with extra dashes is not PEM armour
        keyFile(`${fakePem('google.service-account:dashes')}---`, 'dashes'),
        // low-entropy filler between the markers
        keyFile(`${BEGIN}${'X'.repeat(1500)}${END}`, 'filler'),
      ],
    };
  },
};
