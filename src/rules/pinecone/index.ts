import { ALPHABETS, fake } from '../examples.js';
import { anyCase, bare, CHARS, prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

/** Pinecone keys are base58 (no `0`, `O`, `I`, `l`): `pcsk_` + key id + `_` + secret. */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_CLASS = '1-9A-HJ-NP-Za-km-z';

function key(seed: string): string {
  return `pcsk_${fake(`${seed}:id`, 6, BASE58)}_${fake(`${seed}:secret`, 63, BASE58)}`;
}

function uuid(seed: string): string {
  const hex = fake(seed, 32, ALPHABETS.hexLower);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Pinecone API keys (`pcsk_<key id>_<secret>`), issued since late 2024. */
export const pineconeApiKey: Rule = {
  id: 'pinecone.api-key',
  provider: 'pinecone',
  title: 'Pinecone API key',
  class: 'vector-store',
  // High: reads, overwrites and deletes the project's vectors and indexes (often embeddings of private
  // documents); keys with the default "All" permission also manage the project's indexes.
  severity: 'high',
  keywords: ['pcsk_'],
  anchor: 'prefix',
  pattern: prefixed('pcsk_', `[${BASE58_CLASS}]{4,8}_[${BASE58_CLASS}]{56,70}`),
  minEntropy: 4,
  revokeUrl: 'https://app.pinecone.io/organizations/-/projects',
  sample: (seed) => key(`pinecone.api-key:${seed}`),
  examples: () => {
    const [a, b, c, d, e] = ['env', 'python', 'js', 'yaml', 'escaped'].map((name) =>
      key(`pinecone:${name}`),
    ) as [string, string, string, string, string];
    const good = key('pinecone:neg');
    return {
      positive: [
        { text: `PINECONE_API_KEY=${a}`, secret: a },
        { text: `pc = Pinecone(api_key="${b}")`, secret: b },
        { text: `const pc = new Pinecone({ apiKey: '${c}' });`, secret: c },
        { text: `vector_store:\n  pinecone_api_key: ${d}\n`, secret: d },
        { text: `"source": "os.environ[\\"PINECONE_API_KEY\\"] = \\"${e}\\"\\n"`, secret: e },
      ],
      negative: [
        // secret part too short, and no key id
        `PINECONE_API_KEY=${good.slice(0, 40)}`,
        `PINECONE_API_KEY=pcsk_${good.slice(12)}`,
        // characters base58 leaves out
        `PINECONE_API_KEY=${good.slice(0, 30)}0O${good.slice(32)}`,
        // placeholders
        'PINECONE_API_KEY=pcsk_YOUR_PINECONE_API_KEY',
        'PINECONE_API_KEY=pcsk_xxx...',
        // glued to an identifier, and the legacy UUID key without Pinecone context
        `mypcsk_${good.slice(5)}`,
        `request_id = "${uuid('pinecone:neg:uuid')}"`,
      ],
    };
  },
};

/** A name that mentions Pinecone and ends in `key`: `PINECONE_API_KEY`, `pineconeApiKey`, `Pinecone(api_key`. */
const PINECONE_KEY_NAME = `${anyCase('pinecone')}[A-Za-z0-9_.(-]{0,24}${anyCase('key')}`;

/**
 * The first entry of a Pinecone section: `[pinecone]` + `api_key = …` (TOML), `pinecone:` + `  api_key: …`
 * (YAML), `"pinecone": {"apiKey": …}` (JSON), `Pinecone({ apiKey: … })` and `pinecone.init(\n api_key=…`.
 * Only quotes, brackets, colons and blanks may come between.
 */
const PINECONE_SECTION_KEY = `${anyCase('pinecone')}[A-Za-z0-9_.-]{0,24}[\\s"'{}(\\\\:\\]]{1,16}(?:${anyCase('api')}[_-]?)?${anyCase('key')}`;

/** The separator, with aligned columns (`pinecone_api_key      = "…"`) and escaped quotes allowed. */
const ASSIGN = `\\\\{0,2}["'\`]?\\]?[ \\t]{0,24}(?::=|=>|[=:])[ \\t]{0,4}\\\\{0,2}["'\`]?`;
const UUID = `[${CHARS.hex}]{8}-[${CHARS.hex}]{4}-[${CHARS.hex}]{4}-[${CHARS.hex}]{4}-[${CHARS.hex}]{12}`;

/** Legacy Pinecone API keys: bare UUIDs, reported only when assigned to a Pinecone key name. */
export const pineconeLegacyApiKey: Rule = {
  id: 'pinecone.legacy-api-key',
  provider: 'pinecone',
  title: 'Pinecone legacy API key (UUID)',
  class: 'vector-store',
  // High: same access as a current key; these keys predate `pcsk_` and many remain active.
  severity: 'high',
  keywords: ['pinecone'],
  anchor: 'window',
  pattern: new RegExp(
    `(?:${PINECONE_KEY_NAME}|${PINECONE_SECTION_KEY})${ASSIGN}(?<secret>${UUID})(?![A-Za-z0-9_-])`,
  ),
  valueShape: bare(UUID),
  // Sections put the name and the key on different lines.
  window: { before: 160, after: 256, multiline: true },
  minEntropy: 3,
  revokeUrl: 'https://app.pinecone.io/organizations/-/projects',
  sample: (seed) => uuid(`pinecone.legacy-api-key:${seed}`),
  examples: () => {
    const [a, b, c, d, e, f, g, h, i] = [
      'env',
      'python',
      'json',
      'js',
      'toml',
      'escaped',
      'tfvars',
      'init',
      'client',
    ].map((name) => uuid(`pinecone.legacy:${name}`)) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return {
      positive: [
        { text: `PINECONE_API_KEY=${a}`, secret: a },
        { text: `pinecone.init(api_key="${b}", environment="us-west1-gcp")`, secret: b },
        { text: `{"pineconeApiKey": "${c}"}`, secret: c },
        { text: `export const PINECONE_KEY = '${d}';`, secret: d },
        { text: `[pinecone]\napi_key = "${e}"\nenvironment = "us-east-1-aws"\n`, secret: e },
        { text: `"input": "{\\"pinecone\\": {\\"apiKey\\": \\"${f}\\"}}"`, secret: f },
        { text: `pinecone_api_key      = "${g}"`, secret: g },
        { text: `pinecone.init(\n    api_key="${h}",\n    environment="us-west1-gcp",\n)`, secret: h },
        { text: `const pc = new Pinecone({ apiKey: '${i}' });`, secret: i },
      ],
      negative: [
        // a UUID under another Pinecone name, and one with no Pinecone name at all
        `PINECONE_PROJECT_ID=${uuid('pinecone.legacy:neg:project')}`,
        `api_key = "${uuid('pinecone.legacy:neg:bare')}"`,
        // malformed UUIDs
        `PINECONE_API_KEY=${uuid('pinecone.legacy:neg:short').slice(0, -1)}`,
        `PINECONE_API_KEY=${uuid('pinecone.legacy:neg:long')}0`,
        `PINECONE_API_KEY=${uuid('pinecone.legacy:neg:g').replace(/[a-f]/, 'g')}`,
        // a Pinecone section whose first entry is not the key, and an empty Pinecone value before another key
        `[pinecone]\nindex = "docs"\napi_key = "${uuid('pinecone.legacy:neg:second')}"`,
        `PINECONE_ENV=\nKEY=${uuid('pinecone.legacy:neg:empty')}`,
        // a nil UUID and a reference
        'PINECONE_API_KEY=00000000-0000-0000-0000-000000000000',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, on purpose
        'PINECONE_API_KEY=${{ secrets.PINECONE_API_KEY }}',
      ],
    };
  },
};

export const pinecone: RuleFamily = { id: 'pinecone', rules: [pineconeApiKey, pineconeLegacyApiKey] };
