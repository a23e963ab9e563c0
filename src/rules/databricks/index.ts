import { ALPHABETS, fake } from '../examples.js';
import { prefixed } from '../regex.js';
import type { Rule, RuleFamily } from '../types.js';

function token(seed: string, suffix = ''): string {
  return `dapi${fake(seed, 32, ALPHABETS.hexLower)}${suffix}`;
}

/** Databricks personal access tokens: `dapi` + 32 lower-case hex digits, sometimes with a `-N` suffix. */
export const databricksAccessToken: Rule = {
  id: 'databricks.access-token',
  provider: 'databricks',
  title: 'Databricks personal access token',
  class: 'ml-platform',
  // High: acts as its user in the workspace (notebooks, jobs, clusters, Unity Catalog data, model serving
  // endpoints) until it expires or is revoked.
  severity: 'high',
  keywords: ['dapi'],
  anchor: 'prefix',
  pattern: prefixed('dapi', '[a-f0-9]{32}', { suffix: '(?:-[0-9])?' }),
  minEntropy: 2.5,
  revokeUrl: 'https://docs.databricks.com/aws/en/dev-tools/auth/pat',
  sample: (seed) => token(`databricks.access-token:${seed}`),
  examples: () => {
    const a = token('databricks:env');
    const b = token('databricks:cfg', '-2');
    const c = token('databricks:python');
    const d = token('databricks:yaml');
    const e = token('databricks:escaped');
    return {
      positive: [
        { text: `DATABRICKS_TOKEN=${a}`, secret: a },
        {
          text: `[DEFAULT]\nhost = https://dbc-1a2b3c4d-5e6f.cloud.databricks.com\ntoken = ${b}\n`,
          secret: b,
        },
        { text: `w = WorkspaceClient(host=HOST, token="${c}")`, secret: c },
        { text: `databricks:\n  token: "${d}"\n`, secret: d },
        { text: `"headers": "{\\"Authorization\\": \\"Bearer ${e}\\"}"`, secret: e },
      ],
      negative: [
        // one short, one long
        `DATABRICKS_TOKEN=${token('databricks:neg:short').slice(0, -1)}`,
        `DATABRICKS_TOKEN=${token('databricks:neg:long')}a`,
        // a character outside lower-case hex, and upper-case hex
        `DATABRICKS_TOKEN=dapi${fake('databricks:neg:g', 30, ALPHABETS.hexLower)}g5`,
        `DATABRICKS_TOKEN=dapi${fake('databricks:neg:upper', 32, ALPHABETS.hexUpper)}`,
        // a two-digit suffix, an identifier, and a glued prefix
        `DATABRICKS_TOKEN=${token('databricks:neg:suffix', '-12')}`,
        'const sendapi_handler = dapiClientFactory();',
        `readapi${fake('databricks:neg:glued', 32, ALPHABETS.hexLower)}`,
      ],
    };
  },
};

export const databricks: RuleFamily = { id: 'databricks', rules: [databricksAccessToken] };
