import { fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Hugging Face tokens are 34 random letters of both cases after their prefix. Requiring at least five of
 * each case rejects identifiers that happen to be 34 letters long (`hf_` + one lower-case word) and costs
 * a random token about one chance in 160,000.
 */
export function hasMixedCase(secret: string, prefix: string): boolean {
  const body = secret.slice(prefix.length);
  const upper = body.replace(/[^A-Z]/g, '').length;
  const lower = body.replace(/[^a-z]/g, '').length;
  return upper >= 5 && lower >= 5;
}

/** A fake token body: 34 letters that pass `hasMixedCase` (the first seed variant that does). */
function tokenBody(seed: string): string {
  for (let i = 0; ; i++) {
    const body = fake(`${seed}#${i}`, 34, LETTERS);
    if (hasMixedCase(body, '')) return body;
  }
}

/** Hugging Face user access tokens (`hf_…`): read, write or fine-grained access to the Hub. */
export const huggingfaceUserToken: Rule = {
  id: 'huggingface.user-token',
  provider: 'huggingface',
  title: 'Hugging Face user access token',
  class: 'ml-platform',
  // High: a write token can push to every model, dataset and Space of the user and their organisations
  // (a supply-chain path into anyone who loads those models); read tokens open private and gated repos.
  severity: 'high',
  keywords: ['hf_'],
  anchor: 'prefix',
  pattern: prefixed('hf_', '[A-Za-z]{34}'),
  minEntropy: 3.5,
  validate: (secret) => hasMixedCase(secret, 'hf_'),
  revokeUrl: 'https://huggingface.co/settings/tokens',
  sample: (seed) => `hf_${tokenBody(`huggingface.user-token:${seed}`)}`,
  examples: () => {
    const [a, b, c, d, e, f] = ['env', 'cli', 'python', 'json', 'yaml', 'escaped'].map(
      (name) => `hf_${tokenBody(`hf.user:${name}`)}`,
    ) as [string, string, string, string, string, string];
    return {
      positive: [
        { text: `HF_TOKEN=${a}`, secret: a },
        { text: `huggingface-cli login --token ${b}`, secret: b },
        { text: `hf_hub_download(repo_id="org/model", filename="w.bin", token="${c}")`, secret: c },
        { text: `{"headers": {"Authorization": "Bearer ${d}"}}`, secret: d },
        { text: `huggingface:\n  token: '${e}'\n`, secret: e },
        { text: `"source": ["login(token=\\"${f}\\")\\n"]`, secret: f },
      ],
      negative: [
        // identifiers that start like a token
        'from huggingface_hub import hf_hub_download, hf_hub_url',
        'url = hf_hub_url_for_the_repository_xyz(repo_id)',
        `hf_${'servingcellpriorityparametersdesc'}h`,
        `const hf_${'requiredCharacteristicTypesForDisplay'} = 1;`,
        // one letter short, one letter long, and a digit inside
        `HF_TOKEN=hf_${tokenBody('hf:neg:short').slice(1)}`,
        `HF_TOKEN=hf_${tokenBody('hf:neg:long')}Q`,
        `HF_TOKEN=hf_${tokenBody('hf:neg:digit').slice(0, 17)}7${tokenBody('hf:neg:digit').slice(18)}`,
        // glued to an identifier, a placeholder, and the sibling organisation token
        `rhf_${tokenBody('hf:neg:glued')}`,
        `HF_TOKEN=hf_${'x'.repeat(34)}`,
        `HF_TOKEN=api_org_${tokenBody('hf:neg:org')}`,
      ],
    };
  },
};

/** Hugging Face organisation API tokens (`api_org_…`), deprecated in 2023 but still found and still valid. */
export const huggingfaceOrgToken: Rule = {
  id: 'huggingface.org-token',
  provider: 'huggingface',
  title: 'Hugging Face organization API token',
  class: 'ml-platform',
  // High: acts as the organisation on the Hub (read and write on its repositories).
  severity: 'high',
  keywords: ['api_org_'],
  anchor: 'prefix',
  pattern: prefixed('api_org_', '[A-Za-z]{34}'),
  minEntropy: 3.5,
  validate: (secret) => hasMixedCase(secret, 'api_org_'),
  revokeUrl: 'https://huggingface.co/settings/organizations',
  sample: (seed) => `api_org_${tokenBody(`huggingface.org-token:${seed}`)}`,
  examples: () => {
    const [a, b, c, d] = ['env', 'python', 'json', 'escaped'].map(
      (name) => `api_org_${tokenBody(`hf.org:${name}`)}`,
    ) as [string, string, string, string];
    return {
      positive: [
        { text: `HUGGINGFACEHUB_API_TOKEN=${a}`, secret: a },
        { text: `load_dataset("org/data", use_auth_token='${b}')`, secret: b },
        { text: `{"hf_token": "${c}"}`, secret: c },
        { text: `"code": "os.environ[\\"HF_TOKEN\\"] = \\"${d}\\"\\n"`, secret: d },
      ],
      negative: [
        // identifiers that start like a token
        "const api_org_controller = require('./controllers/organizations');",
        'def _api_org_96726c78_4ae3_402f_b08b_7a78c6903d2a(self):',
        'public static final String API_ORG_EXIST = "APIOrganizationExist";',
        // wrong length, a placeholder, glued, and the sibling user token
        `token = api_org_${tokenBody('hf.org:neg:short').slice(2)}`,
        `token = api_org_${'X'.repeat(34)}`,
        `token = internal_api_org_${tokenBody('hf.org:neg:glued')}`,
        `token = hf_${tokenBody('hf.org:neg:user')}`,
      ],
    };
  },
};

export const huggingface: RuleFamily = {
  id: 'huggingface',
  rules: [huggingfaceUserToken, huggingfaceOrgToken],
};
